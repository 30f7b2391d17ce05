import { beforeAll, describe, expect, it } from "vitest";
import type { ResourcesConfig } from "../../../components/config/schema";
import { InClusterCassandra, type InClusterCassandraArgs } from "../../../components/stores/in-cluster-cassandra/inClusterCassandra";
import { ClusterNames } from "../../../components/kubernetes/names";
import { type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { validateKubernetesObject } from "../../helpers/kubernetesModels";
import { K8S, type Container, envOf, ofType, podSpecOf, promiseOf, settle, startMockRuntime, workloadOf } from "../../helpers/mockRuntime";

const devResources: ResourcesConfig = { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1536Mi" } };
const prodResources: ResourcesConfig = { requests: { cpu: "2", memory: "8Gi" }, limits: { memory: "8Gi" } };
const common = { namespace: "temporal", image: "cassandra:5.0.4", datacenter: "dc1", storageSize: "10Gi" };
let records: ResourceRecord[];
let outputs: Map<string, Record<string, unknown>>;
let dev: InClusterCassandra;
let prod: InClusterCassandra;

beforeAll(async () => {
  ({ resources: records, outputs } = await startMockRuntime());
  dev = new InClusterCassandra("dev", {
    ...common,
    names: new ClusterNames("dev"),
    replicas: 1,
    resources: devResources,
    heapSize: "512M",
    highAvailability: false,
  });
  prod = new InClusterCassandra("prod", {
    ...common,
    names: new ClusterNames("prod"),
    replicas: 5,
    storageClassName: "fast-ssd",
    resources: prodResources,
    heapSize: "4G",
    highAvailability: true,
  });
  await settle();
});

const named = (type: string, name: string) => {
  const match = ofType(records, type).find((record) => (record.inputs as { metadata: { name: string } }).metadata.name === name);
  if (!match) throw new Error(`no ${type} named ${name}`);
  return match;
};
const statefulSet = (cluster: string) => named(K8S.statefulSet, `${cluster}-cassandra`);
const node = (cluster: string): Container => podSpecOf(statefulSet(cluster)).containers[0];
const authJob = (cluster: string) => ofType(records, K8S.job).find((record) => record.name === `${cluster}-auth`)!;
const stsSpec = (cluster: string) => workloadOf(statefulSet(cluster)).spec as unknown as Record<string, unknown>;
const podSpec = (cluster: string) => podSpecOf(statefulSet(cluster)) as unknown as Record<string, unknown>;

describe("InClusterCassandra", () => {
  it("seeds a single node from itself, and a ring of three or more from its first two pods", () => {
    expect(envOf(node("dev"), "CASSANDRA_SEEDS")?.value).toBe("dev-cassandra-0.dev-cassandra-headless.temporal.svc.cluster.local");
    expect(envOf(node("prod"), "CASSANDRA_SEEDS")?.value).toBe(
      "prod-cassandra-0.prod-cassandra-headless.temporal.svc.cluster.local,prod-cassandra-1.prod-cassandra-headless.temporal.svc.cluster.local",
    );
  });

  it("names the cluster, data center and rack, and gossips them with GossipingPropertyFileSnitch", () => {
    const container = node("prod");
    expect(envOf(container, "CASSANDRA_CLUSTER_NAME")?.value).toBe("prod");
    expect(envOf(container, "CASSANDRA_DC")?.value).toBe("dc1");
    expect(envOf(container, "CASSANDRA_RACK")?.value).toBe("rack1");
    expect(envOf(container, "CASSANDRA_ENDPOINT_SNITCH")?.value).toBe("GossipingPropertyFileSnitch");
  });

  it("sets the heap, and the young generation by cassandra-env.sh's rule with the pod's CPU request", () => {
    // min(100M per requested core, a quarter of the heap)
    expect(envOf(node("prod"), "MAX_HEAP_SIZE")?.value).toBe("4G");
    expect(envOf(node("prod"), "HEAP_NEWSIZE")?.value).toBe("200M");
    expect(envOf(node("dev"), "MAX_HEAP_SIZE")?.value).toBe("512M");
    expect(envOf(node("dev"), "HEAP_NEWSIZE")?.value).toBe("100M");
  });

  it("keeps each node's data on its own volume of the configured size and class", () => {
    const claim = workloadOf(statefulSet("prod")).spec.volumeClaimTemplates![0] as unknown as { metadata: { name: string }; spec: Record<string, unknown> };
    expect(claim.spec).toMatchObject({ accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "10Gi" } } });
    expect(node("prod").volumeMounts).toEqual([{ name: claim.metadata.name, mountPath: "/var/lib/cassandra" }]);
    expect(workloadOf(statefulSet("dev")).spec.volumeClaimTemplates![0].spec).not.toHaveProperty("storageClassName");
  });

  it("serves CQL on 9042 and talks to the other nodes on 7000", () => {
    expect(node("prod").ports).toEqual([
      { name: "cql", containerPort: 9042, protocol: "TCP" },
      { name: "intra-node", containerPort: 7000, protocol: "TCP" },
    ]);
  });

  it("publishes every pod to the governing Service, ready or not, and only ready nodes to clients", () => {
    const governing = named(K8S.service, "prod-cassandra-headless").inputs as { spec: Record<string, unknown> };
    const clients = named(K8S.service, "prod-cassandra").inputs as { spec: Record<string, unknown> };
    expect(stsSpec("prod").serviceName).toBe("prod-cassandra-headless");
    expect(governing.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
    expect(clients.spec).toMatchObject({ clusterIP: "None", ports: [{ name: "cql", port: 9042 }] });
    expect(clients.spec.publishNotReadyAddresses).toBeUndefined();
  });

  it("starts nodes one at a time, each after the previous one is ready", () => {
    expect(stsSpec("prod").podManagementPolicy).toBe("OrderedReady");
    expect(stsSpec("prod").replicas).toBe(5);
    expect(stsSpec("dev").replicas).toBe(1);
  });

  it("allows a slow start, is ready once CQL listens, and restarts only a JVM that stops answering JMX", () => {
    const container = node("prod");
    const startup = container.startupProbe as { periodSeconds: number; failureThreshold: number; tcpSocket: unknown };
    expect(startup.tcpSocket).toEqual({ port: "intra-node" });
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(600);
    expect(container.readinessProbe).toMatchObject({ tcpSocket: { port: "cql" } });
    expect(container.livenessProbe).toMatchObject({ exec: { command: ["nodetool", "info"] } });
    expect((container.livenessProbe as { timeoutSeconds: number }).timeoutSeconds).toBeGreaterThanOrEqual(10);
  });

  it("drains the node before it stops, with time to finish", () => {
    expect((node("prod") as { lifecycle?: unknown }).lifecycle).toEqual({ preStop: { exec: { command: ["nodetool", "drain"] } } });
    expect(podSpec("prod").terminationGracePeriodSeconds).toBeGreaterThanOrEqual(120);
  });

  it("gives the container the configured resources, with a memory limit above the heap", () => {
    expect(node("prod").resources).toEqual({ requests: { cpu: "2", memory: "8Gi" }, limits: { memory: "8Gi" } });
    expect(node("dev").resources?.limits?.memory).toBe("1536Mi");
  });

  it("refuses a heap that fills the memory limit", () => {
    const args: InClusterCassandraArgs = { ...common, names: new ClusterNames("tight"), replicas: 1, resources: devResources, heapSize: "2G", highAvailability: false };
    expect(() => new InClusterCassandra("tight", args)).toThrow(/memory limit 1536Mi must exceed the JVM heap 2G/);
  });

  it("budgets disruptions and spreads nodes across zones and nodes only when highly available", () => {
    expect(ofType(records, K8S.pdb).map((record) => record.inputs)).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: "prod-cassandra" }), spec: expect.objectContaining({ maxUnavailable: 1 }) }),
    ]);
    expect(podSpecOf(statefulSet("prod")).topologySpreadConstraints).toHaveLength(2);
    expect(podSpecOf(statefulSet("dev")).topologySpreadConstraints).toBeUndefined();
  });

  it("runs as the image's cassandra user, never root, with the restricted container defaults but a writable root for its config edit", () => {
    expect(podSpec("prod").securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } });
    expect((podSpec("prod") as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(false);
    expect((node("prod") as { securityContext?: unknown }).securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: false });
  });

  it("turns password authentication on before handing over to the image's entrypoint", () => {
    const script = node("prod").command!.join(" ");
    expect(script).toContain("s/\\bAllowAllAuthenticator\\b/PasswordAuthenticator/");
    expect(script).toContain("s/\\bAllowAllAuthorizer\\b/CassandraAuthorizer/");
    expect(script.trim().endsWith("exec docker-entrypoint.sh cassandra -f")).toBe(true);
  });

  it("keeps the generated password in a Kubernetes Secret, recorded only as a secret", () => {
    const secret = named(K8S.secret, "prod-cassandra-credentials").inputs as { stringData: Record<string, string> };
    expect(secret.stringData).toEqual({ password: SECRET_PLACEHOLDER });
    expect(prod.password).toMatchObject({ key: "password" });
  });

  it("hands the password to pods only by secret reference, and the generated value appears in no input or output", async () => {
    const generated = (await promiseOf(prod.secret.stringData as unknown as import("@pulumi/pulumi").Output<Record<string, string>>)).password;
    expect(generated).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(JSON.stringify(records)).not.toContain(generated);
    expect(JSON.stringify([...outputs.values()])).not.toContain(generated);
    const job = podSpecOf(authJob("prod")).containers[0];
    expect(envOf(job, "CASSANDRA_PASSWORD")).toEqual({ name: "CASSANDRA_PASSWORD", valueFrom: { secretKeyRef: { name: "prod-cassandra-credentials", key: "password" } } });
  });

  it("secures the superuser with a Job that waits for the StatefulSet, and counts it as part of being ready", () => {
    const job = authJob("prod");
    expect(job.dependsOn).toContain(statefulSet("prod").urn);
    expect(podSpecOf(job).containers[0].image).toBe("cassandra:5.0.4");
    expect(envOf(podSpecOf(job).containers[0], "CQL_HOST")?.value).toBe("prod-cassandra.temporal.svc.cluster.local");
    expect(prod.ready).toEqual([prod.statefulSet, prod.authJob]);
  });

  it("tries the generated password first, falls back to the default one, and changes it with ALTER ROLE", () => {
    const script = podSpecOf(authJob("dev")).containers[0].command!.join(" ");
    expect(script).toMatch(/if cql "\$CASSANDRA_PASSWORD" .*\nelif cql cassandra /s);
    expect(script).toContain(`ALTER ROLE cassandra WITH PASSWORD = '$CASSANDRA_PASSWORD';`);
    // The password reaches CQL only after the script has checked it is letters and digits.
    expect(script.indexOf("*[!A-Za-z0-9]*")).toBeLessThan(script.indexOf("ALTER ROLE"));
  });

  it("replicates system_auth across the data center only when highly available, to at most three nodes", () => {
    expect(envOf(podSpecOf(authJob("prod")).containers[0], "AUTH_REPLICATION")?.value).toBe("3");
    expect(envOf(podSpecOf(authJob("dev")).containers[0], "AUTH_REPLICATION")?.value).toBe("");
    expect(podSpecOf(authJob("prod")).containers[0].command!.join(" ")).toContain(
      "ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', '$CASSANDRA_DC': $AUTH_REPLICATION}",
    );
  });

  it("names the auth Job after what it sets, so turning on HA runs it again", () => {
    const jobName = (record: ResourceRecord) => (record.inputs as { metadata: { name: string } }).metadata.name;
    expect(jobName(authJob("prod"))).toMatch(/^prod-cassandra-auth-[0-9a-f]{8}$/);
    expect(jobName(authJob("dev")).slice(-8)).not.toBe(jobName(authJob("prod")).slice(-8));
  });

  it("publishes how Temporal connects: the ready nodes' DNS name, the CQL port, the superuser and the data center", async () => {
    expect(await promiseOf(prod.host)).toBe("prod-cassandra.temporal.svc.cluster.local");
    expect(await promiseOf(dev.host)).toBe("dev-cassandra.temporal.svc.cluster.local");
    expect(prod.port).toBe(9042);
    expect(prod.user).toBe("cassandra");
    expect(prod.datacenter).toBe("dc1");
  });

  it("renders only objects that are valid against the Kubernetes schema", async () => {
    const objects = records.filter((record) => record.custom && record.type.startsWith("kubernetes:"));
    expect(objects.length).toBeGreaterThanOrEqual(10);
    for (const record of objects) await expect(validateKubernetesObject(record.inputs), record.name).resolves.toBeUndefined();
  });
});
