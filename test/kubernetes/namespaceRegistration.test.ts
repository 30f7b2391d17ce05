import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ClusterNames } from "../../components/kubernetes/names";
import { NamespaceRegistration } from "../../components/kubernetes/namespaceRegistration";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { K8S, envOf, ofType, podSpecOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

let records: ResourceRecord[];
const register = (name: string, retention: string) =>
  new NamespaceRegistration(`ns-${name}-${retention}`, {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    adminToolsImage: "temporalio/admin-tools:1.31.2",
    temporalNamespace: { name, retention },
    frontendAddress: "temporal-frontend.temporal.svc.cluster.local:7233",
  });

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  register("orders", "7d");
  register("orders", "30d");
  // The same namespace once the cluster archives: the spec is an output naming the bucket.
  new NamespaceRegistration("ns-orders-archived", {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    adminToolsImage: "temporalio/admin-tools:1.31.2",
    temporalNamespace: pulumi.output({ name: "orders", retention: "7d", archival: { historyState: "enabled" as const, historyUri: "s3://archive/history", visibilityState: "disabled" as const } }),
    frontendAddress: "temporal-frontend.temporal.svc.cluster.local:7233",
  });
  await settle();
});

describe("NamespaceRegistration", () => {
  it("calls the frontend with the namespace's name and retention", () => {
    const container = podSpecOf(ofType(records, K8S.job)[0]).containers[0];
    expect(envOf(container, "TEMPORAL_ADDRESS")?.value).toBe("temporal-frontend.temporal.svc.cluster.local:7233");
    expect(envOf(container, "TEMPORAL_KIT_NAMESPACE")?.value).toBe("orders");
    expect(envOf(container, "TEMPORAL_KIT_RETENTION")?.value).toBe("7d");
  });

  it("gets a new job name when the namespace spec changes, so the change is applied", () => {
    const [first, second] = ofType(records, K8S.job).slice(0, 2).map((record) => workloadOf(record).metadata.name);
    expect(first).toMatch(/^temporal-ns-orders-[0-9a-f]{8}$/);
    expect(second).toMatch(/^temporal-ns-orders-[0-9a-f]{8}$/);
    expect(first).not.toBe(second);
  });

  it("runs again when the namespace's archival changes, with the states and URI as variables", () => {
    const [plain, , archived] = ofType(records, K8S.job);
    expect(workloadOf(archived).metadata.name).not.toBe(workloadOf(plain).metadata.name);
    const container = podSpecOf(archived).containers[0];
    expect(envOf(container, "TEMPORAL_KIT_HISTORY_ARCHIVAL")?.value).toBe("enabled");
    expect(envOf(container, "TEMPORAL_KIT_HISTORY_URI")?.value).toBe("s3://archive/history");
    expect(envOf(container, "TEMPORAL_KIT_VISIBILITY_ARCHIVAL")?.value).toBe("disabled");
  });

  it("is a Job and nothing else, so dropping the namespace from config deletes only the Job", () => {
    const children = records.filter((record) => record.custom && record.name.startsWith("ns-"));
    expect(new Set(children.map((record) => record.type))).toEqual(new Set([K8S.job]));
    for (const job of children) expect(podSpecOf(job).containers[0].command?.join(" ")).not.toMatch(/delete/);
  });
});
