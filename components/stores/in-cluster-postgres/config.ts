import { z } from "zod";
import { podOverrides } from "../../config/podSchema";
import { POSTGRES_POD } from "./pod";
import { image, quantity, resources, sqlIdentifier, sqlPool } from "../../config/primitives";
import type { ResourcesConfig } from "../../config/primitives";
import type { Environment } from "../../config/schema";
import { IN_CLUSTER_SQL, SQL_ACCOUNT } from "../sql/config";

/**
 * The official postgres image from major 12 on (Temporal's postgres12 plugins need 12 or later),
 * by tag or digest, from Docker Hub or a mirror that keeps the name.
 */
const POSTGRES_IMAGE = /(^|\/)postgres:(1[2-9]|[2-9]\d)(\.\d+)?(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$/;

/** A single PostgreSQL server in the cluster, the official image's entrypoint creating the user and databases. */
export const inClusterPostgres = z.strictObject({
  hosting: z.literal("in-cluster-postgres").meta({ description: "One PostgreSQL pod in the cluster on the official postgres image (12 or later); its generated password lives in the Secret <clusterName>-postgres-credentials." }),
  // Two Temporal plugins for the same schema: lib/pq and pgx.
  engine: z.enum(["postgres12", "postgres12_pgx"]).meta({ description: "Temporal's PostgreSQL plugin: lib/pq (postgres12) or pgx (postgres12_pgx), for the same schema." }),
  image: image
    .refine((ref) => POSTGRES_IMAGE.test(ref), { message: "must be the official postgres image at major 12 or later, such as postgres:17.11-trixie" })
    .refine((ref) => !/:[^/@]*alpine/.test(ref), {
      message: "must be a Debian variant of the postgres image: the kit runs it as the Debian image's postgres user (uid 999), the Alpine variants' is uid 70",
    })
    .meta({ description: "The PostgreSQL image: the official postgres image at major 12 or later, in a Debian variant (the kit runs it as that image's postgres user, uid 999)." }),
  storageSize: quantity.meta({ description: "The size of the data volume claimed for each pod." }),
  storageClassName: z.string().optional().meta({ description: "The StorageClass of the data volume; unset, the cluster's default StorageClass." }),
  resources: resources.meta({ description: "The CPU and memory requests and limits of the store's pods." }),
  // The entrypoint makes this the superuser (initdb --username); PostgreSQL reserves pg_ for its own roles.
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a PostgreSQL role name: lower-case letters, digits and _, at most 63 characters")
    .refine((user) => !user.startsWith("pg_"), { message: "must not start with pg_: PostgreSQL reserves those role names" })
    .meta({ description: "The database user Temporal connects as; the image's entrypoint makes it the superuser." }),
  database: sqlIdentifier.meta({ description: "The database holding Temporal's state." }),
  visibilityDatabase: sqlIdentifier.meta({ description: "The database holding the visibility records, on the same server." }),
  pool: sqlPool.meta({ description: "Temporal's connection pool to the database, per role pod." }),
  pod: podOverrides(POSTGRES_POD).optional().meta({ description: "Scheduling, labels, pull secrets, extra env and volumes for the PostgreSQL pod (docs/pod-overrides.md); never the kit's POSTGRES_* or PG* env, volumes or mounts." }),
});
export type InClusterPostgresConfig = z.infer<typeof inClusterPostgres>;

/**
 * PostgreSQL in the cluster, sized as in-cluster MySQL is. postgres:17.11-trixie is the newest
 * patch of major 17 in docker-library/postgres's versions.json (commit 2603e26e, "17": version
 * 17.11, Debian variant trixie, also 17/trixie/Dockerfile's PG_VERSION 17.11-1.pgdg13+2); a Debian
 * variant because the kit runs it as that image's postgres user, uid 999.
 */
const preset = (storageSize: string, resources: ResourcesConfig) =>
  ({
    hosting: "in-cluster-postgres",
    engine: "postgres12",
    image: "postgres:17.11-trixie",
    storageSize,
    resources,
    ...SQL_ACCOUNT,
  }) as const;

export const IN_CLUSTER_POSTGRES_PRESETS: Record<Environment, InClusterPostgresConfig> = {
  dev: preset(...IN_CLUSTER_SQL.dev),
  staging: preset(...IN_CLUSTER_SQL.staging),
  production: preset(...IN_CLUSTER_SQL.production),
};
