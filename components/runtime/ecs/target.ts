import type * as pulumi from "@pulumi/pulumi";
import type { ArchivalBucket } from "../../aws/archivalBucket";
import type { EcsCluster } from "../../aws/ecs/ecsCluster";
import type { ManagedSqlServer } from "../../stores/contract";

/** Where the ECS runtime deploys: what the AWS platform made for Fargate tasks. */
export interface EcsRuntimeTarget {
  ecs: EcsCluster;
  vpcId: pulumi.Input<string>;
  vpcCidr: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string>[];
  publicSubnetIds: pulumi.Input<string>[];
  /** The RDS database; its CA bundle is the region's own, which the tasks write to a file. */
  database: ManagedSqlServer & { caBundle: pulumi.Input<string> };
  tags: Record<string, string>;
  /** The archive bucket, when the stack archives: the roles that touch it get a task role for it. */
  archive?: ArchivalBucket;
}
