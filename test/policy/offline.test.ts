import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { runPolicyPack } from "../../policy/offline";
import { record, stackRecord } from "./harness";

const bucket = record("aws:s3/bucket:Bucket", "logs", { acl: "public-read" }, { parent: stackRecord().urn });

const publicBucket: ResourceValidationPolicy = {
  name: "public-bucket",
  description: "Buckets are private.",
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:s3/bucket:Bucket") return args.notApplicable("not a bucket");
    if (args.props.acl === "public-read") reportViolation(`${args.name} is public`);
  },
};

describe("runPolicyPack", () => {
  it("reports a resource violation against the resource's URN at the pack's level", async () => {
    const report = await runPolicyPack([publicBucket], { resources: [stackRecord(), bucket], outputs: {} }, { enforcementLevel: "mandatory" });
    expect(report.violations).toEqual([{ policyName: "public-bucket", enforcementLevel: "mandatory", message: "logs is public", urn: bucket.urn }]);
    expect(report.notApplicable).toEqual([{ policyName: "public-bucket", urn: stackRecord().urn, reason: "not a bucket" }]);
  });

  it("lets policy config lower a rule to advisory or disable it", async () => {
    const stack = { resources: [bucket], outputs: {} };
    expect((await runPolicyPack([publicBucket], stack, { config: { "public-bucket": "advisory" } })).violations[0].enforcementLevel).toBe("advisory");
    expect((await runPolicyPack([publicBucket], stack, { config: { "public-bucket": { enforcementLevel: "disabled" } } })).violations).toEqual([]);
  });

  it("hands a stack policy the stack outputs as the stack's props, parents and dependencies as resources, and its config", async () => {
    const seen: unknown[] = [];
    const inspect: StackValidationPolicy = {
      name: "inspect",
      description: "Looks at the stack.",
      validateStack: (args) => {
        const stack = args.resources.find((resource) => resource.type === "pulumi:pulumi:Stack")!;
        const child = args.resources.find((resource) => resource.name === "child")!;
        seen.push(stack.props.environment, child.parent?.name, child.dependencies.map((dependency) => dependency.name), args.getConfig());
      },
    };
    const child = record("aws:s3/bucketPolicy:BucketPolicy", "child", {}, { parent: bucket.urn, dependsOn: [bucket.urn] });
    await runPolicyPack([inspect], { resources: [stackRecord(), bucket, child], outputs: { environment: "staging" } }, { config: { inspect: { environment: "dev" } } });
    expect(seen).toEqual(["staging", "logs", ["logs"], { environment: "dev" }]);
  });

  it("names the policy and resource when a rule throws", async () => {
    const broken: ResourceValidationPolicy = {
      name: "broken",
      description: "Throws.",
      validateResource: () => {
        throw new Error("boom");
      },
    };
    await expect(runPolicyPack([broken], { resources: [bucket], outputs: {} })).rejects.toThrow(`policy broken failed on ${bucket.urn}: boom`);
  });
});
