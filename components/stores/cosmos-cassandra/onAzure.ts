import type * as pulumi from "@pulumi/pulumi";
import type { AzureStorePlacement } from "../azureStoreArgs";
import type { ManagedStore } from "../contract";
import type { CosmosCassandraConfig } from "./config";
import { CosmosCassandra } from "./cosmosCassandra";

/** A Cosmos DB account behind a firewall that admits the cluster's subnets; it provisions its keyspace itself. */
export function cosmosCassandraOnAzure(name: string, placement: AzureStorePlacement, config: CosmosCassandraConfig, opts: pulumi.ComponentResourceOptions): ManagedStore {
  const account = new CosmosCassandra(
    name,
    {
      resourceGroupName: placement.resourceGroupName,
      location: placement.location,
      keyspace: config.keyspace,
      throughput: config.throughput,
      multiRegionWrites: false,
      allowedSubnetIds: placement.clusterSubnetIds,
      tags: placement.tags,
    },
    opts,
  );
  return { kind: "cassandra", hosts: account.contactPoint, port: account.port, user: account.user, password: account.password, keyspaceProvisioned: true, ready: account.ready };
}
