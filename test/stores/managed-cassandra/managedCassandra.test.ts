import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { MANAGED_CASSANDRA_TLS_SERVER_NAME, ManagedCassandra, ManagedCassandraArgs, validateReplication } from "../../../components/stores/managed-cassandra/managedCassandra";
import { MOCK_AZURE_CLIENT } from "../../../tools/synth/mocks";
import { type Recording, type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { caseQueries } from "../../helpers/caseQueries";

const AZ = {
  cluster: "azure-native:cosmosdb:CassandraCluster",
  dataCenter: "azure-native:cosmosdb:CassandraDataCenter",
  password: "random:index/randomPassword:RandomPassword",
} as const;
const SUBNET = `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/temporal/subnets/cassandra`;

const base: ManagedCassandraArgs = {
  resourceGroupName: "temporal-prd",
  location: "westeurope",
  delegatedSubnetId: SUBNET,
  cassandraVersion: "5.0",
  datacenterName: "dc1",
  nodeCount: 6,
  skuName: "Standard_E8s_v5",
  disksPerNode: 4,
  availabilityZones: true,
  tags: { "temporal-kit:environment": "test" },
};
const cases = {
  /** Production-like: six nodes spread over the region's zones. */
  prd: base,
  /** Staging-like: the smallest data center, in one zone, on Cassandra 4.1. */
  stg: { ...base, resourceGroupName: "temporal-stg", cassandraVersion: "4.1", datacenterName: "westeurope-1", nodeCount: 3, skuName: "Standard_E16s_v5", disksPerNode: 1, availabilityZones: false },
} satisfies Record<string, ManagedCassandraArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
const stores = {} as Record<Case, ManagedCassandra>;

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  // Stands in for whatever the cluster must wait for (the network role assignment); only production is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) {
    stores[name] = new ManagedCassandra(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  }
  await settle();
});

