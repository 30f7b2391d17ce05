import * as authorization from "@pulumi/azure-native/authorization";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { GLOBAL_NAME_RULES, globalNameOutput } from "./globalName";
import { BUILT_IN_ROLES, grantRole } from "./roleAssignments";
import { azureTags } from "./tags";

export interface ArchivalStorageArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /** Copies within one datacenter (LRS), across the region's zones (ZRS), or across zones plus a paired region (GZRS). */
  redundancy: "LRS" | "ZRS" | "GZRS";
  /** Archives older than this are deleted by a lifecycle rule; without it they are kept until someone deletes them. */
  retentionDays?: number;
  /** Identities (AKS workload identities) that write and read the archives, on the container alone. */
  writerPrincipalIds: pulumi.Input<string>[];
  /**
   * Subnets (with the Microsoft.Storage service endpoint) whose traffic the account's firewall admits.
   * Without any, public network access is off and only a private endpoint made elsewhere reaches the account.
   */
  allowedSubnetIds?: pulumi.Input<string>[];
  tags: Record<string, string>;
}

export const ARCHIVAL_CONTAINER = "temporal-archival";

/**
 * Blob Storage for Temporal's history and visibility archives: HTTPS with TLS 1.2 or newer only,
 * Entra ID only (no account keys, no SAS signed with them), no anonymous reads, a firewall that
 * denies everything but the allowed subnets, and "Storage Blob Data Contributor" on the archive
 * container alone for each writer. Pulumi creates the container and the lifecycle rule through Azure
 * Resource Manager, which needs neither account keys nor network access to the account.
 *
 * Temporal's server ships archivers for the filesystem, S3 and Google Cloud Storage only
 * (temporalio/temporal#5516): the kit's S3 gateway in the cluster (kubernetes/blobArchiveGateway.ts)
 * fronts the account and signs in with Entra ID as the writer.
 */
export class ArchivalStorage extends pulumi.ComponentResource {
  readonly account: storage.StorageAccount;
  readonly container: storage.BlobContainer;
  readonly accountName: pulumi.Output<string>;
  readonly containerName: pulumi.Output<string>;
  readonly blobEndpoint: pulumi.Output<string>;

  constructor(name: string, args: ArchivalStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:ArchivalStorage", name, {}, opts);
    if (args.writerPrincipalIds.length === 0) {
      throw new Error("ArchivalStorage needs at least one writer principal: nothing else may write the archives");
    }
    if (args.retentionDays !== undefined && !(Number.isInteger(args.retentionDays) && args.retentionDays >= 1)) {
      throw new Error(`retentionDays must be a whole number of days, at least 1; given ${args.retentionDays}`);
    }
    const subnets = args.allowedSubnetIds ?? [];
    const tags = azureTags(args.tags);
    const subscriptionId = authorization.getClientConfigOutput({ parent: this }).subscriptionId;

    this.account = new storage.StorageAccount(
      `${name}-account`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        accountName: globalNameOutput(name, subscriptionId, args.resourceGroupName, GLOBAL_NAME_RULES.storageAccount),
        kind: "StorageV2",
        sku: { name: `Standard_${args.redundancy}` },
        // Archives are written once and read rarely: the cool tier stores them for less.
        accessTier: "Cool",
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        // Entra ID only: a leaked account key or a SAS signed with it opens nothing.
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        allowCrossTenantReplication: false,
        isLocalUserEnabled: false,
        // "Disabled" makes Storage ignore the firewall's subnet rules, so it is only "Enabled" when there are some.
        publicNetworkAccess: subnets.length > 0 ? "Enabled" : "Disabled",
        // Deny is also what holds if someone switches public access back on by hand; no trusted-service bypass.
        networkRuleSet: {
          defaultAction: "Deny",
          bypass: "None",
          ipRules: [],
          virtualNetworkRules: subnets.map((virtualNetworkResourceId) => ({ virtualNetworkResourceId, action: "Allow" })),
        },
        tags,
      },
      childOf(this, opts),
    );

    this.container = new storage.BlobContainer(
      `${name}-container`,
      { resourceGroupName: args.resourceGroupName, accountName: this.account.name, containerName: ARCHIVAL_CONTAINER, publicAccess: "None" },
      childOf(this, opts),
    );

    if (args.retentionDays !== undefined) {
      new storage.ManagementPolicy(
        `${name}-retention`,
        {
          resourceGroupName: args.resourceGroupName,
          accountName: this.account.name,
          // The only name Azure accepts: an account has one lifecycle policy.
          managementPolicyName: "default",
          policy: {
            rules: [
              {
                name: "expire-temporal-archives",
                enabled: true,
                type: "Lifecycle",
                definition: {
                  filters: { blobTypes: ["blockBlob"], prefixMatch: [`${ARCHIVAL_CONTAINER}/`] },
                  actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: args.retentionDays } } },
                },
              },
            ],
          },
        },
        childOf(this, opts),
      );
    }

    grantRole(
      `${name}-writer`,
      {
        principalIds: args.writerPrincipalIds,
        roleId: BUILT_IN_ROLES.storageBlobDataContributor,
        // The container, not the account: writers reach the archives and nothing else the account may hold.
        scope: this.container.id,
        subscriptionId,
        description: "Writes and reads Temporal's archives in this container only",
      },
      childOf(this, opts),
    );

    this.accountName = this.account.name;
    this.containerName = this.container.name;
    this.blobEndpoint = this.account.primaryEndpoints.blob;
    this.registerOutputs({ accountName: this.accountName, containerName: this.containerName, blobEndpoint: this.blobEndpoint });
  }
}
