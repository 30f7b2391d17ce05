import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { GLOBAL_NAME_RULES, globalName } from "../../components/azure/globalName";
import { SecretVault, SecretVaultArgs } from "../../components/azure/keyVault";
import { MOCK_AZURE_CLIENT } from "../../tools/synth/mocks";
import { type Recording, type ResourceRecord } from "../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";
import { caseQueries } from "../helpers/caseQueries";

const AZ = {
  vault: "azure-native:keyvault:Vault",
  secret: "azure-native:keyvault:Secret",
  roleAssignment: "azure-native:authorization:RoleAssignment",
} as const;
const SECRETS_USER = `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`;

const SUBNET = (name: string) => `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/temporal/subnets/${name}`;
/** Values the tests look for in everything the engine would see: none may appear. */
const PLAINTEXT = { sqlPassword: "sql-password-never-in-clear", esPassword: "es-password-never-in-clear" };

const base: SecretVaultArgs = {
  resourceGroupName: "temporal-prd",
  location: "westeurope",
  tenantId: MOCK_AZURE_CLIENT.tenantId,
  readerPrincipalIds: ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"],
  // One value handed in as a secret, one by mistake in the clear: both must stay secret.
  secrets: { "temporal-sql-password": pulumi.secret(PLAINTEXT.sqlPassword), "temporal-es-password": PLAINTEXT.esPassword },
  allowedSubnetIds: [SUBNET("aks-nodes"), SUBNET("aks-pods")],
  tags: { "temporal-kit:environment": "test" },
};
const cases = {
  /** Reached through service endpoints from two subnets, read by two identities. */
  prd: base,
  /** No subnet allowed: reachable only through a private endpoint made elsewhere. */
  priv: { ...base, resourceGroupName: "temporal-stg", readerPrincipalIds: ["33333333-3333-4333-8333-333333333333"], secrets: { "temporal-sql-password": pulumi.secret(PLAINTEXT.sqlPassword) }, allowedSubnetIds: undefined },
} satisfies Record<string, SecretVaultArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
const vaults = {} as Record<Case, SecretVault>;

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  // Stands in for whatever the vault must wait for; only the production vault is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) {
    vaults[name] = new SecretVault(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  }
  await settle();
});

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:azure:SecretVault");
const vaultProperties = (name: Case) => only(name, AZ.vault).inputs.properties as Record<string, any>;

describe("SecretVault argument checks", () => {
  it("refuses a vault nobody may read", () => {
    expect(() => new SecretVault("bad-readers", { ...base, readerPrincipalIds: [] })).toThrow(
      "SecretVault needs at least one reader principal: nobody else may read its secrets",
    );
  });

  it("refuses secret names Key Vault does not accept, naming them", () => {
    expect(() => new SecretVault("bad-names", { ...base, secrets: { good: "x", "sql_password": "y", "has.dot": "z" } })).toThrow(
      "Key Vault secret names may only hold letters, digits and hyphens (at most 127); refused: sql_password, has.dot",
    );
  });
});

