import type { ResourcesConfig } from "../../config/primitives";
import type { Environment } from "../../config/schema";

/** The Temporal account, databases and connection pool every SQL store preset starts from. */
export const SQL_ACCOUNT = { user: "temporal", database: "temporal", visibilityDatabase: "temporal_visibility", pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" } } as const;

const small = (cpu: string, memory: string): ResourcesConfig => ({
  requests: { cpu, memory },
  limits: { memory },
});

/** One size for an in-cluster SQL server, whichever engine: volume and resources per environment. */
export const IN_CLUSTER_SQL: Record<Environment, [storageSize: string, resources: ResourcesConfig]> = {
  dev: ["5Gi", small("250m", "1Gi")],
  staging: ["20Gi", small("1", "4Gi")],
  production: ["100Gi", small("4", "16Gi")],
};
