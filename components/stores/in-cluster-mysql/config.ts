import { z } from "zod";
import { image, quantity, resources, sqlPool } from "../../config/primitives";
import type { ResourcesConfig } from "../../config/primitives";
import type { Environment } from "../../config/schema";
import { IN_CLUSTER_SQL, SQL_ACCOUNT } from "../sql/config";

/** A single MySQL 8 server in the cluster, for dev. */
export const inClusterMysql = z.strictObject({
  hosting: z.literal("in-cluster"),
  engine: z.literal("mysql8"),
  image,
  storageSize: quantity,
  storageClassName: z.string().optional(),
  resources,
  user: z.string().min(1).max(32),
  database: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier"),
  visibilityDatabase: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier"),
  pool: sqlPool,
});
export type InClusterMysqlConfig = z.infer<typeof inClusterMysql>;

const preset = (storageSize: string, resources: ResourcesConfig) =>
  ({
    hosting: "in-cluster",
    engine: "mysql8",
    image: "mysql:8.4.6",
    storageSize,
    resources,
    ...SQL_ACCOUNT,
  }) as const;

export const IN_CLUSTER_MYSQL_PRESETS: Record<Environment, InClusterMysqlConfig> = {
  dev: preset(...IN_CLUSTER_SQL.dev),
  staging: preset(...IN_CLUSTER_SQL.staging),
  production: preset(...IN_CLUSTER_SQL.production),
};
