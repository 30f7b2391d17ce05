import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/schema";
import type { ArchivalSpec } from "../temporal/archival";
import { ARCHIVAL_CONTAINER, ArchivalStorage } from "./archivalStorage";
import { AksWorkloadIdentity } from "./workloadIdentity";

/** The archive account of a stack that archives on AKS, and the identity its S3 gateway signs in as. */
export interface BlobArchive {
  storage: ArchivalStorage;
  identity: AksWorkloadIdentity;
}

/**
 * The region the archiver signs its requests for. s3proxy checks the signature with whatever
 * region the request names and ignores it otherwise; the SDK just refuses to sign without one.
 */
export const GATEWAY_SIGNING_REGION = "us-east-1";

/** Where the gateway's pods run: the service account Entra ID trusts tokens of. */
export interface GatewaySubject {
  namespace: pulumi.Input<string>;
  serviceAccountName: string;
}

/** Where the archive goes: the AKS cluster's resource group, region, OIDC issuer and subnets. */
export interface ArchiveSite {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  aks: { oidcIssuerUrl: pulumi.Input<string> };
  clusterSubnetIds: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/** The archive storage of a stack that turns archival on (the config admits that on AKS through the gateway). */
export function blobArchiveFor(name: string, config: StackConfig, platform: ArchiveSite, gateway: GatewaySubject, opts: pulumi.ComponentResourceOptions): BlobArchive | undefined {
  if (!config.archival.enabled) return undefined;
  const production = config.environment === "production";
  const identity = new AksWorkloadIdentity(
    `${name}-gateway`,
    {
      resourceGroupName: platform.resourceGroupName,
      location: platform.location,
      oidcIssuerUrl: platform.aks.oidcIssuerUrl,
      namespace: gateway.namespace,
      serviceAccountName: gateway.serviceAccountName,
      tags: platform.tags,
    },
    opts,
  );
  const storage = new ArchivalStorage(
    name,
    {
      resourceGroupName: platform.resourceGroupName,
      location: platform.location,
      // Amazon S3 keeps every object in three zones; ZRS is Blob Storage's match for production.
      redundancy: production ? "ZRS" : "LRS",
      retentionDays: config.archival.lifecycle.expireAfterDays,
      writerPrincipalIds: [identity.principalId],
      allowedSubnetIds: platform.clusterSubnetIds,
      tags: platform.tags,
    },
    // Archives outlive the stack, and a namespace's archival URI can never point elsewhere.
    { ...opts, protect: production },
  );
  return { storage, identity };
}

/** What the server config needs to archive through the gateway: the container as the bucket. */
export function blobArchivalSpec(config: StackConfig, gatewayEndpoint: pulumi.Input<string>): pulumi.Output<ArchivalSpec> {
  return pulumi.output(gatewayEndpoint).apply((endpoint) => ({
    bucket: ARCHIVAL_CONTAINER,
    region: GATEWAY_SIGNING_REGION,
    endpoint,
    history: config.archival.history,
    visibility: config.archival.visibility,
  }));
}
