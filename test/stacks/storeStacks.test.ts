import { parse } from "yaml";
import { describe, expect, inject, it } from "vitest";
import { mockVnetId } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import type { Container, PodSpec } from "../helpers/mockRuntime";
import { KubernetesObject, SynthOutput, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const output = (label: string): SynthOutput => readSynthOutput(runs.find((run) => run.label === label)!);

interface Datastores {
  persistence: { datastores: { default: Record<string, Record<string, unknown>>; visibility: Record<string, Record<string, unknown>> } };
}
const datastores = (out: SynthOutput) =>
  (parse(out.temporalFiles["temporal.yaml"].replace(/\{\{[^}]*\}\}/g, "x")) as Datastores).persistence.datastores;
const podSpec = (object: KubernetesObject) => (object.spec as { template: { spec: PodSpec } }).template.spec;
const schemaJob = (out: SynthOutput) => out.objects.find((object) => object.kind === "Job" && object.metadata.name.includes("-schema-"))!;
const schemaSteps = (out: SynthOutput): Container[] => podSpec(schemaJob(out)).initContainers ?? [];
const recordOf = (out: SynthOutput, type: string, suffix: string): ResourceRecord => {
  const record = out.resources.find((candidate) => candidate.type === type && candidate.name.endsWith(suffix));
  if (!record) throw new Error(`no ${type} *${suffix}`);
  return record;
};

describe("dev with in-cluster Cassandra and Elasticsearch", () => {
  const out = () => output("dev-cassandra");

  it("keeps Temporal's state in Cassandra and visibility in Elasticsearch", () => {
    const stores = datastores(out());
    expect(Object.keys(stores.default)).toEqual(["cassandra"]);
    expect(stores.default.cassandra).toMatchObject({ keyspace: "temporal", datacenter: "dc1", port: 9042 });
    expect(Object.keys(stores.visibility)).toEqual(["elasticsearch"]);
    expect(stores.visibility.elasticsearch).toMatchObject({ indices: { visibility: "temporal_visibility_v1" } });
  });

  it("creates the keyspace at replication factor 1, then sets up both schemas before any role starts", () => {
    const steps = schemaSteps(out());
    expect(steps.map((step) => step.name)).toEqual([
      "create-default-keyspace", "setup-default-schema", "update-default-schema", "setup-visibility-template", "create-visibility-index",
    ]);
    expect(steps[0].command).toContain("--replication-factor");
    expect(steps[0].command![steps[0].command!.indexOf("--replication-factor") + 1]).toBe("1");
    const job = recordOf(out(), "kubernetes:batch/v1:Job", "-schema-job");
    for (const role of ["frontend", "history", "matching", "worker"]) {
      expect(recordOf(out(), "kubernetes:apps/v1:Deployment", `-${role}-deployment`).dependsOn).toContain(job.urn);
    }
  });

  it("runs the schema job only after Cassandra's password is set and Elasticsearch is up", () => {
    const job = recordOf(out(), "kubernetes:batch/v1:Job", "-schema-job");
    expect(job.dependsOn).toContain(recordOf(out(), "kubernetes:batch/v1:Job", "-cassandra-auth").urn);
    expect(job.dependsOn).toContain(recordOf(out(), "kubernetes:apps/v1:StatefulSet", "-elasticsearch-statefulset").urn);
  });

  it("hands the Cassandra password to the schema tool and the roles only through the Secret", () => {
    const password = schemaSteps(out())[0].env!.find((variable) => variable.name === "CASSANDRA_PASSWORD")!;
    expect(password.value).toBeUndefined();
    expect(password.valueFrom?.secretKeyRef?.name).toMatch(/cassandra/);
    const history = out().objects.find((object) => object.kind === "Deployment" && object.metadata.name.endsWith("-history"))!;
    const env = podSpec(history).containers[0].env!;
    expect(env.find((variable) => variable.name === "TEMPORAL_DEFAULT_STORE_PASSWORD")?.valueFrom?.secretKeyRef).toBeDefined();
    // Elasticsearch in dev has no authentication, so the roles get no visibility password at all.
    expect(env.find((variable) => variable.name === "TEMPORAL_VISIBILITY_STORE_PASSWORD")).toBeUndefined();
  });
});

