import type { StoreMock } from "../mock";

/** What Managed Instance for Apache Cassandra answers: its names and the data center's seed nodes. */
export const managedCassandraMock: StoreMock = {
  resources: {
    "azure-native:cosmosdb:CassandraCluster": (args) => ({ name: (args.inputs as Record<string, any>).clusterName ?? args.name }),
    "azure-native:cosmosdb:CassandraDataCenter": (args) => {
      const inputs = args.inputs as Record<string, any>;
      // Managed Cassandra makes up to three seeds per data center, from the delegated subnet's range.
      const seeds = Math.min(3, Number(inputs.properties?.nodeCount ?? 3));
      const seedNodes = Array.from({ length: seeds }, (_, index) => ({ ipAddress: `10.40.0.${index + 4}` }));
      return { name: inputs.dataCenterName ?? args.name, properties: { ...(inputs.properties ?? {}), seedNodes, provisioningState: "Succeeded" } };
    },
  },
  calls: {},
};
