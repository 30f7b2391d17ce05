import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { ARCHIVAL_CONTAINER, ArchivalStorage, ArchivalStorageArgs } from "../../components/azure/archivalStorage";
import { GLOBAL_NAME_RULES, globalName } from "../../components/azure/globalName";
import { MOCK_AZURE_CLIENT } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";
import { caseQueries } from "../helpers/caseQueries";

const AZ = {
  account: "azure-native:storage:StorageAccount",
  container: "azure-native:storage:BlobContainer",
  lifecycle: "azure-native:storage:ManagementPolicy",
  immutability: "azure-native:storage:BlobContainerImmutabilityPolicy",
  roleAssignment: "azure-native:authorization:RoleAssignment",
} as const;
const BLOB_DATA_CONTRIBUTOR = `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`;
const SUBNET = (name: string) => `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/temporal/subnets/${name}`;

const base: ArchivalStorageArgs = {
  resourceGroupName: "temporal-prd",
  location: "westeurope",
  redundancy: "GZRS",
  retentionDays: 365,
  writerPrincipalIds: ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"],
  allowedSubnetIds: [SUBNET("aks-nodes")],
  tags: { "temporal-kit:environment": "test" },
};
const cases = {
  /** Geo-redundant, archives expire after a year, reached through a service endpoint. */
  prd: base,
  /** Local copies only, archives kept until deleted, reachable only through a private endpoint made elsewhere. */
  "Dev_Archive-2": { ...base, resourceGroupName: "temporal-dev", redundancy: "LRS", retentionDays: undefined, writerPrincipalIds: ["33333333-3333-4333-8333-333333333333"], allowedSubnetIds: undefined },
} satisfies Record<string, ArchivalStorageArgs>;
type Case = keyof typeof cases;

let records: ResourceRecord[];
const stores = {} as Record<Case, ArchivalStorage>;

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  // Stands in for whatever the storage must wait for; only the production storage is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) {
    stores[name] = new ArchivalStorage(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  }
  await settle();
});

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:azure:ArchivalStorage");
const accountOf = (name: Case) => only(name, AZ.account).inputs as Record<string, any>;

describe("ArchivalStorage argument checks", () => {
  it("refuses storage nobody may write", () => {
    expect(() => new ArchivalStorage("bad-writers", { ...base, writerPrincipalIds: [] })).toThrow(
      "ArchivalStorage needs at least one writer principal: nothing else may write the archives",
    );
  });

  it("refuses a retention that is not a whole number of days", () => {
    for (const retentionDays of [0, -7, 1.5]) {
      expect(() => new ArchivalStorage("bad-retention", { ...base, retentionDays })).toThrow(
        `retentionDays must be a whole number of days, at least 1; given ${retentionDays}`,
      );
    }
  });
});

describe.each(Object.keys(cases) as Case[])("ArchivalStorage %s", (name) => {
  const args: ArchivalStorageArgs = cases[name];
  const subnets = args.allowedSubnetIds ?? [];

  it("is a general-purpose v2 account with the redundancy asked for, in the cool tier", () => {
    expect(accountOf(name)).toMatchObject({
      kind: "StorageV2",
      sku: { name: `Standard_${args.redundancy}` },
      accessTier: "Cool",
      resourceGroupName: args.resourceGroupName,
      location: args.location,
    });
  });

  it("accepts HTTPS with TLS 1.2 or newer only", () => {
    expect(accountOf(name)).toMatchObject({ enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2" });
  });

  it("accepts Entra ID only: no account keys, no anonymous reads, no local users, no cross-tenant copies", () => {
    expect(accountOf(name)).toMatchObject({
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowBlobPublicAccess: false,
      isLocalUserEnabled: false,
      allowCrossTenantReplication: false,
    });
  });

  it("denies every network but the allowed subnets, with no trusted-service bypass and no IP rules", () => {
    expect(accountOf(name).networkRuleSet).toEqual({
      defaultAction: "Deny",
      bypass: "None",
      ipRules: [],
      virtualNetworkRules: subnets.map((virtualNetworkResourceId) => ({ virtualNetworkResourceId, action: "Allow" })),
    });
    expect(accountOf(name).publicNetworkAccess).toBe(subnets.length > 0 ? "Enabled" : "Disabled");
  });

  it("names the account within Storage's limits, from the component name and a hash of where it lives", () => {
    const accountName = String(accountOf(name).accountName);
    expect(accountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(accountName).toBe(globalName(name, `${MOCK_AZURE_CLIENT.subscriptionId}/${args.resourceGroupName}/${name}`, GLOBAL_NAME_RULES.storageAccount));
  });

  it("keeps the archives in one private container of this account", () => {
    const container = only(name, AZ.container);
    expect(container.inputs).toMatchObject({
      containerName: ARCHIVAL_CONTAINER,
      accountName: accountOf(name).accountName,
      resourceGroupName: args.resourceGroupName,
      publicAccess: "None",
    });
    expect(container.dependsOn).toContain(only(name, AZ.account).urn);
  });

  if (args.retentionDays !== undefined) {
    it("deletes archives once they are older than the retention, and nothing outside the container", () => {
      const lifecycle = only(name, AZ.lifecycle);
      expect(lifecycle.inputs).toMatchObject({ managementPolicyName: "default", accountName: accountOf(name).accountName });
      expect(lifecycle.inputs.policy).toEqual({
        rules: [
          {
            name: "expire-temporal-archives",
            enabled: true,
            type: "Lifecycle",
            definition: {
              filters: { blobTypes: ["blockBlob"], prefixMatch: ["temporal-archival/"] },
              actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: args.retentionDays } } },
            },
          },
        ],
      });
    });
  } else {
    it("keeps archives until someone deletes them when no retention is given", () => {
      expect(of(name, AZ.lifecycle)).toEqual([]);
      expect(of(name, AZ.immutability)).toEqual([]);
    });
  }

  it("grants Storage Blob Data Contributor to each writer, on the archive container alone", async () => {
    const assignments = of(name, AZ.roleAssignment);
    expect(assignments.map((assignment) => assignment.inputs.principalId)).toEqual(args.writerPrincipalIds);
    const containerId = await promiseOf(stores[name].container.id);
    for (const assignment of assignments) {
      expect(assignment.inputs).toMatchObject({ roleDefinitionId: BLOB_DATA_CONTRIBUTOR, scope: containerId, principalType: "ServicePrincipal" });
      expect(assignment.dependsOn).toContain(only(name, AZ.container).urn);
    }
  });

  it("publishes the account name, the container name and the blob endpoint", async () => {
    const accountName = String(accountOf(name).accountName);
    expect(await promiseOf(stores[name].accountName)).toBe(accountName);
    expect(await promiseOf(stores[name].containerName)).toBe("temporal-archival");
    expect(await promiseOf(stores[name].blobEndpoint)).toBe(`https://${accountName}.blob.core.windows.net/`);
  });

  it("parents every resource to the component and tags the account", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children).toHaveLength(2 + (args.retentionDays !== undefined ? 1 : 0) + args.writerPrincipalIds.length);
    for (const child of children) expect(child.parent, child.name).toBe(componentOf(name).urn);
    expect(accountOf(name).tags).toEqual(args.tags);
  });
});

describe("ArchivalStorage options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children).toHaveLength(5);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});
