import type { StoreKind } from "../contract";

/** Azure Cosmos DB for Apache Cassandra, behind its account's firewall. */
export const cosmosCassandraKind: StoreKind = {
  name: "cosmos-cassandra",
  selectedBy: { hosting: "azure-cosmos-cassandra" },
  diagramLabel: (store) =>
    store.engine === "cassandra" && store.resourceOfType("azure-native:cosmosdb:DatabaseAccount") ? "Azure Cosmos DB<br/>for Apache Cassandra" : undefined,
};
