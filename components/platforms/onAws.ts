import type * as pulumi from "@pulumi/pulumi";
import { archivalBucketFor } from "../aws/archivalSetup";
import { AwsPlatform } from "./aws/awsPlatform";
import { lazyModule } from "../lazyModule";
import { ecsPlatform } from "./ecs";
import type { PlatformArgs } from "./index";
import type { Platform } from "./platform";

/** EKS or ECS: the AWS network, cluster and stores, the archive bucket, and the platform over them. */
export function awsPlatformFor(name: string, args: PlatformArgs, parent: pulumi.Resource): Platform {
  const { config } = args;
  const aws = new AwsPlatform(`${name}-aws`, args, { parent });
  const archive = archivalBucketFor(`${name}-archival`, config, aws.tags, { parent });
  return config.platform === "aws-ecs" ? ecsPlatform(aws, archive) : eks().eksPlatform(config, aws, archive, parent);
}

// EKS's platform makes Kubernetes objects: an ECS stack does not load @pulumi/kubernetes for it.
const eks = lazyModule("platforms/eks", () => require("./eks") as typeof import("./eks"));
