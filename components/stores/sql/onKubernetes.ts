import type * as pulumi from "@pulumi/pulumi";
import type { PersistenceConfig, VisibilitySqlServerConfig } from "../../config/schema";
import type { SecretKeyRef } from "../../kubernetes/secretRef";
import type { StoresArgs } from "../../kubernetes/stores";
import type { SqlPlugin, SqlStoreSpec, StoreTls } from "../../temporal/serverConfig";
import type { ManagedStore } from "../contract";
import { MANAGED_STORE_CA_FILE } from "../managedOnKubernetes";

/** Where a SQL server is and how to log in to it, before a database is picked. */
export interface SqlServer {
  plugin: SqlPlugin;
  host: pulumi.Input<string>;
  port: number;
  user: string;
  pool: SqlStoreSpec["pool"];
  tls?: StoreTls;
}

/** A SQL server's config, as the default store or as visibility's own server beside Cassandra. */
export type SqlServerConfig = Extract<PersistenceConfig | VisibilitySqlServerConfig, { user: string; pool: unknown }>;

/**
 * A SQL server kind's part on Kubernetes: run the server in the cluster, or point at one the
 * operator or a cloud platform made. `name` names what the server is for (the default store, or
 * visibility beside Cassandra).
 */
export type SqlServerOnKubernetes = (
  name: string,
  args: StoresArgs,
  config: SqlServerConfig,
  managed: { store?: ManagedStore; password?: SecretKeyRef },
  opts: pulumi.ComponentResourceOptions,
) => { server: SqlServer; password: SecretKeyRef; ready: pulumi.Resource[] };

/** The in-cluster server components' shared arguments, from the server's config. */
export function inClusterSqlArgs(args: StoresArgs, config: Extract<SqlServerConfig, { hosting: "in-cluster" | "in-cluster-postgres" }>) {
  return {
    names: args.names,
    namespace: args.namespace,
    image: config.image,
    storageSize: config.storageSize,
    storageClassName: config.storageClassName,
    resources: config.resources,
    user: config.user,
    database: config.database,
    visibilityDatabase: config.visibilityDatabase,
    maxConnections: args.connectionsNeeded,
    pod: config.pod,
  };
}

/** A server a cloud platform made (RDS, Flexible Server): its address, and its CA bundle in the cluster. */
export const managedSqlServerOnKubernetes: SqlServerOnKubernetes = (_name, _args, config, managed) => {
  const store = managed.store;
  if (store?.kind !== "sql" || !managed.password) throw new Error(`a ${config.hosting} store needs the cloud platform that created it`);
  return {
    server: {
      plugin: store.engine,
      host: store.host,
      port: store.port,
      user: config.user,
      pool: config.pool,
      tls: { enabled: true, ...(store.caBundle !== undefined ? { caFile: MANAGED_STORE_CA_FILE } : {}) },
    },
    password: managed.password,
    ready: [],
  };
};
