import type { StoreKind } from "../contract";

/** Azure Managed Instance for Apache Cassandra, VNet-injected into the kit's network. */
export const managedCassandraKind: StoreKind = {
  name: "managed-cassandra",
  selectedBy: { hosting: "azure-managed-cassandra" },
  diagramLabel: (store) =>
    store.engine === "cassandra" && store.resourceOfType("azure-native:cosmosdb:CassandraCluster") ? "Azure Managed Instance<br/>for Apache Cassandra" : undefined,
};
