import { describe, expect, it } from "vitest";
import { productionReplicas } from "../../../policy/rules/productionReplicas";
import { kubernetesObject, messagesOf, record, workload } from "../harness";

describe("production-replicas", () => {
  it("reports a production Deployment with one replica and an ECS service with one task", async () => {
    const messages = await messagesOf(productionReplicas, [workload("frontend", { replicas: 1 }), record("aws:ecs/service:Service", "web-service", { desiredCount: 1 })]);
    expect(messages).toEqual(["temporal/frontend runs 1 replica(s), at least 2 required.", "web-service runs 1 task(s), at least 2 required."]);
  });

  it("counts an autoscaler's minReplicas instead of spec.replicas", async () => {
    const hpa = (minReplicas: number) =>
      kubernetesObject("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "frontend", { spec: { scaleTargetRef: { kind: "Deployment", name: "frontend" }, minReplicas } });
    expect(await messagesOf(productionReplicas, [workload("frontend", { replicas: 5 }), hpa(1)])).toHaveLength(1);
    expect(await messagesOf(productionReplicas, [workload("frontend", { replicas: 1 }), hpa(3)])).toEqual([]);
  });

  it("counts an ECS scaling target's minCapacity", async () => {
    const service = record("aws:ecs/service:Service", "history", { desiredCount: 3 });
    const target = record("aws:appautoscaling/target:Target", "history-scaling", { minCapacity: 1 }, { dependsOn: [service.urn] });
    expect(await messagesOf(productionReplicas, [service, target])).toEqual(["history runs 1 task(s), at least 2 required."]);
  });

  it("accepts two or more replicas, and one replica outside production", async () => {
    expect(await messagesOf(productionReplicas, [workload("frontend", { replicas: 2 }), record("aws:ecs/service:Service", "web", { desiredCount: 2 })])).toEqual([]);
    expect(await messagesOf(productionReplicas, [workload("frontend", { replicas: 1 })], "staging")).toEqual([]);
  });
});
