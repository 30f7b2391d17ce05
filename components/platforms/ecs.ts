import type { AwsPlatform } from "./aws/awsPlatform";
import type { ArchivalBucket } from "../aws/archivalBucket";
import { awsOutputs } from "./awsOutputs";
import type { EcsPlatform } from "./platform";

/** ECS Fargate: the cluster, network and RDS database AwsPlatform made, and the archive bucket. */
export function ecsPlatform(aws: AwsPlatform, archive: ArchivalBucket | undefined): EcsPlatform {
  const ecs = aws.ecs!;
  return {
    runtime: "ecs",
    target: {
      ecs,
      vpcId: aws.vpcId,
      vpcCidr: aws.vpcCidr,
      privateSubnetIds: aws.privateSubnetIds,
      publicSubnetIds: aws.publicSubnetIds,
      database: aws.ecsSqlServer!,
      tags: aws.tags,
      ...(archive ? { archive } : {}),
    },
    outputs: { ...awsOutputs(aws), ecsClusterName: ecs.cluster.name },
  };
}
