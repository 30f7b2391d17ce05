import { describe, expect, it } from "vitest";
import { podHardening } from "../../../policy/rules/podHardening";
import { compliantContainer, messagesOf, workload } from "../harness";

describe("pod-hardening", () => {
  it("reports every missing hardening setting of a container and its pod", async () => {
    const deployment = workload("mysql", { containers: [compliantContainer({ name: "mysql", securityContext: undefined })], pod: { automountServiceAccountToken: undefined } });
    expect(await messagesOf(podHardening, [deployment])).toEqual([
      "temporal/mysql: pod does not set automountServiceAccountToken: false.",
      'temporal/mysql: container "mysql" does not set runAsNonRoot: true (on the container or the pod).',
      'temporal/mysql: container "mysql" does not set allowPrivilegeEscalation: false.',
      'temporal/mysql: container "mysql" does not drop ALL capabilities.',
    ]);
  });

  it("reports a privileged init container", async () => {
    const init = compliantContainer({ name: "sysctl", securityContext: { ...compliantContainer().securityContext, privileged: true } });
    expect(await messagesOf(podHardening, [workload("elasticsearch", { pod: { initContainers: [init] } })])).toEqual([
      'temporal/elasticsearch: container "sysctl" is privileged.',
    ]);
  });

  it("lets a container's runAsNonRoot: false override the pod's true", async () => {
    const container = compliantContainer({ securityContext: { ...compliantContainer().securityContext, runAsNonRoot: false } });
    const deployment = workload("web", { containers: [container], pod: { securityContext: { runAsNonRoot: true } } });
    expect(await messagesOf(podHardening, [deployment])).toHaveLength(1);
  });

  it("accepts runAsNonRoot set on the pod and the rest on the container", async () => {
    const { runAsNonRoot: _, ...containerContext } = compliantContainer().securityContext;
    const deployment = workload("web", { containers: [compliantContainer({ securityContext: containerContext })], pod: { securityContext: { runAsNonRoot: true } } });
    expect(await messagesOf(podHardening, [deployment])).toEqual([]);
  });
});
