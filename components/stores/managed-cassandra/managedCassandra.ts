import * as cosmosdb from "@pulumi/azure-native/cosmosdb";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childOf } from "../../childOptions";
import { azureTags } from "../../azure/tags";

export interface ManagedCassandraArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /**
   * The subnet the nodes (and the cluster's management service) are placed in. Azure Managed
   * Instance for Apache Cassandra needs the "Azure Cosmos DB" service principal to hold Network
   * Contributor on its virtual network, and the subnet needs explicit outbound access; both are
   * set up outside this component (AzureNetwork), and the caller makes this component wait for them.
   */
  delegatedSubnetId: pulumi.Input<string>;
  cassandraVersion: "4.0" | "4.1" | "5.0";
  /** The Cassandra data center name Temporal's LOCAL_QUORUM reads and writes stay in. */
  datacenterName: string;
  /** At least 3, so that a replication factor of 3 puts every replica on its own node. */
  nodeCount: number;
  /** The VM size of every node, such as Standard_E8s_v5. */
  skuName: string;
  disksPerNode: number;
  /** Spread the nodes across the region's availability zones; fixed once the data center exists. */
  availabilityZones: boolean;
  tags: Record<string, string>;
}

const VERSIONS: ManagedCassandraArgs["cassandraVersion"][] = ["4.0", "4.1", "5.0"];
const MIN_NODES = 3;
/** Cassandra's own name for the superuser the managed instance creates with the initial password. */
const ADMIN_USER = "cassandra";
/** CQL native protocol; the managed instance serves it with TLS only. */
const CQL_PORT = 9042;

/**
 * The name clients verify the nodes' TLS certificate against. Clients reach the nodes by private IP
 * (the seeds, then the peers Cassandra reports), and the certificate names no IP: its name is the
 * wildcard `*.managedcassandra.cosmos.azure.com`, chained to DigiCert (Microsoft's Java sample,
 * https://github.com/Azure-Samples/azure-cassandra-mi-java-v4-getting-started,
 * src/main/resources/application.conf; the quickstarts' "Connect from an application" maps node IPs
 * to `host1.managedcassandra.cosmos.azure.com` for the same reason). Any one label under the
 * wildcard matches, so every connection checks the chain against the image's system roots and this
 * fixed name instead of the dialed address; the name is never looked up in DNS. Microsoft's advice
 * to turn verification off is not followed: with Temporal's Go client that would drop the CA check
 * too (InsecureSkipVerify).
 *
 * What it proves, and what not: the peer holds a certificate Microsoft issued for Managed Instance
 * nodes. The wildcard is the service's, not this cluster's, so it does not tell this cluster's nodes
 * from another Managed Instance cluster's; only a peer that can take over the addresses the pods
 * dial inside the virtual network, and that is itself such a node, gets past it.
 */
export const MANAGED_CASSANDRA_TLS_SERVER_NAME = "nodes.managedcassandra.cosmos.azure.com";
const DATACENTER_NAME = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;

/**
 * Refuses a keyspace replication factor the data center cannot hold: with more replicas than nodes,
 * Cassandra cannot place them and every LOCAL_QUORUM write Temporal makes fails.
 */
export function validateReplication(replicationFactor: number, nodeCount: number): void {
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new Error(`The replication factor must be a whole number, at least 1; given ${replicationFactor}`);
  }
  if (replicationFactor > nodeCount) {
    throw new Error(`A replication factor of ${replicationFactor} needs at least ${replicationFactor} nodes in the data center; it has ${nodeCount}`);
  }
}

/**
 * Apache Cassandra for Temporal on Azure Managed Instance for Apache Cassandra: real Cassandra (so
 * Temporal's logged batches and lightweight transactions behave as upstream), one data center in
 * the given subnet with no public endpoint, client connections always encrypted, and a generated
 * admin password that only ever travels as a Pulumi secret.
 */
export class ManagedCassandra extends pulumi.ComponentResource {
  readonly cluster: cosmosdb.CassandraCluster;
  readonly dataCenter: cosmosdb.CassandraDataCenter;
  /** The data center's seed node addresses, comma separated, as Temporal's `CASSANDRA_SEEDS` takes them. */
  readonly seeds: pulumi.Output<string>;
  readonly port: number;
  readonly user: string;
  readonly password: pulumi.Output<string>;
  readonly datacenter: string;
  /** The name the nodes' certificate is verified against (see {@link MANAGED_CASSANDRA_TLS_SERVER_NAME}). */
  readonly tlsServerName = MANAGED_CASSANDRA_TLS_SERVER_NAME;
  /** What must exist before anything connects: the data center comes up after the cluster. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: ManagedCassandraArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:ManagedCassandra", name, {}, opts);
    if (!VERSIONS.includes(args.cassandraVersion)) {
      throw new Error(`Cassandra version "${args.cassandraVersion}" must be one the managed instance offers: ${VERSIONS.join(", ")}`);
    }
    if (!Number.isInteger(args.nodeCount) || args.nodeCount < MIN_NODES) {
      throw new Error(`ManagedCassandra needs a whole number of nodes, at least ${MIN_NODES}; given ${args.nodeCount}`);
    }
    if (!Number.isInteger(args.disksPerNode) || args.disksPerNode < 1) {
      throw new Error(`disksPerNode must be a whole number, at least 1; given ${args.disksPerNode}`);
    }
    if (!DATACENTER_NAME.test(args.datacenterName)) {
      throw new Error(`Data center name "${args.datacenterName}" may only hold letters, digits and single hyphens`);
    }
    const tags = azureTags(args.tags);
    this.port = CQL_PORT;
    this.user = ADMIN_USER;
    this.datacenter = args.datacenterName;

    // Letters and digits only: the password travels through environment variables and a YAML template.
    const password = new random.RandomPassword(`${name}-admin-password`, { length: 32, special: false }, childOf(this, opts));
    // The engine marks `result` secret only once it answers; wrapping it keeps it secret in the program
    // and under the synth's mocks too.
    this.password = pulumi.secret(password.result);

    this.cluster = new cosmosdb.CassandraCluster(
      `${name}-cluster`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        properties: {
          cassandraVersion: args.cassandraVersion,
          delegatedManagementSubnetId: args.delegatedSubnetId,
          authenticationMethod: "Cassandra",
          initialCassandraAdminPassword: this.password,
          // Temporal deletes constantly; repairs keep tombstones from bringing deleted rows back.
          repairEnabled: true,
        },
        tags,
      },
      childOf(this, opts),
    );

    this.dataCenter = new cosmosdb.CassandraDataCenter(
      `${name}-dc`,
      {
        resourceGroupName: args.resourceGroupName,
        clusterName: this.cluster.name,
        dataCenterName: args.datacenterName,
        properties: {
          dataCenterLocation: args.location,
          delegatedSubnetId: args.delegatedSubnetId,
          nodeCount: args.nodeCount,
          sku: args.skuName,
          diskCapacity: args.disksPerNode,
          availabilityZone: args.availabilityZones,
        },
      },
      childOf(this, opts),
    );
    this.ready = [this.cluster, this.dataCenter];

    // Read from the data center, not the cluster: the cluster's list is empty until a data center exists.
    this.seeds = this.dataCenter.properties.apply((properties) =>
      (properties.seedNodes ?? [])
        .map((seed) => seed.ipAddress)
        .filter((address): address is string => Boolean(address))
        .join(","),
    );

    this.registerOutputs({ seeds: this.seeds, port: this.port, user: this.user, password: this.password, datacenter: this.datacenter });
  }
}
