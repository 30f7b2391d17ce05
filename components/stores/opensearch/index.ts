import type { StoreKind } from "../contract";

/** An Amazon OpenSearch Service domain in the stack's VPC, for visibility. */
export const openSearchKind: StoreKind = {
  name: "opensearch",
  selectedBy: { visibilityStore: "opensearch" },
  diagramLabel: (store) => (store.engine === "elasticsearch" && store.resourceOfType("aws:opensearch/domain:Domain") ? "Amazon OpenSearch Service" : undefined),
};