const { only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:azure:ManagedCassandra");
const clusterProperties = (name: Case) => only(name, AZ.cluster).inputs.properties as Record<string, unknown>;
const dataCenterProperties = (name: Case) => only(name, AZ.dataCenter).inputs.properties as Record<string, unknown>;

describe("validateReplication", () => {
  it("accepts as many replicas as nodes, or fewer", () => {
    expect(() => validateReplication(3, 3)).not.toThrow();
    expect(() => validateReplication(3, 6)).not.toThrow();
    expect(() => validateReplication(1, 3)).not.toThrow();
  });

  it("refuses more replicas than the data center has nodes", () => {
    expect(() => validateReplication(5, 3)).toThrow("A replication factor of 5 needs at least 5 nodes in the data center; it has 3");
  });

  it("refuses a replication factor that is not a positive whole number", () => {
    for (const replicationFactor of [0, -1, 2.5]) {
      expect(() => validateReplication(replicationFactor, 6)).toThrow(`The replication factor must be a whole number, at least 1; given ${replicationFactor}`);
    }
  });
});

describe("ManagedCassandra argument checks", () => {
  it("refuses fewer than three nodes, or a fraction of one", () => {
    for (const nodeCount of [1, 2, 3.5]) {
      expect(() => new ManagedCassandra("bad-nodes", { ...base, nodeCount })).toThrow(`ManagedCassandra needs a whole number of nodes, at least 3; given ${nodeCount}`);
    }
  });

  it("refuses a node without disks", () => {
    expect(() => new ManagedCassandra("bad-disks", { ...base, disksPerNode: 0 })).toThrow("disksPerNode must be a whole number, at least 1; given 0");
  });

  it("refuses a Cassandra version the managed instance does not offer", () => {
    const version = "3.11" as ManagedCassandraArgs["cassandraVersion"];
    expect(() => new ManagedCassandra("bad-version", { ...base, cassandraVersion: version })).toThrow(
      'Cassandra version "3.11" must be one the managed instance offers: 4.0, 4.1, 5.0',
    );
  });

  it("refuses a data center name Azure does not accept", () => {
    for (const datacenterName of ["dc_1", "-dc1", "dc--1", ""]) {
      expect(() => new ManagedCassandra("bad-dc", { ...base, datacenterName })).toThrow(
        `Data center name "${datacenterName}" may only hold letters, digits and single hyphens`,
      );
    }
  });
});

describe.each(Object.keys(cases) as Case[])("ManagedCassandra %s", (name) => {
  const args: ManagedCassandraArgs = cases[name];

  it("runs the Cassandra version asked for, with password authentication and automatic repairs", () => {
    expect(clusterProperties(name)).toMatchObject({ cassandraVersion: args.cassandraVersion, authenticationMethod: "Cassandra", repairEnabled: true });
    expect(only(name, AZ.cluster).inputs).toMatchObject({ resourceGroupName: args.resourceGroupName, location: args.location });
  });

  it("keeps the management service and every node in the delegated subnet, with no public endpoint", () => {
    expect(clusterProperties(name).delegatedManagementSubnetId).toBe(args.delegatedSubnetId);
    expect(dataCenterProperties(name).delegatedSubnetId).toBe(args.delegatedSubnetId);
    // Client connections are TLS whether or not client certificates are set; none are: the password authenticates.
    expect(clusterProperties(name).clientCertificates).toBeUndefined();
    expect(clusterProperties(name).externalSeedNodes).toBeUndefined();
  });

  it("sizes the data center as asked, in the cluster's region", () => {
    const dataCenter = only(name, AZ.dataCenter);
    expect(dataCenter.inputs).toMatchObject({ dataCenterName: args.datacenterName, resourceGroupName: args.resourceGroupName });
    expect(dataCenterProperties(name)).toMatchObject({ nodeCount: args.nodeCount, sku: args.skuName, diskCapacity: args.disksPerNode, dataCenterLocation: args.location });
    expect(dataCenter.dependsOn).toContain(only(name, AZ.cluster).urn);
  });

  it(args.availabilityZones ? "spreads the nodes across availability zones" : "keeps the nodes in one zone", () => {
    expect(dataCenterProperties(name).availabilityZone).toBe(args.availabilityZones);
  });

  it("sets the generated admin password only as a secret and publishes it only as a secret", async () => {
    expect(clusterProperties(name).initialCassandraAdminPassword).toBe(SECRET_PLACEHOLDER);
    expect(await pulumi.isSecret(stores[name].password)).toBe(true);
    const plaintext = await promiseOf(stores[name].password);
    expect(plaintext).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(JSON.stringify(records)).not.toContain(plaintext);
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain(plaintext);
    expect(only(name, AZ.password).inputs).toMatchObject({ length: 32, special: false });
  });

  it("publishes the data center's seed addresses, the TLS CQL port, the admin user and the data center", async () => {
    const store = stores[name];
    expect(await promiseOf(store.seeds)).toBe("10.40.0.4,10.40.0.5,10.40.0.6");
    expect(store.port).toBe(9042);
    expect(store.user).toBe("cassandra");
    expect(store.datacenter).toBe(args.datacenterName);
    expect(store.ready).toEqual([store.cluster, store.dataCenter]);
  });

  it("names the certificate's wildcard domain for clients to verify the nodes against, since they dial IPs the certificate does not carry", () => {
    expect(stores[name].tlsServerName).toBe(MANAGED_CASSANDRA_TLS_SERVER_NAME);
    expect(MANAGED_CASSANDRA_TLS_SERVER_NAME).toMatch(/^[a-z0-9-]+\.managedcassandra\.cosmos\.azure\.com$/);
  });

  it("parents every resource to the component and tags the cluster", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children).toHaveLength(3);
    for (const child of children) expect(child.parent, child.name).toBe(componentOf(name).urn);
    expect(only(name, AZ.cluster).inputs.tags).toEqual(args.tags);
  });
});

describe("ManagedCassandra options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children).toHaveLength(3);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});
