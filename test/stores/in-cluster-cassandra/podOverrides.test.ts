import { beforeAll, describe, expect, it } from "vitest";
import type { ResourcesConfig } from "../../../components/config/schema";
import { ClusterNames } from "../../../components/kubernetes/names";
import { InClusterCassandra, type InClusterCassandraArgs } from "../../../components/stores/in-cluster-cassandra/inClusterCassandra";
import { CASSANDRA_POD } from "../../../components/stores/in-cluster-cassandra/pod";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { validateKubernetesObject } from "../../helpers/kubernetesModels";
import { K8S, ofType, settle, startMockRuntime, workloadOf } from "../../helpers/mockRuntime";
import { STORE_POD, expectOverridesAdded, templateOf } from "../../helpers/storePod";

const resources: ResourcesConfig = { requests: { cpu: "2", memory: "8Gi" }, limits: { memory: "8Gi" } };
const args = (): InClusterCassandraArgs => ({
  names: new ClusterNames("temporal"),
  namespace: "temporal",
  image: "cassandra:5.0.4",
  replicas: 3,
  datacenter: "dc1",
  storageSize: "50Gi",
  resources,
  heapSize: "4G",
  highAvailability: true,
});
let records: ResourceRecord[];

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  new InClusterCassandra("plain", args());
  new InClusterCassandra("custom", { ...args(), pod: STORE_POD });
  new InClusterCassandra("labelled", { ...args(), pod: { labels: { "cost.example.com/center": "data" } } });
  await settle();
});

// Both stores share the cluster's names; the Pulumi resource names tell them apart.
const statefulSet = (store: string) => ofType(records, K8S.statefulSet).find((record) => record.name === `${store}-statefulset`)!;
const authJob = (store: string) => ofType(records, K8S.job).find((record) => record.name === `${store}-auth`)!;

describe("InClusterCassandra with a pod block", () => {
  it("adds the block to the nodes' pod beside the kit's labels, env, spread, volume and mount, which CASSANDRA_POD refuses", () => {
    expectOverridesAdded(statefulSet("custom"), statefulSet("plain"), "cassandra", CASSANDRA_POD);
    expect(templateOf(statefulSet("custom")).spec.topologySpreadConstraints!.map((c) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ["topology.kubernetes.io/zone", "ScheduleAnyway"],
      ["kubernetes.io/hostname", "ScheduleAnyway"],
      ["topology.kubernetes.io/zone", "DoNotSchedule"],
    ]);
  });

  it("runs the auth Job where the nodes may run, pulling through the same secret, and nothing else of the block", () => {
    const pod = templateOf(authJob("custom"));
    expect(pod.spec.nodeSelector).toEqual(STORE_POD.nodeSelector);
    expect(pod.spec.tolerations).toEqual(STORE_POD.tolerations);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: "registry-mirror" }]);
    // Anti-affinity names the nodes' own pods: on the Job it could keep it off a dedicated pool.
    expect(pod.spec.affinity).toEqual({ nodeAffinity: STORE_POD.affinity!.nodeAffinity });
    expect(pod.metadata.labels).toEqual(templateOf(authJob("plain")).metadata.labels);
    expect(pod.spec.containers[0].env).toEqual(templateOf(authJob("plain")).spec.containers[0].env);
    expect(pod.spec.volumes).toEqual(templateOf(authJob("plain")).spec.volumes);
  });

  it("names the auth Job after where it runs, so a change replaces it rather than editing its immutable template", () => {
    expect(workloadOf(authJob("custom")).metadata.name).not.toBe(workloadOf(authJob("plain")).metadata.name);
  });

  it("keeps the auth Job's name when the block holds nothing the Job takes, so it does not run again for a label", () => {
    expect(workloadOf(authJob("labelled")).metadata.name).toBe(workloadOf(authJob("plain")).metadata.name);
  });

  it("leaves the auth Job as it was without a block", () => {
    expect(templateOf(authJob("plain")).spec.nodeSelector).toBeUndefined();
    expect(templateOf(authJob("plain")).spec.imagePullSecrets).toBeUndefined();
  });

  it("renders objects the Kubernetes schema accepts", async () => {
    await expect(validateKubernetesObject(statefulSet("custom").inputs)).resolves.toBeUndefined();
    await expect(validateKubernetesObject(authJob("custom").inputs)).resolves.toBeUndefined();
  });
});
