import { z } from "zod";
import type { Environment } from "../../config/schema";
import { cassandraMaxConns, keyspaceName } from "../cassandra/config";

/** Azure Cosmos DB for Apache Cassandra, behind its account's firewall. */
export const azureCosmosCassandra = z.strictObject({
  hosting: z.literal("azure-cosmos-cassandra").meta({ description: "Azure Cosmos DB for Apache Cassandra (azure-aks)." }),
  engine: z.literal("cassandra").meta({ description: "Temporal's Cassandra plugin, the only one for this store." }),
  keyspace: keyspaceName,
  throughput: z.discriminatedUnion("mode", [
    z.strictObject({
      mode: z.literal("manual").meta({ description: "A fixed throughput provisioned for the keyspace." }),
      ru: z.number().int().min(400).max(1_000_000).meta({ description: "The keyspace's dedicated throughput in RU/s: at least 400, in steps of 100." }),
    }),
    z.strictObject({
      mode: z.literal("autoscale").meta({ description: "Autoscale throughput for the keyspace, up to maxRu; the presets use it." }),
      maxRu: z.number().int().min(1000).max(1_000_000).meta({ description: "The most RU/s autoscale may provision for the keyspace: at least 1,000, in steps of 1,000." }),
    }),
  ]),
  multiRegionWrites: z.boolean().meta({ description: "Must stay false: Temporal's Cassandra store relies on lightweight transactions, which Cosmos DB serves only with writes in a single region." }),
  maxConns: cassandraMaxConns,
});
export type CosmosCassandraConfig = z.infer<typeof azureCosmosCassandra>;

const preset = (maxRu: number): CosmosCassandraConfig => ({
  hosting: "azure-cosmos-cassandra",
  engine: "cassandra",
  keyspace: "temporal",
  throughput: { mode: "autoscale", maxRu },
  multiRegionWrites: false,
  maxConns: 10,
});

export const COSMOS_CASSANDRA_PRESETS: Record<Environment, CosmosCassandraConfig> = {
  dev: preset(4000),
  staging: preset(4000),
  production: preset(20000),
};
