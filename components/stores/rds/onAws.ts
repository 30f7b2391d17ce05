import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EcsSqlServer } from "../../runtime/ecs/target";
import type { AwsStorePlacement } from "../awsStoreArgs";
import type { ManagedStore } from "../contract";
import type { RdsPersistenceConfig } from "./config";
import { ALL_RDS_CAS, rdsCaBundle } from "./rdsCaBundle";
import { RdsDatabase } from "./rdsDatabase";

export interface RdsOnAwsArgs extends AwsStorePlacement {
  config: RdsPersistenceConfig;
  production: boolean;
  /** From the Temporal connection budget; becomes the database's max_connections. */
  maxConnections: number;
  /** Who consumes it: the Kubernetes side on EKS, the Fargate tasks on ECS. */
  consumers: { eks: boolean; ecs: boolean };
  /** The AWS platform, which asks for its region's certificate authorities. */
  platform: pulumi.Resource;
}

/** The RDS database for the default store, as EKS and ECS each consume it. */
export function rdsOnAws(name: string, args: RdsOnAwsArgs, opts: pulumi.ComponentResourceOptions): { database: RdsDatabase; managed?: ManagedStore; ecsSqlServer?: EcsSqlServer } {
  const { config } = args;
  const database = new RdsDatabase(
    name,
    {
      engine: config.engine,
      engineVersion: config.engineVersion,
      instanceClass: config.instanceClass,
      allocatedStorageGb: config.allocatedStorageGb,
      maxAllocatedStorageGb: config.maxAllocatedStorageGb,
      multiAz: config.multiAz,
      backupRetentionDays: config.backupRetentionDays,
      deletionProtection: args.production,
      performanceInsights: config.performanceInsights,
      monitoringIntervalSeconds: config.monitoringIntervalSeconds,
      username: config.user,
      databaseName: config.database,
      maxConnections: args.maxConnections,
      vpcId: args.vpcId,
      subnetIds: args.subnetIds,
      clientSecurityGroupIds: args.clientSecurityGroupIds,
      tags: args.tags,
    },
    opts,
  );
  const server = { engine: config.engine, host: database.address, port: database.port, password: database.password, ready: [database] };
  // Amazon's RDS certificate authorities, so the clients verify the server certificate.
  return {
    database,
    ...(args.consumers.eks ? { managed: { kind: "sql" as const, ...server, caBundle: ALL_RDS_CAS.join("\n") } } : {}),
    ...(args.consumers.ecs ? { ecsSqlServer: { ...server, caBundle: aws.getRegionOutput({}, { parent: args.platform }).region.apply(rdsCaBundle) } } : {}),
  };
}
