import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childAfter, childOf } from "../../childOptions";
import type { JobPodOverridesConfig, PodOverridesConfig } from "../../config/podSchema";
import type { ResourcesConfig } from "../../config/schema";
import { CASSANDRA_SUPERUSER, START_WITH_AUTH, cassandraAuthJob } from "./cassandraAuth";
import { assertHeapFitsLimit, heapMebibytes } from "../../kubernetes/jvmHeap";
import { type ClusterNames, serviceHost } from "../../kubernetes/names";
import { IMAGE_USERS, containerResources, dataVolumeClaim, disruptionBudget, hardenedPod, needsDisruptionBudget, spreadAcrossZonesAndNodes, writableRootContainerSecurity } from "../../kubernetes/podDefaults";
import { withPodOverrides } from "../../kubernetes/podOverrides";
import type { SecretKeyRef } from "../../kubernetes/secretRef";
import { CQL_PORT, INTRA_NODE_PORT } from "./index";
import { CASSANDRA_DATA_DIR } from "./pod";

export interface InClusterCassandraArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** The official image, 4.1 or 5.0, such as cassandra:5.0.4. */
  image: string;
  /** 1 in dev; 3 or more in production. */
  replicas: number;
  datacenter: string;
  storageSize: string;
  storageClassName?: string;
  resources: ResourcesConfig;
  /** MAX_HEAP_SIZE, such as 2G; below the memory limit, which must leave room for off-heap memory. */
  heapSize: string;
  /** A disruption budget and a zone and node spread. */
  highAvailability: boolean;
  /** The stack file's pod block for the nodes (CASSANDRA_POD says what it may not touch); the auth Job takes its scheduling and pull secrets. */
  pod?: PodOverridesConfig;
}

const PASSWORD_KEY = "password";
/** One rack: the pods' zones are not known to the pod, and the spread already separates them. */
const RACK = "rack1";
/** Long enough for `nodetool drain` to flush every memtable before the kubelet kills the JVM. */
const TERMINATION_GRACE_SECONDS = 180;

/**
 * Self-managed Apache Cassandra for Temporal's default store: a StatefulSet of the official image
 * with a volume per node, password authentication on, and a Job that replaces the image's default
 * superuser password with a generated one before anything connects.
 */
