import { z } from "zod";
import type { Environment } from "../../config/schema";
import { cassandraMaxConns, datacenterName, keyspaceName } from "../cassandra/config";
import { type ReportIssue, type StoreRuleInput, replicationWithinNodes } from "../rules";

/** Azure Managed Instance for Apache Cassandra, VNet-injected into the kit's network. */
export const azureManagedCassandra = z.strictObject({
  hosting: z.literal("azure-managed-cassandra").meta({ description: "Azure Managed Instance for Apache Cassandra (azure-aks); needs azure.cosmosDbPrincipalObjectId." }),
  engine: z.literal("cassandra").meta({ description: "Temporal's Cassandra plugin, the only one for this store." }),
  cassandraVersion: z.enum(["4.0", "4.1", "5.0"]).meta({ description: "The Apache Cassandra version the managed cluster runs." }),
  datacenter: datacenterName,
  nodeCount: z.number().int().min(3).max(100).meta({ description: "How many Cassandra nodes the datacenter runs." }),
  skuName: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, "must be an Azure VM size such as Standard_E8s_v5").meta({ description: "The VM size of each node; a new data center takes E-series v5 sizes only." }),
  disksPerNode: z.number().int().min(1).max(10).meta({ description: "How many data disks each node has: 1 in the dev preset, 2 in staging, 4 in production." }),
  replicationFactor: z.number().int().min(1).max(7).meta({ description: "How many nodes hold each row: at least 3 in production, at most nodeCount." }),
  keyspace: keyspaceName,
  maxConns: cassandraMaxConns,
});
export type ManagedCassandraConfig = z.infer<typeof azureManagedCassandra>;

/**
 * Three nodes per data center, the service's minimum, on its smallest documented size; a new data
 * center takes E-series v5 sizes only (azureSkus.ts).
 */
const preset = (skuName: string, disksPerNode: number): ManagedCassandraConfig => ({
  hosting: "azure-managed-cassandra",
  engine: "cassandra",
  cassandraVersion: "4.1",
  datacenter: "dc1",
  nodeCount: 3,
  skuName,
  disksPerNode,
  replicationFactor: 3,
  keyspace: "temporal",
  maxConns: 10,
});

export const MANAGED_CASSANDRA_PRESETS: Record<Environment, ManagedCassandraConfig> = {
  dev: preset("Standard_E8s_v5", 1),
  staging: preset("Standard_E8s_v5", 2),
  production: preset("Standard_E8s_v5", 4),
};

/** Every replica needs a node of its own. */
export function managedCassandraRules(config: StoreRuleInput, issue: ReportIssue): void {
  replicationWithinNodes(config, config.persistence?.nodeCount, issue);
}
