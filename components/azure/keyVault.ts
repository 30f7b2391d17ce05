import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { GLOBAL_NAME_RULES, globalNameOutput } from "./globalName";
import { BUILT_IN_ROLES, grantRole } from "./roleAssignments";
import { azureTags } from "./tags";

export interface SecretVaultArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /** The Entra ID tenant that authenticates callers of the vault. */
  tenantId: pulumi.Input<string>;
  /** Identities (AKS workload identities, the kubelet identity) that may read the secrets, and nothing else. */
  readerPrincipalIds: pulumi.Input<string>[];
  /** Secret name (letters, digits and hyphens) to value. The values only ever travel as Pulumi secrets. */
  secrets: Record<string, pulumi.Input<string>>;
  /**
   * Subnets (with the Microsoft.KeyVault service endpoint) whose traffic the vault's firewall admits.
   * Without any, public network access is off and only a private endpoint made elsewhere reaches the vault.
   */
  allowedSubnetIds?: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/** Key Vault's limit: 1-127 letters, digits and hyphens. */
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;
/** The longest soft-delete retention Key Vault offers: a deleted vault or secret stays recoverable for 90 days. */
const SOFT_DELETE_RETENTION_DAYS = 90;

/**
 * A Key Vault for the secrets Temporal's pods read: access decided by Azure RBAC only (no access
 * policies), deletions recoverable for 90 days and never purgeable early, its firewall denying
 * everything but the allowed subnets, and "Key Vault Secrets User" on this vault alone for each
 * reader. Pulumi writes the secrets through Azure Resource Manager, which the vault's firewall does
 * not filter, so the deployment does not need network access to the vault.
 */
export class SecretVault extends pulumi.ComponentResource {
  readonly vault: keyvault.Vault;
  readonly vaultUri: pulumi.Output<string>;
  /** Versionless URIs, so readers always get the current version of each secret. */
  readonly secretUris: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: SecretVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:SecretVault", name, {}, opts);
    if (args.readerPrincipalIds.length === 0) {
      throw new Error("SecretVault needs at least one reader principal: nobody else may read its secrets");
    }
    const badNames = Object.keys(args.secrets).filter((secretName) => !SECRET_NAME.test(secretName));
    if (badNames.length > 0) {
      throw new Error(`Key Vault secret names may only hold letters, digits and hyphens (at most 127); refused: ${badNames.join(", ")}`);
    }
    const subnets = args.allowedSubnetIds ?? [];
    const tags = azureTags(args.tags);
    const subscriptionId = authorization.getClientConfigOutput({ parent: this }).subscriptionId;

    this.vault = new keyvault.Vault(
      `${name}-vault`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        vaultName: globalNameOutput(name, subscriptionId, args.resourceGroupName, GLOBAL_NAME_RULES.keyVault),
        properties: {
          tenantId: args.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: SOFT_DELETE_RETENTION_DAYS,
          // Irreversible by design: not even the subscription owner can purge a deleted secret early.
          enablePurgeProtection: true,
          enabledForDeployment: false,
          enabledForDiskEncryption: false,
          enabledForTemplateDeployment: false,
          // "Disabled" makes Key Vault ignore the firewall's subnet rules, so it is only "Enabled" when there are some.
          publicNetworkAccess: subnets.length > 0 ? "Enabled" : "Disabled",
          // Deny is also what holds if someone switches public access back on by hand; no trusted-service bypass.
          networkAcls: {
            defaultAction: "Deny",
            bypass: "None",
            ipRules: [],
            virtualNetworkRules: subnets.map((id) => ({ id, ignoreMissingVnetServiceEndpoint: false })),
          },
        },
        tags,
      },
      childOf(this, opts),
    );
    this.vaultUri = this.vault.properties.vaultUri;

    this.secretUris = {};
    for (const [secretName, value] of Object.entries(args.secrets)) {
      const secret = new keyvault.Secret(
        `${name}-secret-${secretName}`,
        {
          resourceGroupName: args.resourceGroupName,
          vaultName: this.vault.name,
          secretName,
          // Wrapped again: a plain value handed in by mistake must not land in the state in clear text.
          properties: { value: pulumi.secret(value), contentType: "text/plain" },
          tags,
        },
        childOf(this, opts),
      );
      // Built from the vault URI rather than read back from the secret, whose outputs carry its value;
      // waiting on the secret's id means nothing reads the URI before the secret exists.
      this.secretUris[secretName] = pulumi.all([this.vaultUri, secret.id]).apply(([vaultUri]) => `${vaultUri.replace(/\/?$/, "/")}secrets/${secretName}`);
    }

    grantRole(
      `${name}-reader`,
      {
        principalIds: args.readerPrincipalIds,
        roleId: BUILT_IN_ROLES.keyVaultSecretsUser,
        scope: this.vault.id,
        subscriptionId,
        description: "Reads the Temporal secrets of this vault only",
      },
      childOf(this, opts),
    );

    this.registerOutputs({ vaultUri: this.vaultUri, secretUris: this.secretUris });
  }
}
