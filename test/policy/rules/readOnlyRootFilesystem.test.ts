import { describe, expect, it } from "vitest";
import { readOnlyRootFilesystem } from "../../../policy/rules/readOnlyRootFilesystem";
import { compliantContainer, taskDefinition, violationsOf, workload } from "../harness";

describe("read-only-root-filesystem", () => {
  it("reports a writable root filesystem as advisory", async () => {
    const container = compliantContainer({ securityContext: { runAsNonRoot: true } });
    expect(await violationsOf(readOnlyRootFilesystem, [workload("mysql", { containers: [container] })])).toEqual([
      expect.objectContaining({ enforcementLevel: "advisory", message: 'temporal/mysql: container "app" has a writable root filesystem.' }),
    ]);
  });

  it("accepts a read-only root filesystem", async () => {
    expect(await violationsOf(readOnlyRootFilesystem, [workload("web")])).toEqual([]);
  });

  it("reads ECS task definitions too", async () => {
    const containers = [
      { name: "web", image: "temporalio/ui:2.52.0", readonlyRootFilesystem: true },
      { name: "metrics", image: "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300064.0b1337" },
    ];
    expect(await violationsOf(readOnlyRootFilesystem, [taskDefinition("web", containers)])).toEqual([
      expect.objectContaining({ enforcementLevel: "advisory", message: 'web: container "metrics" has a writable root filesystem.' }),
    ]);
  });
});