describe("dev with in-cluster PostgreSQL", () => {
  const out = () => output("dev-postgres");
  const statefulSet = () => out().objects.find((object) => object.kind === "StatefulSet")!;
  const container = () => podSpec(statefulSet()).containers[0] as Container & { args?: string[] };
  const PG_ISREADY = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "temporal", "-d", "temporal"];

  it("keeps both datastores in the one PostgreSQL server through the postgres12 plugin", () => {
    const stores = datastores(out());
    const address = "temporal-postgres.temporal-postgres.svc.cluster.local:5432";
    expect(stores.default.sql).toMatchObject({ pluginName: "postgres12", connectAddr: address, databaseName: "temporal", user: "temporal" });
    expect(stores.visibility.sql).toMatchObject({ pluginName: "postgres12", connectAddr: address, databaseName: "temporal_visibility", user: "temporal" });
    expect(stores.default.sql.tls).toBeUndefined();
  });

  it("runs no MySQL, and one StatefulSet of the official postgres image", () => {
    expect(out().objects.filter((object) => object.kind === "StatefulSet").map((object) => object.metadata.name)).toEqual(["temporal-postgres"]);
    expect(container().image).toBe("postgres:17.11-trixie");
    expect(out().resources.filter((record) => record.type === "temporal-kit:kubernetes:InClusterMysql")).toEqual([]);
  });

  it("creates and updates both schemas with the postgresql/v12 schema dirs before any role starts", () => {
    const steps = schemaSteps(out());
    expect(steps.map((step) => step.name)).toEqual([
      "create-default-database", "setup-default-schema", "update-default-schema", "create-visibility-database", "setup-visibility-schema", "update-visibility-schema",
    ]);
    expect(steps[2].command).toEqual(["temporal-sql-tool", "update-schema", "--schema-dir", "/etc/temporal/schema/postgresql/v12/temporal/versioned"]);
    expect(steps[5].command).toEqual(["temporal-sql-tool", "update-schema", "--schema-dir", "/etc/temporal/schema/postgresql/v12/visibility/versioned"]);
    for (const step of steps) {
      const env = Object.fromEntries((step.env ?? []).map((variable) => [variable.name, variable.value]));
      expect(env).toMatchObject({ SQL_PLUGIN: "postgres12", SQL_HOST: "temporal-postgres.temporal-postgres.svc.cluster.local", SQL_PORT: "5432", SQL_USER: "temporal" });
    }
    const job = recordOf(out(), "kubernetes:batch/v1:Job", "-schema-job");
    expect(job.dependsOn).toContain(recordOf(out(), "kubernetes:apps/v1:StatefulSet", "-postgres-statefulset").urn);
    for (const role of ["frontend", "history", "matching", "worker"]) {
      expect(recordOf(out(), "kubernetes:apps/v1:Deployment", `-${role}-deployment`).dependsOn).toContain(job.urn);
    }
  });

  it("hands the generated password to PostgreSQL, the schema tool and the roles only through its Secret", () => {
    const ref = { name: "temporal-postgres-credentials", key: "password" };
    const secret = out().objects.find((object) => object.kind === "Secret" && object.metadata.name === ref.name)!;
    expect(secret.stringData).toEqual({ password: "[secret]" });
    const password = container().env!.find((variable) => variable.name === "POSTGRES_PASSWORD")!;
    expect(password).toEqual({ name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: ref } });
    for (const step of schemaSteps(out())) expect(step.env!.find((variable) => variable.name === "SQL_PASSWORD")).toEqual({ name: "SQL_PASSWORD", valueFrom: { secretKeyRef: ref } });
    const history = out().objects.find((object) => object.kind === "Deployment" && object.metadata.name.endsWith("-history"))!;
    const env = podSpec(history).containers[0].env!;
    for (const name of ["TEMPORAL_DEFAULT_STORE_PASSWORD", "TEMPORAL_VISIBILITY_STORE_PASSWORD"]) {
      expect(env.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef).toEqual(ref);
    }
  });

  it("follows the image's env contract, with the data directory below the volume's root and max_connections from the budget", () => {
    const env = Object.fromEntries(container().env!.filter((variable) => variable.value !== undefined).map((variable) => [variable.name, variable.value]));
    expect(env).toEqual({ POSTGRES_USER: "temporal", POSTGRES_DB: "temporal", PGDATA: "/var/lib/postgresql/data/pgdata" });
    expect(container().args).toEqual(["-c", "max_connections=340"]);
    expect(container().volumeMounts!.map((mount) => mount.mountPath)).toEqual(["/var/lib/postgresql/data", "/docker-entrypoint-initdb.d", "/var/run/postgresql", "/tmp"]);
  });

  it("checks the server with pg_isready over TCP at startup, readiness and liveness", () => {
    for (const probe of [container().startupProbe, container().readinessProbe, container().livenessProbe]) expect(probe).toMatchObject({ exec: { command: PG_ISREADY } });
  });

  it("makes the Temporal user own the visibility database from the init script the image runs", () => {
    const init = out().objects.find((object) => object.kind === "ConfigMap" && object.metadata.name === "temporal-postgres-init")!;
    expect(init.data).toEqual({
      "01-visibility.sql": `SELECT 'CREATE DATABASE "temporal_visibility" OWNER "temporal"'\nWHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal_visibility')\\gexec\n`,
    });
    expect(podSpec(statefulSet()).volumes).toContainEqual({ name: "init", configMap: { name: "temporal-postgres-init" } });
  });
});

