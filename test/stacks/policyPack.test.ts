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
