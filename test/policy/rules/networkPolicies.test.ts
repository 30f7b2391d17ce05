import { describe, expect, it } from "vitest";
import { networkPolicies } from "../../../policy/rules/networkPolicies";
import { kubernetesObject, messagesOf, workload } from "../harness";

const policy = (podSelector: Record<string, unknown>, policyTypes?: string[], namespace = "temporal") =>
  kubernetesObject("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny", { spec: { podSelector, ingress: [], ...(policyTypes ? { policyTypes } : {}) } }, namespace);

describe("network-policies", () => {
  it("reports staging workloads no ingress NetworkPolicy selects", async () => {
    const messages = await messagesOf(networkPolicies, [workload("frontend"), policy({}, ["Egress"]), policy({}, ["Ingress"], "elsewhere")], "staging");
    expect(messages).toEqual(["temporal/frontend: no NetworkPolicy isolates its pods for ingress."]);
  });

  it("accepts a policy selecting the pods by labels or expressions, or all pods", async () => {
    expect(await messagesOf(networkPolicies, [workload("frontend"), policy({ matchLabels: { "app.kubernetes.io/name": "temporal" } }, ["Ingress"])], "production")).toEqual([]);
    const byExpression = policy({ matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["app"] }] });
    expect(await messagesOf(networkPolicies, [workload("frontend"), byExpression], "production")).toEqual([]);
    expect(await messagesOf(networkPolicies, [workload("frontend"), policy({})], "production")).toEqual([]);
  });

  it("does not apply to dev", async () => {
    expect(await messagesOf(networkPolicies, [workload("frontend")], "dev")).toEqual([]);
  });
});
