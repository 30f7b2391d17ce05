import type { Environment, ResourcesConfig, StackConfig } from "./schema";

/**
 * Defaults per environment. A stack file overrides them key by key (objects merge, lists replace).
 *
 * Sizing follows Temporal's "Scaling Temporal: The Basics": services at 1 CPU / 1 GiB per pod held
 * ~400 state transitions/s on 512 shards; history is the role that grows with shards (it caches
 * shard state and mutable state), so it gets the most memory.
 */

export const SERVER_VERSION = "1.31.2";
export const UI_VERSION = "2.52.0";

const small = (cpu: string, memory: string): ResourcesConfig => ({
  requests: { cpu, memory },
  limits: { memory },
});

const base = {
  clusterName: "temporal",
  kubernetes: { namespace: "temporal", createNamespace: true },
  temporal: {
    serverImage: `temporalio/server:${SERVER_VERSION}`,
    adminToolsImage: `temporalio/admin-tools:${SERVER_VERSION}`,
    logLevel: "info",
    dynamicConfig: {},
  },
  visibility: { store: "sql" },
} as const;

const inClusterMysql = (storageSize: string, resources: ResourcesConfig) =>
  ({
    hosting: "in-cluster",
    engine: "mysql8",
    image: "mysql:8.4.6",
    storageSize,
    resources,
    user: "temporal",
    database: "temporal",
    visibilityDatabase: "temporal_visibility",
    pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" },
  }) as const;

const webConsole = (replicas: number) => ({
  enabled: true,
  image: `temporalio/ui:${UI_VERSION}`,
  replicas,
  resources: small("100m", "256Mi"),
  corsOrigins: [],
});

export const PRESETS: Record<Environment, StackConfig> = {
  dev: {
    ...base,
    environment: "dev",
    temporal: { ...base.temporal, numHistoryShards: 4 },
    roles: {
      frontend: { replicas: 1, resources: small("100m", "256Mi") },
      history: { replicas: 1, resources: small("200m", "512Mi") },
      matching: { replicas: 1, resources: small("100m", "256Mi") },
      worker: { replicas: 1, resources: small("100m", "256Mi") },
      internalFrontend: { enabled: false, replicas: 1, resources: small("100m", "256Mi") },
    },
    persistence: inClusterMysql("5Gi", small("250m", "1Gi")),
    webConsole: webConsole(1),
    workers: [],
    namespaces: [{ name: "default", retention: "24h", description: "Default namespace for development" }],
  },
  staging: {
    ...base,
    environment: "staging",
    temporal: { ...base.temporal, numHistoryShards: 512 },
    roles: {
      frontend: { replicas: 2, resources: small("500m", "1Gi") },
      history: { replicas: 2, resources: small("1", "2Gi") },
      matching: { replicas: 2, resources: small("500m", "1Gi") },
      worker: { replicas: 2, resources: small("250m", "512Mi") },
      internalFrontend: { enabled: false, replicas: 2, resources: small("250m", "512Mi") },
    },
    persistence: inClusterMysql("20Gi", small("1", "4Gi")),
    webConsole: webConsole(2),
    workers: [],
    namespaces: [{ name: "default", retention: "72h", description: "Default namespace" }],
  },
  production: {
    ...base,
    environment: "production",
    temporal: { ...base.temporal, numHistoryShards: 512 },
    roles: {
      frontend: { replicas: 3, resources: small("1", "1Gi") },
      history: { replicas: 3, resources: small("2", "4Gi") },
      matching: { replicas: 3, resources: small("1", "1Gi") },
      worker: { replicas: 2, resources: small("500m", "512Mi") },
      internalFrontend: { enabled: false, replicas: 2, resources: small("500m", "512Mi") },
    },
    persistence: inClusterMysql("100Gi", small("4", "16Gi")),
    webConsole: webConsole(2),
    workers: [],
    namespaces: [{ name: "default", retention: "7d", description: "Default namespace" }],
  },
};
