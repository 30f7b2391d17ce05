import type * as pulumi from "@pulumi/pulumi";
import type { AzureStorePlacement } from "../azureStoreArgs";
import type { ManagedStore } from "../contract";
import type { ManagedCassandraConfig } from "./config";
import { ManagedCassandra, validateReplication } from "./managedCassandra";

/** A Managed Instance cluster in the kit's network, its data center waiting for the Cosmos DB principal's role. */
export function managedCassandraOnAzure(name: string, placement: AzureStorePlacement, config: ManagedCassandraConfig, opts: pulumi.ComponentResourceOptions): ManagedStore {
  validateReplication(config.replicationFactor, config.nodeCount);
  const cluster = new ManagedCassandra(
    name,
    {
      resourceGroupName: placement.resourceGroupName,
      location: placement.location,
      delegatedSubnetId: placement.network.subnetIds.cassandra,
      cassandraVersion: config.cassandraVersion,
      datacenterName: config.datacenter,
      nodeCount: config.nodeCount,
      skuName: config.skuName,
      disksPerNode: config.disksPerNode,
      availabilityZones: placement.production,
      tags: placement.tags,
    },
    { ...opts, dependsOn: placement.network.cassandraReady },
  );
  return {
    kind: "cassandra",
    hosts: cluster.seeds,
    port: cluster.port,
    user: cluster.user,
    password: cluster.password,
    datacenter: cluster.datacenter,
    tlsServerName: cluster.tlsServerName,
    keyspaceProvisioned: false,
    ready: [...cluster.ready, ...placement.peered],
  };
}
