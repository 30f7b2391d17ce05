import { beforeAll, describe, expect, it } from "vitest";
import type { ResourcesConfig } from "../../../components/config/schema";
import { ClusterNames } from "../../../components/kubernetes/names";
import { InClusterElasticsearch } from "../../../components/stores/in-cluster-elasticsearch/inClusterElasticsearch";
import { ELASTICSEARCH_POD } from "../../../components/stores/in-cluster-elasticsearch/pod";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { validateKubernetesObject } from "../../helpers/kubernetesModels";
import { K8S, ofType, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { STORE_POD, expectOverridesAdded } from "../../helpers/storePod";

const resources: ResourcesConfig = { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } };
const common = { namespace: "temporal", storageSize: "8Gi", resources, heapSize: "1G", image: "docker.elastic.co/elasticsearch/elasticsearch:8.17.4" };
let records: ResourceRecord[];

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  new InClusterElasticsearch("plain", { ...common, names: new ClusterNames("temporal") });
  new InClusterElasticsearch("custom", { ...common, names: new ClusterNames("temporal"), pod: STORE_POD });
  await settle();
});

// Both stores share the cluster's names; the Pulumi resource names tell them apart.
const statefulSet = (store: string) => ofType(records, K8S.statefulSet).find((record) => record.name === `${store}-statefulset`)!;

describe("InClusterElasticsearch with a pod block", () => {
  it("adds the block to the pod beside the kit's labels, env, volume and mount, which ELASTICSEARCH_POD refuses", () => {
    expectOverridesAdded(statefulSet("custom"), statefulSet("plain"), "elasticsearch", ELASTICSEARCH_POD);
  });

  it("renders a StatefulSet the Kubernetes schema accepts", async () => {
    await expect(validateKubernetesObject(statefulSet("custom").inputs)).resolves.toBeUndefined();
  });
});
