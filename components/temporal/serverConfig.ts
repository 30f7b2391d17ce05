import { DYNAMIC_CONFIG_DIR, DYNAMIC_CONFIG_FILE, METRICS_PORT, PPROF_PORT, ROLES, RoleName, SERVER_ENV } from "./roles";
import { EnvRef, envScalar, envString, renderTemplatedYaml } from "./template";

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
  tls?: { enabled: boolean; caFile?: string; serverName?: string };
}

export interface ServerConfigSpec {
  numHistoryShards: number;
  logLevel: "debug" | "info" | "warn" | "error";
  defaultStore: SqlStoreSpec;
  visibilityStore: SqlStoreSpec;
  roles: RoleName[];
  /** host:port of the frontend that the system worker and other internal clients call. */
  frontendAddress: string;
  /** Where the platform puts the dynamic config file; by default the image's conventional path. */
  dynamicConfigFile?: string;
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
        [DEFAULT_STORE]: { sql: sqlDatastore(spec.defaultStore) },
        [VISIBILITY_STORE]: { sql: sqlDatastore(spec.visibilityStore) },
      },
    },
    global: {
      membership: { maxJoinDuration: "30s", broadcastAddress: envScalar(SERVER_ENV.podIp) },
      pprof: { port: PPROF_PORT },
      metrics: {
        tags: { type: envScalar(SERVER_ENV.services) },
        prometheus: { timerType: "histogram", listenAddress: `0.0.0.0:${METRICS_PORT}` },
      },
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
    archival: { history: { state: "disabled" }, visibility: { state: "disabled" } },
    namespaceDefaults: { archival: { history: { state: "disabled" }, visibility: { state: "disabled" } } },
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
    ...(store.tls?.enabled
      ? {
          tls: {
            enabled: true,
            enableHostVerification: true,
            ...(store.tls.caFile ? { caFile: store.tls.caFile } : {}),
            ...(store.tls.serverName ? { serverName: store.tls.serverName } : {}),
          },
        }
      : {}),
  };
}