describe("staging on EKS with Cassandra and OpenSearch", () => {
  const out = () => output("fixture:eks-cassandra");

  it("runs three Cassandra nodes at replication factor 3 and creates no RDS", () => {
    const sts = out().objects.find((object) => object.kind === "StatefulSet" && object.metadata.name.includes("cassandra"))!;
    expect((sts.spec as { replicas: number }).replicas).toBe(3);
    const create = schemaSteps(out())[0].command!;
    expect(create[create.indexOf("--replication-factor") + 1]).toBe("3");
    expect(out().resources.some((record) => record.type === "aws:rds/instance:Instance")).toBe(false);
  });

  it("reaches OpenSearch over HTTPS with the master user, its password only in the store Secret", () => {
    const visibility = datastores(out()).visibility.elasticsearch;
    expect(visibility).toMatchObject({ version: "v7", url: { scheme: "https" }, username: "temporal", tls: { enabled: true } });
    const secret = out().objects.find((object) => object.kind === "Secret" && object.metadata.name.endsWith("-store-credentials"))!;
    expect(secret.stringData).toEqual({ "visibility-password": "[secret]" });
  });

  it("admits only the cluster's workloads to OpenSearch", () => {
    const search = out().resources.find((record) => record.type === "temporal-kit:aws:OpenSearchDomain")!;
    const rules = out().resources.filter((record) => record.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && record.parent === search.urn);
    expect(rules).toHaveLength(1);
    expect(rules[0].inputs).toMatchObject({ fromPort: 443, toPort: 443 });
    expect(rules[0].inputs.cidrIpv4).toBeUndefined();
  });
});

describe("staging against an external PostgreSQL", () => {
  const out = () => output("fixture:external-postgres");

  it("uses the postgres12 plugin over TLS with the password from the team's own Secret", () => {
    const stores = datastores(out());
    expect(stores.default.sql).toMatchObject({ pluginName: "postgres12", connectAddr: "temporal-db.internal.example.com:5432", tls: { enabled: true } });
    expect(stores.visibility.sql).toMatchObject({ databaseName: "temporal_visibility" });
    const password = schemaSteps(out())[0].env!.find((variable) => variable.name === "SQL_PASSWORD")!;
    expect(password.valueFrom?.secretKeyRef).toEqual({ name: "temporal-db", key: "password" });
    expect(out().resources.some((record) => record.type === "kubernetes:core/v1:Namespace")).toBe(false);
  });
});

const ofType = (out: SynthOutput, type: string) => out.resources.filter((record) => record.type === type);

