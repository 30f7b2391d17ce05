import { DYNAMIC_CONFIG_DIR, DYNAMIC_CONFIG_FILE, METRICS_PORT, PPROF_PORT, ROLES, RoleName, SERVER_ENV } from "./roles";
import { ArchivalSpec, archivalServerConfig } from "./archival";
import { EnvRef, envScalar, envString, renderTemplatedYaml } from "./template";
import { AuthorizationSpec, ClusterTlsSpec, buildAuthorizationConfig, buildTlsConfig } from "./tls";

export type SqlPlugin = "mysql8" | "postgres12" | "postgres12_pgx";

export interface SqlStoreSpec {
  plugin: SqlPlugin;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Environment variable that holds the password inside the server container. */
  passwordEnv: string;
  pool: { maxConns: number; maxIdleConns: number; maxConnLifetime: string };
  tls?: StoreTls;
}

/** TLS to a store: on for every managed store, verified against a CA file when one is given. */
export interface StoreTls {
  enabled: boolean;
  caFile?: string;
  serverName?: string;
}

/** A Cassandra keyspace as Temporal's default store (self-managed, Azure Managed Instance, Cosmos DB). */
export interface CassandraStoreSpec {
  kind: "cassandra";
  /** Comma-separated contact points. */
  hosts: string;
  port: number;
  user: string;
  passwordEnv: string;
  keyspace: string;
  /** The local data center; absent where the service names none (Cosmos DB), which turns off DC-aware routing. */
  datacenter?: string;
  /** Replication factor the schema job creates the keyspace with; absent when the keyspace is provisioned elsewhere. */
  replicationFactor?: number;
  maxConns: number;
  tls?: StoreTls;
}

/** Elasticsearch or OpenSearch as the visibility store (required beside Cassandra since 1.24). */
export interface ElasticsearchStoreSpec {
  kind: "elasticsearch";
  /** v7 also speaks to OpenSearch 2, which Temporal supports from 1.30.1. */
  version: "v7" | "v8";
  scheme: "http" | "https";
  /** host:port */
  host: string;
  index: string;
  username?: string;
  passwordEnv?: string;
  tls?: StoreTls;
}

export type DefaultStoreSpec = SqlStoreSpec | CassandraStoreSpec;
export type VisibilityStoreSpec = SqlStoreSpec | ElasticsearchStoreSpec;

export const isSqlStore = (store: DefaultStoreSpec | VisibilityStoreSpec): store is SqlStoreSpec => !("kind" in store);

export interface ServerConfigSpec {
  numHistoryShards: number;
  logLevel: "debug" | "info" | "warn" | "error";
  defaultStore: DefaultStoreSpec;
  visibilityStore: VisibilityStoreSpec;
  roles: RoleName[];
  /** host:port of the frontend that the system worker and other internal clients call. */
  frontendAddress: string;
  /** Where the platform puts the dynamic config file; by default the image's conventional path. */
  dynamicConfigFile?: string;
  /** Mutual TLS between the roles and at the frontend (see tls.ts). */
  tls?: ClusterTlsSpec;
  /** JWT authorization at the public frontend (see tls.ts). */
  authorization?: AuthorizationSpec;
  /** Where closed workflows are archived; without it archival is off. */
  archival?: ArchivalSpec;
}

const DEFAULT_STORE = "default";
const VISIBILITY_STORE = "visibility";
const CLUSTER_NAME = "active";

/**
 * The server config every role of one cluster shares. numHistoryShards lives here and only here,
 * so all roles necessarily agree on it.
 */
