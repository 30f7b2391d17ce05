import type { StoreKind } from "../contract";
import { inClusterLabel } from "../inClusterLabel";

export const MYSQL_PORT = 3306;

/** A single MySQL 8 server in the cluster, for dev. */
export const inClusterMysqlKind: StoreKind = {
  name: "in-cluster-mysql",
  selectedBy: { hosting: "in-cluster" },
  inCluster: { component: "mysql", port: MYSQL_PORT },
  diagramLabel: (store) => (store.engine === "mysql" ? inClusterLabel(store, "MySQL 8", "mysql") : undefined),
};