describe("production on Azure: AKS, Managed Instance for Apache Cassandra, PostgreSQL visibility", () => {
  const out = () => output("production-azure");

  it("deploys every Kubernetes object onto the AKS cluster it created", () => {
    const provider = ofType(out(), "pulumi:providers:kubernetes");
    expect(provider).toHaveLength(1);
    const aks = ofType(out(), "temporal-kit:azure:AksCluster")[0];
    expect(provider[0].parent).toBe(aks.urn);
    for (const record of out().resources.filter((candidate) => candidate.custom && candidate.type.startsWith("kubernetes:"))) {
      expect(record.provider?.startsWith(`${provider[0].urn}::`), record.name).toBe(true);
    }
    expect(ofType(out(), "azure-native:containerservice:ManagedCluster")[0].inputs).toMatchObject({ apiServerAccessProfile: { enablePrivateCluster: true } });
  });

  it("runs three Cassandra nodes across zones in a delegated subnet, and creates the keyspace at replication factor 3 in that data center", () => {
    expect(ofType(out(), "azure-native:cosmosdb:CassandraDataCenter")[0].inputs).toMatchObject({ dataCenterName: "dc1", properties: { nodeCount: 3, availabilityZone: true } });
    const create = schemaSteps(out())[0].command!;
    expect(create.slice(0, 2)).toEqual(["temporal-cassandra-tool", "create-keyspace"]);
    expect(create.slice(-4)).toEqual(["--replication-factor", "3", "--datacenter", "dc1"]);
    expect(datastores(out()).default.cassandra).toMatchObject({ datacenter: "dc1", tls: { enabled: true } });
  });

  it("verifies the Cassandra nodes' certificate against the system roots and the wildcard name it carries, in the server and the schema job alike", () => {
    // The nodes are dialed by IP and their certificate names *.managedcassandra.cosmos.azure.com.
    expect(datastores(out()).default.cassandra.tls).toEqual({ enabled: true, enableHostVerification: true, serverName: "nodes.managedcassandra.cosmos.azure.com" });
    for (const step of schemaSteps(out()).filter((candidate) => candidate.command![0] === "temporal-cassandra-tool")) {
      const env = Object.fromEntries(step.env!.filter((variable) => variable.value !== undefined).map((variable) => [variable.name, variable.value]));
      expect(env, step.name).toMatchObject({ CASSANDRA_ENABLE_TLS: "true", CASSANDRA_TLS_DISABLE_HOST_VERIFICATION: "false", CASSANDRA_TLS_SERVER_NAME: "nodes.managedcassandra.cosmos.azure.com" });
      expect(env, step.name).not.toHaveProperty("CASSANDRA_TLS_CA");
    }
  });

  it("grants the Azure Cosmos DB principal its network role and gives the Cassandra subnet a NAT gateway, both before the cluster", () => {
    const role = ofType(out(), "azure-native:authorization:RoleAssignment").find((record) => record.name.endsWith("-cosmos-db-network"))!;
    expect(role.inputs).toMatchObject({ principalType: "ServicePrincipal", roleDefinitionId: expect.stringMatching(/4d97b98b-1d4f-4787-a291-c67834d212e7$/) });
    const nat = ofType(out(), "azure-native:network:NatGateway");
    expect(nat).toHaveLength(1);
    const cassandraSubnet = recordOf(out(), "azure-native:network:Subnet", "-network-cassandra");
    expect(cassandraSubnet.inputs.natGateway).toEqual({ id: `${nat[0].name}-id` });
    for (const type of ["azure-native:cosmosdb:CassandraCluster", "azure-native:cosmosdb:CassandraDataCenter"]) {
      expect(ofType(out(), type)[0].dependsOn, type).toEqual(expect.arrayContaining([role.urn, cassandraSubnet.urn]));
    }
  });

  it("keeps visibility in a private, TLS-only, zone-redundant PostgreSQL that allows btree_gin", () => {
    const server = ofType(out(), "azure-native:dbforpostgresql:Server")[0].inputs;
    expect(server).toMatchObject({ network: { publicNetworkAccess: "Disabled" }, highAvailability: { mode: "ZoneRedundant" }, backup: { geoRedundantBackup: "Enabled" } });
    expect(server.administratorLoginPassword).toBe("[secret]");
    const settings = Object.fromEntries(ofType(out(), "azure-native:dbforpostgresql:Configuration").map((record) => [record.inputs.configurationName, record.inputs.value]));
    expect(settings).toMatchObject({ require_secure_transport: "on", "azure.extensions": "BTREE_GIN" });
    expect(datastores(out()).visibility.sql).toMatchObject({ pluginName: "postgres12", tls: { enabled: true, caFile: "/etc/temporal/store-ca/ca.pem" } });
  });

  it("hands both passwords to the pods only through the store Secret, with the Azure CA bundle beside it", () => {
    const secret = out().objects.find((object) => object.kind === "Secret" && object.metadata.name.endsWith("-store-credentials"))!;
    expect(secret.stringData).toEqual({ password: "[secret]", "visibility-password": "[secret]" });
    const ca = out().objects.find((object) => object.kind === "ConfigMap" && object.metadata.name.endsWith("-store-ca"))!;
    expect((ca.data as Record<string, string>)["ca.pem"]).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("outputs the resource group, AKS cluster and database endpoint, never a password", () => {
    const { outputs } = out();
    expect(outputs).toMatchObject({ aksClusterName: expect.any(String), azureResourceGroup: expect.any(String), databaseEndpoint: expect.stringMatching(/:9042$/) });
    expect(JSON.stringify(outputs)).not.toMatch(/password/i);
  });

  it("lets pulumi up, running in the deployer's network, reach the private API server on the first deployment", () => {
    const deployerVnetId = mockVnetId("ci-runners-rg", "ci-runners-vnet");
    const vnet = ofType(out(), "azure-native:network:VirtualNetwork")[0];
    // The two networks are peered both ways...
    const peerings = ofType(out(), "azure-native:network:VirtualNetworkPeering");
    expect(peerings.map((record) => [record.inputs.resourceGroupName, record.inputs.virtualNetworkName, record.inputs.remoteVirtualNetwork]).sort()).toEqual([
      ["ci-runners-rg", "ci-runners-vnet", { id: `${vnet.name}-id` }],
      ["temporal-azure-rg", vnet.name, { id: deployerVnetId }],
    ]);
    // ...the zone AKS resolves the API server's private name in is linked to the deployer's network...
    const cluster = ofType(out(), "azure-native:containerservice:ManagedCluster")[0];
    const link = recordOf(out(), "azure-native:privatedns:VirtualNetworkLink", "-aks-deployer-dns");
    expect(link.inputs).toMatchObject({ resourceGroupName: `MC_temporal-azure-rg_${cluster.name}_westeurope`, virtualNetwork: { id: deployerVnetId }, registrationEnabled: false });
    expect(String(link.inputs.privateZoneName)).toMatch(/^[0-9a-f-]{36}\.privatelink\.westeurope\.azmk8s\.io$/);
    // ...and nothing reaches for the cluster before both are in place.
    const provider = ofType(out(), "pulumi:providers:kubernetes")[0];
    expect(provider.dependsOn).toEqual(expect.arrayContaining([link.urn, ...peerings.map((record) => record.urn)]));
  });
});

describe("production on AKS with a public API server open to the deployer's ranges only", () => {
  const out = () => output("fixture:aks-archival");

  it("restricts the API server to the declared ranges, which the machine running pulumi up must be in", () => {
    expect(ofType(out(), "azure-native:containerservice:ManagedCluster")[0].inputs.apiServerAccessProfile).toEqual({
      enablePrivateCluster: false,
      authorizedIPRanges: ["203.0.113.0/24", "198.51.100.7/32"],
    });
  });

  it("needs no peering or DNS link to reach it", () => {
    expect(ofType(out(), "azure-native:network:VirtualNetworkPeering")).toEqual([]);
    expect(ofType(out(), "azure-native:privatedns:VirtualNetworkLink").filter((record) => record.name.includes("deployer"))).toEqual([]);
  });
});

describe("staging on an existing AKS cluster with Cosmos DB for Apache Cassandra", () => {
  const run = () => runs.find((candidate) => candidate.label === "fixture:azure-cosmos")!;
  const out = () => output("fixture:azure-cosmos");
  // The network the fixture declares, which the mocks report the cluster's pool in.
  const clusterVnetId = mockVnetId("platform-rg", "platform-aks-vnet");

  it("warns at synth (and so at preview) that Temporal on Cosmos DB is a risk", () => {
    expect(run().stderr).toContain("lightweight transactions");
    expect(run().stderr).toContain("Managed Instance for Apache Cassandra");
  });

  it("opens the account to the existing cluster's node subnet only, over TLS 1.2, with single-region writes", () => {
    expect(ofType(out(), "azure-native:cosmosdb:DatabaseAccount")[0].inputs).toMatchObject({
      capabilities: [{ name: "EnableCassandra" }],
      isVirtualNetworkFilterEnabled: true,
      virtualNetworkRules: [{ id: `${clusterVnetId}/subnets/nodes`, ignoreMissingVNetServiceEndpoint: false }],
      ipRules: [],
      minimalTlsVersion: "Tls12",
      enableMultipleWriteLocations: false,
    });
    // The kit's own AKS subnet holds no node here, and no firewall needs an endpoint on it.
    expect(recordOf(out(), "azure-native:network:Subnet", "-network-aks").inputs.serviceEndpoints).toBeUndefined();
  });

  it("lets the cluster reach the MySQL visibility server in the kit's network: peered both ways, the server's zone linked to the cluster's network", () => {
    const vnet = ofType(out(), "azure-native:network:VirtualNetwork")[0];
    const peerings = ofType(out(), "azure-native:network:VirtualNetworkPeering");
    expect(peerings.map((record) => [record.inputs.resourceGroupName, record.inputs.virtualNetworkName, record.inputs.remoteVirtualNetwork]).sort()).toEqual([
      ["platform-rg", "platform-aks-vnet", { id: `${vnet.name}-id` }],
      ["temporal-azure-rg", vnet.name, { id: clusterVnetId }],
    ]);
    const zone = recordOf(out(), "azure-native:privatedns:PrivateZone", "-visibility-db-dns");
    const links = ofType(out(), "azure-native:privatedns:VirtualNetworkLink").filter((record) => record.inputs.privateZoneName === zone.inputs.privateZoneName);
    expect(links).toHaveLength(2);
    expect(links.map((record) => record.inputs.virtualNetwork)).toEqual(expect.arrayContaining([{ id: clusterVnetId }, { id: `${vnet.name}-id` }]));
    const server = ofType(out(), "azure-native:dbformysql:Server")[0];
    for (const link of links) expect(server.dependsOn).toContain(link.urn);
  });

  it("runs the schema job only once the cluster's traffic can cross to the stores", () => {
    const job = out().resources.find((record) => record.type === "kubernetes:batch/v1:Job" && record.name.includes("schema"))!;
    for (const peering of ofType(out(), "azure-native:network:VirtualNetworkPeering")) expect(job.dependsOn).toContain(peering.urn);
  });

  it("lets Cosmos DB own the keyspace and its throughput: the schema job only sets up and updates it", () => {
    expect(schemaSteps(out()).map((step) => step.name).slice(0, 2)).toEqual(["setup-default-schema", "update-default-schema"]);
    expect(datastores(out()).default.cassandra).toMatchObject({ port: 10350, tls: { enabled: true } });
    expect(datastores(out()).default.cassandra).not.toHaveProperty("datacenter");
  });

  it("uses the existing cluster and creates no AKS cluster", () => {
    expect(ofType(out(), "azure-native:containerservice:ManagedCluster")).toHaveLength(0);
  });
});

describe("staging on AKS with Azure Database for MySQL and the passwords in Key Vault", () => {
  const out = () => output("fixture:azure-mysql");

  it("keeps both stores in one private MySQL server that requires TLS", () => {
    expect(ofType(out(), "azure-native:dbformysql:Server")).toHaveLength(1);
    expect(ofType(out(), "azure-native:dbformysql:Server")[0].inputs).toMatchObject({ network: { publicNetworkAccess: "Disabled" } });
    const settings = Object.fromEntries(ofType(out(), "azure-native:dbformysql:Configuration").map((record) => [record.inputs.configurationName, record.inputs.value]));
    expect(String(settings.require_secure_transport).toUpperCase()).toBe("ON");
    expect(datastores(out()).default.sql).toMatchObject({ pluginName: "mysql8", tls: { enabled: true } });
    expect(datastores(out()).visibility.sql).toMatchObject({ databaseName: "temporal_visibility" });
  });

  it("writes the store password to Key Vault as a secret, readable by the named identity only", () => {
    const secrets = ofType(out(), "azure-native:keyvault:Secret");
    expect(secrets.map((record) => record.inputs.secretName)).toEqual(["default-store-password"]);
    expect((secrets[0].inputs.properties as { value: string }).value).toBe("[secret]");
    const grants = ofType(out(), "azure-native:authorization:RoleAssignment").filter((record) => String(record.name).includes("vault"));
    expect(grants.map((record) => record.inputs.principalId)).toEqual(["0b5f3a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"]);
  });
});
