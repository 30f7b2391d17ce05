import { beforeAll, describe, expect, it } from "vitest";
import { PERSISTENCE_PRESETS } from "../../../components/config/storePresets";
import { ClusterNames } from "../../../components/kubernetes/names";
import { InClusterPostgres, type InClusterPostgresArgs } from "../../../components/stores/in-cluster-postgres/inClusterPostgres";
import { POSTGRES_POD } from "../../../components/stores/in-cluster-postgres/pod";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { validateKubernetesObject } from "../../helpers/kubernetesModels";
import { K8S, ofType, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { STORE_POD, expectOverridesAdded } from "../../helpers/storePod";

const preset = PERSISTENCE_PRESETS.dev["in-cluster-postgres"]!;
if (preset.hosting !== "in-cluster-postgres") throw new Error("the dev preset of in-cluster-postgres runs PostgreSQL in the cluster");
let records: ResourceRecord[];

const args = (): InClusterPostgresArgs => ({
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
  new InClusterPostgres("plain", args());
  new InClusterPostgres("custom", { ...args(), pod: STORE_POD });
  await settle();
});

// Both stores share the cluster's names; the Pulumi resource names tell them apart.
const statefulSet = (store: string) => ofType(records, K8S.statefulSet).find((record) => record.name === `${store}-statefulset`)!;

describe("InClusterPostgres with a pod block", () => {
  it("adds the block to the pod beside the kit's labels, env, volumes and mounts, which POSTGRES_POD refuses", () => {
    expectOverridesAdded(statefulSet("custom"), statefulSet("plain"), "postgres", POSTGRES_POD);
  });

  it("renders a StatefulSet the Kubernetes schema accepts", async () => {
    await expect(validateKubernetesObject(statefulSet("custom").inputs)).resolves.toBeUndefined();
  });
});
