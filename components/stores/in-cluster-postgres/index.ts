import type { StoreKind } from "../contract";
import { inClusterLabel } from "../inClusterLabel";

export const POSTGRES_PORT = 5432;

/** A single PostgreSQL server in the cluster, for dev. */
export const inClusterPostgresKind: StoreKind = {
  name: "in-cluster-postgres",
  selectedBy: { hosting: "in-cluster-postgres" },
  inCluster: { component: "postgres", port: POSTGRES_PORT },
  diagramLabel: (store) => (store.engine === "postgresql" ? inClusterLabel(store, "PostgreSQL", "postgres") : undefined),
};
