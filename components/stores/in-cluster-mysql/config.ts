import { z } from "zod";
import { podOverrides } from "../../config/podSchema";
import { MYSQL_POD } from "./pod";
import { image, quantity, resources, sqlPool } from "../../config/primitives";
import type { ResourcesConfig } from "../../config/primitives";
import type { Environment } from "../../config/schema";
import { IN_CLUSTER_SQL, SQL_ACCOUNT } from "../sql/config";

/** A single MySQL 8 server in the cluster, for dev. */
export const inClusterMysql = z.strictObject({
  hosting: z.literal("in-cluster").meta({ description: "One MySQL 8 pod in the cluster; its generated password lives in the Secret <clusterName>-store-credentials." }),
  engine: z.literal("mysql8").meta({ description: "Temporal's MySQL 8 plugin, the only one for this store." }),
  image: image.meta({ description: "The MySQL image." }),
  storageSize: quantity.meta({ description: "The size of the data volume claimed for each pod." }),
  storageClassName: z.string().optional().meta({ description: "The StorageClass of the data volume; unset, the cluster's default StorageClass." }),
  resources: resources.meta({ description: "The CPU and memory requests and limits of the store's pods." }),
  user: z.string().min(1).max(32).meta({ description: "The database user Temporal connects as." }),
  database: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier").meta({ description: "The database holding Temporal's state." }),
  visibilityDatabase: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier").meta({ description: "The database holding the visibility records, on the same server." }),
  pool: sqlPool.meta({ description: "Temporal's connection pool to the database, per role pod." }),
  pod: podOverrides(MYSQL_POD).optional().meta({ description: "Scheduling, labels, pull secrets, extra env and volumes for the MySQL pod (docs/pod-overrides.md); never the kit's MYSQL_* env, volumes or mounts." }),
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
