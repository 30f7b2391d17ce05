import { beforeAll, describe, expect, it } from "vitest";
import type { ResourcesConfig } from "../../../components/config/schema";
import { InClusterElasticsearch, elasticsearchVersion } from "../../../components/stores/in-cluster-elasticsearch/inClusterElasticsearch";
import { ClusterNames } from "../../../components/kubernetes/names";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { validateKubernetesObject } from "../../helpers/kubernetesModels";
import { K8S, type Container, envOf, ofType, podSpecOf, promiseOf, settle, startMockRuntime, workloadOf } from "../../helpers/mockRuntime";

const resources: ResourcesConfig = { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } };
const common = { namespace: "temporal", storageSize: "8Gi", resources, heapSize: "1G" };
let records: ResourceRecord[];
let search: InClusterElasticsearch;
let legacy: InClusterElasticsearch;

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  search = new InClusterElasticsearch("search", {
    ...common,
    names: new ClusterNames("temporal"),
    image: "docker.elastic.co/elasticsearch/elasticsearch:8.15.3",
    storageClassName: "standard",
  });
  legacy = new InClusterElasticsearch("legacy", { ...common, names: new ClusterNames("old"), image: "docker.elastic.co/elasticsearch/elasticsearch:7.17.24" });
  await settle();
});

const statefulSet = (cluster: string) =>
  ofType(records, K8S.statefulSet).find((record) => workloadOf(record).metadata.name === `${cluster}-elasticsearch`)!;
const node = (cluster: string): Container => podSpecOf(statefulSet(cluster)).containers[0];

describe("InClusterElasticsearch", () => {
  it("runs one node that forms no cluster", () => {
    expect(workloadOf(statefulSet("temporal")).spec.replicas).toBe(1);
    expect(envOf(node("temporal"), "discovery.type")?.value).toBe("single-node");
  });

  it("turns security off, for a cluster-internal dev store", () => {
    expect(envOf(node("temporal"), "xpack.security.enabled")?.value).toBe("false");
  });

  it("disallows mmap, so no node needs vm.max_map_count raised by a privileged container", () => {
    expect(envOf(node("temporal"), "node.store.allow_mmap")?.value).toBe("false");
    expect(podSpecOf(statefulSet("temporal")).initContainers).toBeUndefined();
  });

  it("fixes the heap with ES_JAVA_OPTS, at the configured size for both bounds", () => {
    expect(envOf(node("temporal"), "ES_JAVA_OPTS")?.value).toBe("-Xms1G -Xmx1G");
  });

  it("turns off the GeoIP downloader on 8.x only, where the setting exists", () => {
    expect(envOf(node("temporal"), "ingest.geoip.downloader.enabled")?.value).toBe("false");
    expect(envOf(node("old"), "ingest.geoip.downloader.enabled")).toBeUndefined();
  });

  it("is ready once its local cluster health answers, and has a startup budget before liveness applies", () => {
    const container = node("temporal");
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: "/_cluster/health?local=true", port: "http" } });
    const startup = container.startupProbe as { httpGet: unknown; periodSeconds: number; failureThreshold: number };
    expect(startup.httpGet).toEqual({ path: "/_cluster/health?local=true", port: "http" });
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(180);
    expect(container.livenessProbe).toBeDefined();
  });

  it("stores indices on a persistent volume of the configured size and class", () => {
    const claim = workloadOf(statefulSet("temporal")).spec.volumeClaimTemplates![0] as unknown as { metadata: { name: string }; spec: Record<string, unknown> };
    expect(claim.spec).toMatchObject({ storageClassName: "standard", resources: { requests: { storage: "8Gi" } } });
    expect(node("temporal").volumeMounts).toEqual([{ name: claim.metadata.name, mountPath: "/usr/share/elasticsearch/data" }]);
  });

  it("gives the container the configured resources and refuses a heap that fills the memory limit", () => {
    expect(node("temporal").resources).toEqual({ requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } });
    expect(
      () => new InClusterElasticsearch("tight", { ...common, heapSize: "2G", names: new ClusterNames("tight"), image: "docker.elastic.co/elasticsearch/elasticsearch:8.15.3" }),
    ).toThrow(/memory limit 2Gi must exceed the JVM heap 2G/);
  });

  it("runs as the image's elasticsearch user with a volume it can write, never as root", () => {
    const pod = podSpecOf(statefulSet("temporal")) as unknown as { securityContext: Record<string, unknown> };
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect((node("temporal") as { securityContext?: unknown }).securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: false });
  });

  it("publishes its in-cluster URL on port 9200", async () => {
    expect(await promiseOf(search.url)).toBe("http://temporal-elasticsearch.temporal.svc.cluster.local:9200");
    const service = ofType(records, K8S.service).find((record) => record.name === "search-service")!.inputs as { spec: { ports: unknown[] } };
    expect(service.spec.ports).toEqual([{ name: "http", port: 9200, targetPort: "http", protocol: "TCP" }]);
  });

  it("tells Temporal which client speaks to the image, from its tag", () => {
    expect(search.version).toBe("v8");
    expect(legacy.version).toBe("v7");
    expect(elasticsearchVersion("registry.example.com:5000/elasticsearch:8.15.3@sha256:" + "a".repeat(64))).toBe("v8");
    expect(() => elasticsearchVersion("docker.elastic.co/elasticsearch/elasticsearch:6.8.23")).toThrow(/7\.x or 8\.x tag/);
    expect(() => elasticsearchVersion("docker.elastic.co/elasticsearch/elasticsearch@sha256:" + "a".repeat(64))).toThrow(/7\.x or 8\.x tag/);
  });

  it("renders only objects that are valid against the Kubernetes schema", async () => {
    const objects = records.filter((record) => record.custom && record.type.startsWith("kubernetes:"));
    expect(objects).toHaveLength(4);
    for (const record of objects) await expect(validateKubernetesObject(record.inputs), record.name).resolves.toBeUndefined();
    // The same check fails on a broken copy, so it is not passing everything.
    const broken = { ...statefulSet("temporal").inputs, spec: { ...(statefulSet("temporal").inputs.spec as object), replicas: "one" } };
    await expect(validateKubernetesObject(broken)).rejects.toThrow(/replicas/);
  });
});
