import type * as pulumi from "@pulumi/pulumi";
import type { ArchivalBucket } from "../../aws/archivalBucket";
import type { EcsCluster } from "../../aws/ecs/ecsCluster";
import type { SqlPlugin } from "../../temporal/serverConfig";

/** The database the roles use, as the AWS platform created it. */
export interface EcsSqlServer {
  engine: SqlPlugin;
  host: pulumi.Output<string>;
  port: number;
  password: pulumi.Output<string>;
  /** The region's RDS certificate authorities, so the tasks verify the server. */
  caBundle: pulumi.Input<string>;
  ready: pulumi.Resource[];
}

/** Where the ECS runtime deploys: what the AWS platform made for Fargate tasks. */
export interface EcsRuntimeTarget {
  ecs: EcsCluster;
  vpcId: pulumi.Input<string>;
  vpcCidr: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string>[];
  publicSubnetIds: pulumi.Input<string>[];
  database: EcsSqlServer;
  tags: Record<string, string>;
  /** The archive bucket, when the stack archives: the roles that touch it get a task role for it. */
  archive?: ArchivalBucket;
}
