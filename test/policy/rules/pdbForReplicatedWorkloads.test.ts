import { describe, expect, it } from "vitest";
import { pdbForReplicatedWorkloads } from "../../../policy/rules/pdbForReplicatedWorkloads";
import { POD_LABELS, kubernetesObject, messagesOf, workload } from "../harness";

const pdb = (matchLabels: Record<string, string>, namespace = "temporal") =>
  kubernetesObject("kubernetes:policy/v1:PodDisruptionBudget", "frontend", { spec: { maxUnavailable: 1, selector: { matchLabels } } }, namespace);

describe("pdb-for-replicated-workloads", () => {
  it("reports a multi-replica production Deployment no PodDisruptionBudget selects", async () => {
    expect(await messagesOf(pdbForReplicatedWorkloads, [workload("frontend", { replicas: 3 })])).toEqual(["temporal/frontend has no PodDisruptionBudget selecting its pods."]);
  });

  it("does not count a budget in another namespace, or one with an empty selector", async () => {
    expect(await messagesOf(pdbForReplicatedWorkloads, [workload("frontend", { replicas: 3 }), pdb(POD_LABELS, "other"), pdb({})])).toHaveLength(1);
  });

  it("accepts a budget selecting the pods, and a single-replica workload without one", async () => {
    expect(await messagesOf(pdbForReplicatedWorkloads, [workload("frontend", { replicas: 3 }), pdb(POD_LABELS), workload("singleton", { replicas: 1, labels: { app: "one" } })])).toEqual([]);
  });
});