export function buildServerConfig(spec: ServerConfigSpec): Record<string, unknown> {
  const usesInternalFrontend = spec.roles.includes("internal-frontend");
  return {
    log: { stdout: true, level: spec.logLevel },
    persistence: {
      numHistoryShards: spec.numHistoryShards,
      defaultStore: DEFAULT_STORE,
      visibilityStore: VISIBILITY_STORE,
      datastores: {
        [DEFAULT_STORE]: datastore(spec.defaultStore),
        [VISIBILITY_STORE]: datastore(spec.visibilityStore),
      },
    },
    global: {
      membership: { maxJoinDuration: "30s", broadcastAddress: envScalar(SERVER_ENV.podIp) },
      pprof: { port: PPROF_PORT },
      metrics: {
        tags: { type: envScalar(SERVER_ENV.services) },
        prometheus: { timerType: "histogram", listenAddress: `0.0.0.0:${METRICS_PORT}` },
      },
      ...(spec.tls ? { tls: buildTlsConfig(spec.tls) } : {}),
      ...(spec.authorization ? { authorization: buildAuthorizationConfig(spec.authorization) } : {}),
    },
    services: Object.fromEntries(spec.roles.map((role) => [role, { rpc: rpcConfig(role) }])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: CLUSTER_NAME,
      currentClusterName: CLUSTER_NAME,
      clusterInformation: {
        [CLUSTER_NAME]: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcAddress: `127.0.0.1:${ROLES.frontend.grpcPort}`,
          httpAddress: `127.0.0.1:${ROLES.frontend.httpPort}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: "noop" },
    ...archivalServerConfig(spec.archival),
    // With an internal frontend the server routes its own calls there and needs no public client.
    ...(usesInternalFrontend ? {} : { publicClient: { hostPort: spec.frontendAddress } }),
    dynamicConfigClient: { filepath: spec.dynamicConfigFile ?? `${DYNAMIC_CONFIG_DIR}/${DYNAMIC_CONFIG_FILE}`, pollInterval: "10s" },
  };
}

export function renderServerConfig(spec: ServerConfigSpec): string {
  return renderTemplatedYaml(buildServerConfig(spec));
}

function rpcConfig(role: RoleName): Record<string, unknown> {
  const { grpcPort, membershipPort, httpPort } = ROLES[role];
  return { grpcPort, membershipPort, ...(httpPort ? { httpPort } : {}), bindOnIP: "0.0.0.0" };
}

function datastore(store: DefaultStoreSpec | VisibilityStoreSpec): Record<string, object> {
  if (isSqlStore(store)) return { sql: sqlDatastore(store) };
  return store.kind === "cassandra" ? { cassandra: cassandraDatastore(store) } : { elasticsearch: elasticsearchDatastore(store) };
}

function tlsConfig(tls: StoreTls | undefined): Record<string, object> {
  if (!tls?.enabled) return {};
  return {
    tls: {
      enabled: true,
      enableHostVerification: true,
      ...(tls.caFile ? { caFile: tls.caFile } : {}),
      ...(tls.serverName ? { serverName: tls.serverName } : {}),
    },
  };
}

function cassandraDatastore(store: CassandraStoreSpec): Record<string, string | number | EnvRef | object> {
  return {
    hosts: store.hosts,
    port: store.port,
    user: store.user,
    password: envString(store.passwordEnv),
    keyspace: store.keyspace,
    ...(store.datacenter ? { datacenter: store.datacenter } : {}),
    maxConns: store.maxConns,
    connectTimeout: "10s",
    // Temporal's own defaults, written out: quorum within the local data center keeps a multi-DC
    // cluster from waiting on the remote one, and LWTs stay serial locally.
    consistency: { default: { consistency: "LOCAL_QUORUM", serialConsistency: "LOCAL_SERIAL" } },
    ...tlsConfig(store.tls),
  };
}

function elasticsearchDatastore(store: ElasticsearchStoreSpec): Record<string, string | EnvRef | object> {
  return {
    version: store.version,
    // A Go url.URL, which the config loader fills field by field.
    url: { scheme: store.scheme, host: store.host },
    ...(store.username ? { username: store.username } : {}),
    ...(store.passwordEnv ? { password: envString(store.passwordEnv) } : {}),
    indices: { visibility: store.index },
    ...tlsConfig(store.tls),
  };
}

/**
 * A bound on each connection attempt, in the driver's own DSN parameter: lib/pq v1.10.9 and
 * pgx/v5 v5.9.2 read libpq's `connect_timeout` (whole seconds, dial and startup handshake),
 * go-sql-driver/mysql v1.9.0 reads `timeout` (the dial). Without one, a reconnect that dials a
 * restarted database's old address waits out the kernel's SYN retries (minutes), and Temporal
 * holds its handle's lock for that long (common/persistence/sql/sqlplugin/db_handle.go reconnect,
 * v1.31.2): every persistence call of the role waits too. 10 s, as the Cassandra store's connectTimeout.
 */
function sqlConnectTimeout(plugin: SqlPlugin): Record<string, string> {
  return plugin === "mysql8" ? { timeout: "10s" } : { connect_timeout: "10" };
}

function sqlDatastore(store: SqlStoreSpec): Record<string, string | number | EnvRef | object> {
  return {
    pluginName: store.plugin,
    databaseName: store.database,
    connectAddr: `${store.host}:${store.port}`,
    connectProtocol: "tcp",
    user: store.user,
    password: envString(store.passwordEnv),
    maxConns: store.pool.maxConns,
    maxIdleConns: store.pool.maxIdleConns,
    maxConnLifetime: store.pool.maxConnLifetime,
    connectAttributes: sqlConnectTimeout(store.plugin),
    ...tlsConfig(store.tls),
  };
}
