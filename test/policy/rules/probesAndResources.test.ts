import { describe, expect, it } from "vitest";
import { probesAndResources } from "../../../policy/rules/probesAndResources";
import { compliantContainer, messagesOf, taskDefinition, workload } from "../harness";

describe("probes-and-resources", () => {
  it("reports a long-running container without probes", async () => {
    const deployment = workload("history", { containers: [compliantContainer({ readinessProbe: undefined, livenessProbe: undefined })] });
    expect(await messagesOf(probesAndResources, [deployment])).toEqual([
      'temporal/history: container "app" has no readinessProbe.',
      'temporal/history: container "app" has no livenessProbe.',
    ]);
  });

  it("reports a container without requests or a memory limit", async () => {
    const deployment = workload("history", { containers: [compliantContainer({ resources: { requests: { cpu: "1" } } })] });
    expect(await messagesOf(probesAndResources, [deployment])).toEqual([
      'temporal/history: container "app" does not request both cpu and memory.',
      'temporal/history: container "app" has no memory limit.',
    ]);
  });

  it("asks a Job's containers for resources but not for probes", async () => {
    const job = workload("schema", { kind: "Job", containers: [compliantContainer({ readinessProbe: undefined, livenessProbe: undefined })] });
    expect(await messagesOf(probesAndResources, [job])).toEqual([]);
    const unbounded = workload("schema", { kind: "Job", containers: [compliantContainer({ resources: undefined })] });
    expect(await messagesOf(probesAndResources, [unbounded])).toHaveLength(2);
  });

  it("reports an ECS task definition without task-level memory", async () => {
    const messages = await messagesOf(probesAndResources, [taskDefinition("web", [{ name: "web", image: "temporalio/ui:2.52.0" }], { memory: undefined })]);
    expect(messages).toEqual(["task web does not set both cpu and memory."]);
  });

  it("accepts a container with requests, a memory limit and both probes", async () => {
    expect(await messagesOf(probesAndResources, [workload("history"), taskDefinition("web", [])])).toEqual([]);
  });
});
