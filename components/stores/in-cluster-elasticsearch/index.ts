import type { StoreKind } from "../contract";
import { inClusterLabel } from "../inClusterLabel";

export const HTTP_PORT = 9200;

/** A single-node Elasticsearch in the cluster for visibility: for dev. */
export const inClusterElasticsearchKind: StoreKind = {
  name: "in-cluster-elasticsearch",
  selectedBy: { visibilityStore: "elasticsearch" },
  inCluster: { component: "elasticsearch", port: HTTP_PORT },
  diagramLabel: (store) => (store.engine === "elasticsearch" ? inClusterLabel(store, "Elasticsearch", "elasticsearch") : undefined),
};
