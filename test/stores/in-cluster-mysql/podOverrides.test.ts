import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../../components/config/presets";
import { ClusterNames } from "../../../components/kubernetes/names";
import { InClusterMysql, type InClusterMysqlArgs } from "../../../components/stores/in-cluster-mysql/inClusterMysql";
import { MYSQL_POD } from "../../../components/stores/in-cluster-mysql/pod";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { validateKubernetesObject } from "../../helpers/kubernetesModels";
import { K8S, ofType, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { STORE_POD, expectOverridesAdded } from "../../helpers/storePod";

const preset = PRESETS.dev.persistence;
if (preset.hosting !== "in-cluster") throw new Error("the dev preset runs MySQL in the cluster");
let records: ResourceRecord[];

const args = (): InClusterMysqlArgs => ({
  names: new ClusterNames("temporal"),
  namespace: "temporal",
  image: preset.image,
  storageSize: "5Gi",
  resources: preset.resources,
  user: "temporal",
  database: "temporal",
  visibilityDatabase: "temporal_visibility",
  maxConnections: 200,
});

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  new InClusterMysql("plain", args());
  new InClusterMysql("custom", { ...args(), pod: STORE_POD });
  await settle();
});

// Both stores share the cluster's names; the Pulumi resource names tell them apart.
const statefulSet = (store: string) => ofType(records, K8S.statefulSet).find((record) => record.name === `${store}-statefulset`)!;

describe("InClusterMysql with a pod block", () => {
  it("adds the block to the pod beside the kit's labels, env, volumes and mounts, which MYSQL_POD refuses", () => {
    expectOverridesAdded(statefulSet("custom"), statefulSet("plain"), "mysql", MYSQL_POD);
  });

  it("renders a StatefulSet the Kubernetes schema accepts", async () => {
    await expect(validateKubernetesObject(statefulSet("custom").inputs)).resolves.toBeUndefined();
  });
});
