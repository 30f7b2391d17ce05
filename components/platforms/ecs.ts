import type { AwsPlatform } from "./aws/awsPlatform";
import type { ArchivalBucket } from "../aws/archivalBucket";
import { awsOutputs } from "./awsOutputs";
import type { EcsPlatform } from "./platform";

/** ECS Fargate: the cluster, network and RDS database AwsPlatform made, and the archive bucket. */
export function ecsPlatform(aws: AwsPlatform, archive: ArchivalBucket | undefined): EcsPlatform {
  const ecs = aws.ecs!;
  const database = aws.managedStores.default;
  // The stack config admits only RDS on ECS, and the platform hands RDS over with its region's CAs.
  if (database?.kind !== "sql" || database.caBundle === undefined) throw new Error("ECS needs the RDS database the AWS platform makes (checked by the stack config)");
  return {
    runtime: "ecs",
    target: {
      ecs,
      vpcId: aws.vpcId,
      vpcCidr: aws.vpcCidr,
      privateSubnetIds: aws.privateSubnetIds,
      publicSubnetIds: aws.publicSubnetIds,
      database: { ...database, caBundle: database.caBundle },
      tags: aws.tags,
      ...(archive ? { archive } : {}),
    },
    outputs: { ...awsOutputs(aws), ecsClusterName: ecs.cluster.name },
  };
}
