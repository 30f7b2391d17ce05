import { beforeAll, describe, expect, it } from "vitest";
import type { WorkerConfig } from "../../components/config/schema";
import { ClusterNames } from "../../components/kubernetes/names";
import { WorkerPool } from "../../components/kubernetes/workerPool";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { K8S, envOf, ofType, podSpecOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

const pool: WorkerConfig = {
  name: "orders",
  image: "registry.example.com/orders-worker:1.4.2",
  replicas: 3,
  taskQueue: "orders-tq",
  namespace: "orders",
  env: { LOG_LEVEL: "debug" },
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  probe: { httpGet: { path: "/healthz", port: 8080 } },
};
let records: ResourceRecord[];

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  const common = { names: new ClusterNames("temporal"), namespace: "temporal", frontendAddress: "temporal-frontend.temporal.svc.cluster.local:7233" };
  new WorkerPool("orders", { ...common, config: pool, highAvailability: true });
  new WorkerPool("dev", { ...common, config: { ...pool, name: "dev", replicas: 1, probe: undefined }, highAvailability: false });
  new WorkerPool("burst", {
    ...common,
    config: { ...pool, name: "burst", replicas: 1, autoscaling: { minReplicas: 1, maxReplicas: 4, targetCpuUtilization: 60 }, user: "10001:20002" },
    highAvailability: false,
  });
  await settle();
});

const deployment = (name: string) => ofType(records, K8S.deployment).find((record) => workloadOf(record).metadata.name === name)!;

describe("WorkerPool", () => {
  it("wires the worker to the frontend, its Temporal namespace and its task queue", () => {
    const container = podSpecOf(deployment("temporal-worker-orders")).containers[0];
    expect(envOf(container, "TEMPORAL_ADDRESS")?.value).toBe("temporal-frontend.temporal.svc.cluster.local:7233");
    expect(envOf(container, "TEMPORAL_NAMESPACE")?.value).toBe("orders");
    expect(envOf(container, "TEMPORAL_TASK_QUEUE")?.value).toBe("orders-tq");
    expect(envOf(container, "LOG_LEVEL")?.value).toBe("debug");
  });

  it("runs the configured image, replicas, resources and probes", () => {
    const workload = workloadOf(deployment("temporal-worker-orders"));
    const container = workload.spec.template.spec.containers[0];
    expect(container.image).toBe(pool.image);
    expect(workload.spec.replicas).toBe(3);
    expect(container.resources?.limits?.memory).toBe("512Mi");
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: "/healthz", port: 8080 } });
  });

  it("runs as the pool's user when it names one, and otherwise leaves the user to the image under runAsNonRoot", () => {
    const named = podSpecOf(deployment("temporal-worker-burst"));
    expect(named.containers[0].securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 20002, readOnlyRootFilesystem: true });
    const unnamed = podSpecOf(deployment("temporal-worker-orders"));
    expect(unnamed.containers[0].securityContext?.runAsUser).toBeUndefined();
    expect(unnamed.securityContext?.runAsNonRoot).toBe(true);
  });

  it("budgets disruptions for a pool that runs or can scale to more than one pod, in any environment", () => {
    expect(ofType(records, K8S.pdb).map((record) => (record.inputs as { metadata: { name: string } }).metadata.name)).toEqual([
      "temporal-worker-orders",
      "temporal-worker-burst",
    ]);
  });

  it("spreads replicas when highly available", () => {
    expect(podSpecOf(deployment("temporal-worker-orders")).topologySpreadConstraints).toHaveLength(2);
    expect(podSpecOf(deployment("temporal-worker-dev")).topologySpreadConstraints).toBeUndefined();
  });
});
