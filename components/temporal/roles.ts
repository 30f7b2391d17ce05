/**
 * Temporal's service roles and their ports: one table, so every platform builds the roles by
 * looping over data rather than by copying a deployment four times.
 */

export type RoleName = "frontend" | "internal-frontend" | "history" | "matching" | "worker";

export interface RoleSpec {
  name: RoleName;
  grpcPort: number;
  membershipPort: number;
  /** Only the frontends serve Temporal's HTTP API. */
  httpPort?: number;
  /**
   * The name the role registers with gRPC's health service, for readiness checks. Temporal's own
   * names, which do not follow its package names (temporalio/temporal v1.31.2:
   * service/frontend/interface.go, service/history/handler.go `serviceName`,
   * service/matching/handler.go `serviceName`, service/worker/service.go `ServiceName`); an
   * unregistered name answers SERVICE_UNKNOWN and the pod never becomes ready.
   */
  grpcHealthService: string;
}

export const ROLES: Record<RoleName, RoleSpec> = {
  frontend: {
    name: "frontend",
    grpcPort: 7233,
    membershipPort: 6933,
    httpPort: 7243,
    grpcHealthService: "temporal.api.workflowservice.v1.WorkflowService",
  },
  "internal-frontend": {
    name: "internal-frontend",
    grpcPort: 7236,
    membershipPort: 6936,
    httpPort: 7246,
    grpcHealthService: "temporal.api.workflowservice.v1.WorkflowService",
  },
  history: {
    name: "history",
    grpcPort: 7234,
    membershipPort: 6934,
    // SERVING once the pod has acquired its first shards, NOT_SERVING before (service/history/service.go).
    grpcHealthService: "temporal.api.workflowservice.v1.HistoryService",
  },
  matching: {
    name: "matching",
    grpcPort: 7235,
    membershipPort: 6935,
    grpcHealthService: "temporal.api.workflowservice.v1.MatchingService",
  },
  worker: {
    name: "worker",
    grpcPort: 7239,
    membershipPort: 6939,
    // SERVING only once the system worker has started its workers and found the system namespace.
    // Only since 1.31: before, the worker serves no gRPC at all (roleHealth.ts picks the port to check).
    grpcHealthService: "temporal.api.workflowservice.v1.WorkerService",
  },
};

export const METRICS_PORT = 9090;
export const PPROF_PORT = 7936;

/** Environment variables the rendered server config reads at start (see serverConfig.ts). */
export const SERVER_ENV = {
  podIp: "POD_IP",
  services: "TEMPORAL_SERVICES",
  configFile: "TEMPORAL_SERVER_CONFIG_FILE_PATH",
  defaultStorePassword: "TEMPORAL_DEFAULT_STORE_PASSWORD",
  visibilityStorePassword: "TEMPORAL_VISIBILITY_STORE_PASSWORD",
  allowNoAuth: "TEMPORAL_ALLOW_NO_AUTH",
} as const;

/**
 * A cluster without an authorizer says so: `temporal-server start` warns that future versions will
 * require --allow-no-auth when no authorizer is configured, and reads the flag from
 * TEMPORAL_ALLOW_NO_AUTH (go.temporal.io/server@v1.31.2 cmd/server/main.go, common/config/loader.go
 * EnvKeyAllowNoAuth; the same flag at v1.30.9). With JWT authorization on, the flag stays unset.
 */
export function allowNoAuthEnv(authorizationEnabled: boolean): { name: string; value: string }[] {
  return authorizationEnabled ? [] : [{ name: SERVER_ENV.allowNoAuth, value: "true" }];
}

export const SERVER_CONFIG_DIR = "/etc/temporal/config";
export const SERVER_CONFIG_FILE = "temporal.yaml";
export const DYNAMIC_CONFIG_DIR = "/etc/temporal/dynamicconfig";
export const DYNAMIC_CONFIG_FILE = "dynamic_config.yaml";

/**
 * Marks what holds Temporal's own config files (a ConfigMap label on Kubernetes, a tag on ECS's
 * dynamic config parameter) so tooling can find them; the value names the file where it can.
 */
export const RENDERED_CONFIG_LABEL = "temporal-kit/rendered-config";