export class InClusterCassandra extends pulumi.ComponentResource {
  /** Contact point for gocql: the DNS name of the ready nodes, which resolves to each of them. */
  readonly host: pulumi.Output<string>;
  readonly port = CQL_PORT;
  readonly user: string = CASSANDRA_SUPERUSER;
  readonly password: SecretKeyRef;
  readonly datacenter: string;
  readonly secret: k8s.core.v1.Secret;
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  readonly authJob: k8s.batch.v1.Job;
  /** What must exist before the schema job may connect: the nodes, and the password they accept. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: InClusterCassandraArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:InClusterCassandra", name, {}, opts);
    const { names } = args;
    assertHeapFitsLimit("in-cluster Cassandra", args.heapSize, args.resources);
    const labels = names.labels("cassandra");
    const selector = names.selector("cassandra");
    this.datacenter = args.datacenter;

    // Letters and digits only: the password is spliced into CQL and into Temporal's YAML.
    const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, childOf(this, opts));
    this.secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: names.cassandraCredentials, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: { [PASSWORD_KEY]: password.result },
      },
      childOf(this, opts),
    );
    this.password = { name: this.secret.metadata.name, key: PASSWORD_KEY };

    // Gossip and seeds need every pod's name while the ring forms, before any node is ready.
    const headless = new k8s.core.v1.Service(
      `${name}-headless`,
      {
        metadata: { name: names.cassandraHeadless, namespace: args.namespace, labels },
        spec: {
          clusterIP: "None",
          publishNotReadyAddresses: true,
          selector,
          ports: [
            { name: "cql", port: CQL_PORT, targetPort: "cql", protocol: "TCP" },
            { name: "intra-node", port: INTRA_NODE_PORT, targetPort: "intra-node", protocol: "TCP" },
          ],
        },
      },
      childOf(this, opts),
    );
    // Clients get only nodes that have joined and serve CQL; headless, so gocql sees each node.
    const client = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: names.cassandra, namespace: args.namespace, labels },
        spec: { clusterIP: "None", selector, ports: [{ name: "cql", port: CQL_PORT, targetPort: "cql", protocol: "TCP" }] },
      },
      childOf(this, opts),
    );

    const seeds = pulumi
      .all([headless.metadata.name, args.namespace])
      .apply(([service, namespace]) => seedOrdinals(args.replicas).map((ordinal) => `${names.cassandra}-${ordinal}.${service}.${namespace}.svc.cluster.local`).join(","));

    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: names.cassandra, namespace: args.namespace, labels },
        spec: {
          serviceName: headless.metadata.name,
          replicas: args.replicas,
          // A node must finish joining the ring before the next one starts its own bootstrap.
          podManagementPolicy: "OrderedReady",
          selector: { matchLabels: selector },
          template: withPodOverrides({
            metadata: { labels },
            spec: {
              // Running as the image's user from the start needs no root and no gosu.
              ...hardenedPod(IMAGE_USERS.cassandra),
              // Service links would put variables such as CASSANDRA_PORT into the environment the entrypoint reads.
              enableServiceLinks: false,
              terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
              ...(args.highAvailability ? { topologySpreadConstraints: spreadAcrossZonesAndNodes(selector) } : {}),
              containers: [
                {
                  name: "cassandra",
                  image: args.image,
                  imagePullPolicy: "IfNotPresent",
                  command: ["bash", "-c", START_WITH_AUTH],
                  env: [
                    { name: "CASSANDRA_SEEDS", value: seeds },
                    { name: "CASSANDRA_CLUSTER_NAME", value: names.cluster },
                    { name: "CASSANDRA_DC", value: args.datacenter },
                    { name: "CASSANDRA_RACK", value: RACK },
                    { name: "CASSANDRA_ENDPOINT_SNITCH", value: "GossipingPropertyFileSnitch" },
                    // cassandra-env.sh would size the heap from the node's memory, not the pod's limit.
                    { name: "MAX_HEAP_SIZE", value: args.heapSize },
                    { name: "HEAP_NEWSIZE", value: youngGeneration(args.heapSize, args.resources.requests.cpu) },
                  ],
                  ports: [
                    { name: "cql", containerPort: CQL_PORT, protocol: "TCP" },
                    { name: "intra-node", containerPort: INTRA_NODE_PORT, protocol: "TCP" },
                  ],
                  ...probes(),
                  lifecycle: { preStop: { exec: { command: ["nodetool", "drain"] } } },
                  resources: containerResources(args.resources),
                  // Not read-only: START_WITH_AUTH and the image's entrypoint edit cassandra.yaml in place
                  // (in /etc/cassandra, beside files an emptyDir would hide), and the node logs to /var/log/cassandra.
                  securityContext: writableRootContainerSecurity,
                  volumeMounts: [{ name: "data", mountPath: CASSANDRA_DATA_DIR }],
                },
              ],
            },
          }, args.pod, { container: "cassandra", selector, claimTemplates: ["data"] }),
          volumeClaimTemplates: [dataVolumeClaim(labels, args.storageSize, args.storageClassName)],
        },
      },
      // Nodes start one at a time, each a few minutes: more than the provider's default ten-minute wait.
      { ...childOf(this, opts), customTimeouts: { create: `${10 + 5 * args.replicas}m`, update: `${10 + 5 * args.replicas}m` } },
    );

    if (needsDisruptionBudget(args.replicas)) {
      disruptionBudget(names.cassandra, args.namespace, labels, selector, childOf(this, opts));
    }

    this.host = serviceHost(client.metadata.name, args.namespace);

    this.authJob = cassandraAuthJob(
      `${name}-auth`,
      {
        names,
        namespace: args.namespace,
        labels: names.labels("cassandra-auth"),
        image: args.image,
        host: this.host,
        port: CQL_PORT,
        datacenter: args.datacenter,
        password: this.password,
        ...(args.highAvailability ? { authReplication: Math.min(3, args.replicas) } : {}),
        ...(args.pod ? { podOverrides: authJobOverrides(args.pod) } : {}),
      },
      childAfter(this, opts, [this.statefulSet]),
    );
    this.ready = [this.statefulSet, this.authJob];

    this.registerOutputs({ host: this.host, port: this.port, datacenter: this.datacenter });
  }
}

/**
 * The auth Job runs the nodes' image where the nodes may run: their pull secrets, node selector,
 * tolerations and node affinity. Not their pod affinity or anti-affinity, which name the nodes' own
 * pods and could keep the Job off every node of a dedicated pool; not their env or volumes, which
 * are the server's.
 */
function authJobOverrides(pod: PodOverridesConfig): JobPodOverridesConfig {
  const { nodeSelector, tolerations, imagePullSecrets, affinity } = pod;
  return {
    ...(nodeSelector ? { nodeSelector } : {}),
    ...(tolerations ? { tolerations } : {}),
    ...(affinity?.nodeAffinity ? { affinity: { nodeAffinity: affinity.nodeAffinity } } : {}),
    ...(imagePullSecrets ? { imagePullSecrets } : {}),
  };
}

/** The first node seeds a single node; from three nodes on, a second seed lets the ring form while either is down. */
function seedOrdinals(replicas: number): number[] {
  return replicas >= 3 ? [0, 1] : [0];
}

/**
 * cassandra-env.sh's own rule, min(100M per core, a quarter of the heap), with the pod's CPU
 * request for the cores: the script would count the node's. Only CMS (4.1 on Java 11) uses it;
 * G1 (5.0) ignores it, but the script still wants both variables set together.
 */
export function youngGeneration(heapSize: string, cpuRequest: string): string {
  const cores = Math.max(1, Math.ceil(cpuRequest.endsWith("m") ? Number(cpuRequest.slice(0, -1)) / 1000 : Number(cpuRequest)));
  return `${Math.min(100 * cores, Math.floor(heapMebibytes(heapSize) / 4))}M`;
}

/**
 * Cheap probes where they suffice, a JMX call where only the JVM can answer:
 * - startup: the intra-node port opens once the commit log is replayed, before the ring is joined,
 *   so the budget covers a slow start without capping how long bootstrap streaming may take;
 * - readiness: CQL listens only once the node has joined and can serve, so a TCP check on 9042
 *   proves it without cqlsh (a Python start-up and a login every few seconds);
 * - liveness: `nodetool info` goes through JMX and fails on a hung JVM, which still accepts TCP.
 *   It starts a small JVM, hence the long period and timeout, and six misses before a restart
 *   so a long GC pause never kills a node.
 */
function probes(): Pick<k8s.types.input.core.v1.Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
  return {
    startupProbe: { tcpSocket: { port: "intra-node" }, periodSeconds: 10, failureThreshold: 90 },
    readinessProbe: { tcpSocket: { port: "cql" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { exec: { command: ["nodetool", "info"] }, periodSeconds: 30, timeoutSeconds: 25, failureThreshold: 6 },
  };
}

