import type { StoreKind } from "../contract";
import { inClusterLabel } from "../inClusterLabel";

export const CQL_PORT = 9042;
export const INTRA_NODE_PORT = 7000;

/** Self-managed Apache Cassandra as a StatefulSet in the cluster. */
export const inClusterCassandraKind: StoreKind = {
  name: "in-cluster-cassandra",
  selectedBy: { hosting: "in-cluster-cassandra" },
  // The auth job logs in to set the superuser's password (cassandraAuth.ts).
  inCluster: { component: "cassandra", port: CQL_PORT, peerPort: INTRA_NODE_PORT, ownClients: ["cassandra-auth"] },
  diagramLabel: (store) => (store.engine === "cassandra" ? inClusterLabel(store, "Apache Cassandra", "cassandra") : undefined),
};
