import { describe, expect, inject, it } from "vitest";
import { Violation, mandatory, runPolicyPack } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { SynthRun, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const shipped = runs.filter((run) => !run.label.startsWith("fixture:"));

async function mandatoryViolations(run: SynthRun): Promise<Violation[]> {
  const { resources, outputs } = readSynthOutput(run);
  return mandatory(await runPolicyPack(policies, { resources, outputs }, { enforcementLevel: "mandatory" }));
}

const describeViolations = (violations: Violation[]) => violations.map((violation) => `${violation.policyName}: ${violation.message}`);

describe("the policy pack on every shipped stack", () => {
  it("has stacks to check", () => {
    expect(shipped.length).toBeGreaterThanOrEqual(7);
  });

  it.each(shipped.map((run) => run.label))("%s has no mandatory violation", async (label) => {
    const violations = await mandatoryViolations(shipped.find((run) => run.label === label)!);
    expect(describeViolations(violations)).toEqual([]);
  });
});

describe("the policy pack on the fixture that archives to Blob Storage through the S3 gateway", () => {
  it("has no mandatory violation", async () => {
    const run = runs.find((candidate) => candidate.label === "fixture:aks-archival")!;
    expect(run.status, run.stderr).toBe(0);
    expect(describeViolations(await mandatoryViolations(run))).toEqual([]);
  });
});
