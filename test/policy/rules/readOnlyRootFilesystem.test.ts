import { describe, expect, it } from "vitest";
import { readOnlyRootFilesystem } from "../../../policy/rules/readOnlyRootFilesystem";
import { compliantContainer, violationsOf, workload } from "../harness";

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
});
