import { getRegionOutput } from "@pulumi/aws/getRegion";
import type * as pulumi from "@pulumi/pulumi";
import type { AwsStorePlacement } from "../awsStoreArgs";
import type { ManagedSqlServer } from "../contract";
import type { RdsPersistenceConfig } from "./config";
import { ALL_RDS_CAS, rdsCaBundle } from "./rdsCaBundle";
import { RdsDatabase } from "./rdsDatabase";

export interface RdsOnAwsArgs extends AwsStorePlacement {
  config: RdsPersistenceConfig;
  production: boolean;
  /** From the Temporal connection budget; becomes the database's max_connections. */
  maxConnections: number;
  /**
   * Which of Amazon's RDS certificate authorities the clients trust: every region's (a CA bundle
   * mounted from a ConfigMap on EKS), or only the region's own, which keeps the bundle ECS passes
   * through a task's environment small.
   */
  certificateAuthorities: "every-region" | "own-region";
  /** The AWS platform, which asks for its region's certificate authorities. */
  platform: pulumi.Resource;
}

/** The RDS database for the default store, and how its clients reach it, on EKS and ECS alike. */
export function rdsOnAws(name: string, args: RdsOnAwsArgs, opts: pulumi.ComponentResourceOptions): { database: RdsDatabase; managed: ManagedSqlServer } {
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
  // Amazon's RDS certificate authorities, so the clients verify the server certificate.
  const caBundle =
    args.certificateAuthorities === "every-region" ? ALL_RDS_CAS.join("\n") : getRegionOutput({}, { parent: args.platform }).region.apply(rdsCaBundle);
  return {
    database,
    managed: { kind: "sql", engine: config.engine, host: database.address, port: database.port, password: database.password, caBundle, ready: [database] },
  };
}
