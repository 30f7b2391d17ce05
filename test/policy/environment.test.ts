import type { StackValidationArgs } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { environmentOfStack } from "../../policy/environment";

function argsWith(options: { config?: object; output?: string; tags?: Record<string, string> }): StackValidationArgs {
  const resource = (type: string, props: Record<string, unknown>) => ({ type, props }) as StackValidationArgs["resources"][number];
  return {
    resources: [resource("pulumi:pulumi:Stack", options.output ? { environment: options.output } : {}), resource("aws:rds/instance:Instance", { tags: options.tags })],
    stackTags: new Map(),
    getConfig: <T>() => (options.config ?? {}) as T,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  };
}

describe("environmentOfStack", () => {
  it("takes the policy config first", () => {
    expect(environmentOfStack(argsWith({ config: { environment: "dev" }, output: "production" }))).toBe("dev");
  });

  it("then the stack's environment output", () => {
    expect(environmentOfStack(argsWith({ output: "staging", tags: { "temporal-kit:environment": "production" } }))).toBe("staging");
  });

  it("then the AWS or Azure environment tag", () => {
    expect(environmentOfStack(argsWith({ tags: { "temporal-kit:environment": "staging" } }))).toBe("staging");
    expect(environmentOfStack(argsWith({ tags: { "temporal-kit-environment": "dev" } }))).toBe("dev");
  });

  it("holds a stack that names no environment to the production rules", () => {
    expect(environmentOfStack(argsWith({ tags: { "temporal-kit:environment": "qa" } }))).toBe("production");
  });
});
