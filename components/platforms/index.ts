import type * as pulumi from "@pulumi/pulumi";
import { archivalBucketFor } from "../aws/archivalSetup";
import { AwsPlatform } from "./aws/awsPlatform";
import { blobArchiveFor } from "../azure/archivalSetup";
import { AzurePlatform } from "./azure/azurePlatform";
import type { StackConfig } from "../config/schema";
import { ClusterNames } from "../kubernetes/names";
import { aksPlatform } from "./aks";
import { ecsPlatform } from "./ecs";
import { eksPlatform } from "./eks";
import { plainKubernetes } from "./kubernetes";
import type { Platform } from "./platform";

export type { Platform } from "./platform";

export interface PlatformArgs {
  config: StackConfig;
  /** From the Temporal connection budget; becomes a managed database's connection limit. */
  sqlConnectionsNeeded: number;
}

/**
 * The platform the stack file names, made as children of `parent`: the cloud resources it needs
 * (network, cluster, managed stores, archive) and what the deployment gets from them.
 */
export function platformFor(name: string, args: PlatformArgs, parent: pulumi.Resource): Platform {
  const { config } = args;
  switch (config.platform) {
    case "kubernetes":
      return plainKubernetes();
    case "aws-eks":
    case "aws-ecs": {
      const aws = new AwsPlatform(`${name}-aws`, args, { parent });
      const archive = archivalBucketFor(`${name}-archival`, config, aws.tags, { parent });
      return config.platform === "aws-ecs" ? ecsPlatform(aws, archive) : eksPlatform(config, aws, archive, parent);
    }
    case "azure-aks": {
      const azure = new AzurePlatform(`${name}-azure`, args, { parent });
      // The gateway's pods are the archive's only writer; Entra ID trusts their service account's tokens.
      const gateway = { namespace: config.kubernetes.namespace, serviceAccountName: new ClusterNames(config.clusterName).archiveGateway };
      return aksPlatform(config, azure, blobArchiveFor(`${name}-archival`, config, azure, gateway, { parent }));
    }
  }
}
