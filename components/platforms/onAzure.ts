import type * as pulumi from "@pulumi/pulumi";
import { blobArchiveFor } from "../azure/archivalSetup";
import { ClusterNames } from "../kubernetes/names";
import { aksPlatform } from "./aks";
import { AzurePlatform } from "./azure/azurePlatform";
import type { PlatformArgs } from "./index";
import type { Platform } from "./platform";

/** AKS: the Azure network, cluster and stores, the Blob archive, and the platform over them. */
export function azurePlatformFor(name: string, args: PlatformArgs, parent: pulumi.Resource): Platform {
  const { config } = args;
  const azure = new AzurePlatform(`${name}-azure`, args, { parent });
  // The gateway's pods are the archive's only writer; Entra ID trusts their service account's tokens.
  const gateway = { namespace: config.kubernetes.namespace, serviceAccountName: new ClusterNames(config.clusterName).archiveGateway };
  return aksPlatform(config, azure, blobArchiveFor(`${name}-archival`, config, azure, gateway, { parent }));
}