describe.each(Object.keys(cases) as Case[])("SecretVault %s", (name) => {
  const args: SecretVaultArgs = cases[name];
  const subnets = args.allowedSubnetIds ?? [];

  it("decides data access with Azure RBAC alone, in the given tenant, on the standard SKU", () => {
    const properties = vaultProperties(name);
    expect(properties).toMatchObject({ enableRbacAuthorization: true, tenantId: args.tenantId, sku: { family: "A", name: "standard" } });
    expect(properties.accessPolicies).toBeUndefined();
    expect(properties).toMatchObject({ enabledForDeployment: false, enabledForDiskEncryption: false, enabledForTemplateDeployment: false });
  });

  it("keeps deleted secrets recoverable for 90 days and never purgeable early", () => {
    expect(vaultProperties(name)).toMatchObject({ enableSoftDelete: true, softDeleteRetentionInDays: 90, enablePurgeProtection: true });
  });

  it("denies every network but the allowed subnets, with no trusted-service bypass and no IP rules", () => {
    const networkAcls = vaultProperties(name).networkAcls;
    expect(networkAcls).toMatchObject({ defaultAction: "Deny", bypass: "None", ipRules: [] });
    expect(networkAcls.virtualNetworkRules).toEqual(subnets.map((id) => ({ id, ignoreMissingVnetServiceEndpoint: false })));
    expect(JSON.stringify(only(name, AZ.vault).inputs)).not.toContain("0.0.0.0");
  });

  it(
    subnets.length > 0
      ? "opens public network access only because service-endpoint traffic arrives there"
      : "turns public network access off when no subnet is allowed",
    () => {
      expect(vaultProperties(name).publicNetworkAccess).toBe(subnets.length > 0 ? "Enabled" : "Disabled");
    },
  );

  it("names the vault within Key Vault's limits, from the component name and a hash of where it lives", () => {
    const vaultName = String(only(name, AZ.vault).inputs.vaultName);
    expect(vaultName).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
    expect(vaultName).not.toContain("--");
    expect(vaultName).toBe(globalName(name, `${MOCK_AZURE_CLIENT.subscriptionId}/${args.resourceGroupName}/${name}`, GLOBAL_NAME_RULES.keyVault));
    expect(only(name, AZ.vault).inputs).toMatchObject({ resourceGroupName: args.resourceGroupName, location: args.location });
  });

  it("stores each secret under its own name in this vault", () => {
    const secrets = of(name, AZ.secret);
    expect(secrets.map((secret) => secret.inputs.secretName).sort()).toEqual(Object.keys(args.secrets).sort());
    const vaultName = only(name, AZ.vault).inputs.vaultName;
    for (const secret of secrets) {
      expect(secret.inputs).toMatchObject({ vaultName, resourceGroupName: args.resourceGroupName });
      expect(secret.dependsOn).toContain(only(name, AZ.vault).urn);
    }
  });

  it("hands every value to Azure only as a secret, even one given in the clear", async () => {
    for (const secret of of(name, AZ.secret)) {
      expect((secret.inputs.properties as Record<string, unknown>).value, secret.name).toBe(SECRET_PLACEHOLDER);
    }
    const everything = JSON.stringify(records) + JSON.stringify([...recording.outputs.values()]);
    for (const plaintext of Object.values(PLAINTEXT)) expect(everything).not.toContain(plaintext);
  });

  it("grants Key Vault Secrets User to each reader, on this vault alone", async () => {
    const assignments = of(name, AZ.roleAssignment);
    expect(assignments.map((assignment) => assignment.inputs.principalId)).toEqual(args.readerPrincipalIds);
    const vaultId = await promiseOf(vaults[name].vault.id);
    for (const assignment of assignments) {
      expect(assignment.inputs).toMatchObject({ roleDefinitionId: SECRETS_USER, scope: vaultId, principalType: "ServicePrincipal" });
    }
  });

  it("publishes the vault URI and a versionless URI per secret, once each secret exists", async () => {
    const vaultName = String(only(name, AZ.vault).inputs.vaultName);
    expect(await promiseOf(vaults[name].vaultUri)).toBe(`https://${vaultName}.vault.azure.net/`);
    expect(Object.keys(vaults[name].secretUris).sort()).toEqual(Object.keys(args.secrets).sort());
    for (const [secretName, uri] of Object.entries(vaults[name].secretUris)) {
      expect(await promiseOf(uri)).toBe(`https://${vaultName}.vault.azure.net/secrets/${secretName}`);
      expect(await pulumi.isSecret(uri)).toBe(false);
    }
  });

  it("parents every resource to the component and tags the ones Azure can tag", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children).toHaveLength(1 + Object.keys(args.secrets).length + args.readerPrincipalIds.length);
    for (const child of children) {
      expect(child.parent, child.name).toBe(componentOf(name).urn);
      if (child.type !== AZ.roleAssignment) expect(child.inputs.tags, child.name).toEqual(args.tags);
    }
  });
});

describe("SecretVault options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children.length).toBeGreaterThanOrEqual(5);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});
