import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/schema";
import { lazyModule } from "../lazyModule";
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
  switch (args.config.platform) {
    case "kubernetes":
      return plainKubernetes();
    case "aws-eks":
    case "aws-ecs":
      return onAws().awsPlatformFor(name, args, parent);
    case "azure-aks":
      return onAzure().azurePlatformFor(name, args, parent);
  }
}

// A stack loads its own cloud's code and SDK only.
const onAws = lazyModule("platforms/onAws", () => require("./onAws") as typeof import("./onAws"));
const onAzure = lazyModule("platforms/onAzure", () => require("./onAzure") as typeof import("./onAzure"));
