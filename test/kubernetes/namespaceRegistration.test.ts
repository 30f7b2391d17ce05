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
    const [first, second] = ofType(records, K8S.job).map((record) => workloadOf(record).metadata.name);
    expect(first).toMatch(/^temporal-ns-orders-[0-9a-f]{8}$/);
    expect(second).toMatch(/^temporal-ns-orders-[0-9a-f]{8}$/);
    expect(first).not.toBe(second);
  });
});
