import { z } from "zod";
import type { Environment } from "../../config/schema";
import { sqlPool } from "../../config/primitives";
import { SQL_ACCOUNT } from "../sql/config";
import { RDS_FAMILIES, isMysqlOrPostgresInstanceClass } from "./rdsInstanceClasses";

const sqlIdentifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier");

export const rdsPersistence = z.strictObject({
  hosting: z.literal("rds").meta({ description: "An RDS instance the kit creates in the private subnets (aws-eks, aws-ecs): storage encrypted, TLS required, password generated as a Pulumi secret." }),
  engine: z.enum(["mysql8", "postgres12"]).meta({ description: "MySQL 8 or PostgreSQL (Temporal's postgres12 plugin)." }),
  engineVersion: z.string().regex(/^\d+(\.\d+){0,2}$/, "must be an RDS engine version such as 8.4 or 17").meta({ description: "A major version RDS creates under standard support; RDS creates its newest minor and keeps it patched." }),
  acceptExtendedSupport: z.boolean().optional().meta({ description: "Accepts a major under RDS Extended Support, at its extra fee: for an instance already running one (MySQL 8.0), whose move to a supported major is a planned major-version upgrade, not a default." }),
  instanceClass: z.string().refine(isMysqlOrPostgresInstanceClass, {
    message: `must be an RDS instance class offered for MySQL and PostgreSQL (families ${RDS_FAMILIES.join(", ")})`,
  }).meta({ description: "The instance's size, an RDS instance class offered for both MySQL and PostgreSQL, such as db.r6g.xlarge." }),
  allocatedStorageGb: z.number().int().min(20).max(65536).meta({ description: "The storage the instance starts with, in GB." }),
  maxAllocatedStorageGb: z.number().int().min(20).max(65536).meta({ description: "The ceiling RDS storage autoscaling may grow to, in GB." }),
  multiAz: z.boolean().meta({ description: "A standby in a second availability zone; required in production unless allowSingleAzInProduction." }),
  allowSingleAzInProduction: z.boolean().meta({ description: "Production refuses single-AZ unless this says it is meant." }),
  backupRetentionDays: z.number().int().min(1).max(35).meta({ description: "Days of automated backups; at least 7 in production." }),
  performanceInsights: z.boolean().meta({ description: "RDS Performance Insights on the instance." }),
  monitoringIntervalSeconds: z.union([z.literal(0), z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]).meta({ description: "How often RDS Enhanced Monitoring collects metrics, in seconds; 0 turns it off." }),
  user: z.string().regex(/^[a-z][a-z0-9_]{0,15}$/, "must be a database user name (letters, digits, _; at most 16)").meta({ description: "The instance's master user, which Temporal connects as." }),
  database: sqlIdentifier.meta({ description: "The database holding Temporal's state." }),
  visibilityDatabase: sqlIdentifier.meta({ description: "The database holding the visibility records, on the same instance." }),
  pool: sqlPool,
});
export type RdsPersistenceConfig = z.infer<typeof rdsPersistence>;

const rds = (overrides: Pick<RdsPersistenceConfig, "instanceClass" | "allocatedStorageGb" | "maxAllocatedStorageGb" | "multiAz" | "backupRetentionDays" | "performanceInsights" | "monitoringIntervalSeconds">): RdsPersistenceConfig => ({
  hosting: "rds",
  engine: "mysql8",
  // A major version: RDS picks the newest minor and keeps it patched (autoMinorVersionUpgrade).
  // 8.4 is the only MySQL major RDS still creates under standard support (rdsEngineVersions.ts).
  // A stack file that picks engine postgres12 sets engineVersion too, e.g. "17": the newest major
  // the kit already runs Temporal on (its in-cluster PostgreSQL), under RDS standard support to 2030.
  engineVersion: "8.4",
  allowSingleAzInProduction: false,
  ...SQL_ACCOUNT,
  ...overrides,
});

/**
 * Temporal's scaling blog ran MySQL at 4 vCPU / 32 GiB for ~1,350 state transitions/s, which is
 * db.r6g.xlarge; staging is a burstable 2 vCPU / 4 GiB class that holds its test load.
 */
export const RDS_PRESETS: Record<Environment, RdsPersistenceConfig> = {
  dev: rds({ instanceClass: "db.t4g.small", allocatedStorageGb: 20, maxAllocatedStorageGb: 50, multiAz: false, backupRetentionDays: 1, performanceInsights: false, monitoringIntervalSeconds: 0 }),
  staging: rds({ instanceClass: "db.t4g.medium", allocatedStorageGb: 50, maxAllocatedStorageGb: 200, multiAz: false, backupRetentionDays: 7, performanceInsights: false, monitoringIntervalSeconds: 60 }),
  production: rds({ instanceClass: "db.r6g.xlarge", allocatedStorageGb: 200, maxAllocatedStorageGb: 1000, multiAz: true, backupRetentionDays: 14, performanceInsights: true, monitoringIntervalSeconds: 60 }),
};
export { rdsEngineVersionProblem } from "./rdsEngineVersions";
