import { describe, expect, inject, it } from "vitest";
import { Violation, mandatory, runPolicyPack } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { SynthRun, readSynthOutput } from "../helpers/synthRuns";

/**
 * Rules whose features are being built on other branches and are not merged here yet: today they
 * report violations on the shipped stacks. The lead empties this list after merging those
 * branches; the test "still fails" below then tells which entries are stale.
 *   pod-hardening     (wip pod hardening): every pod template sets automountServiceAccountToken: false,
 *                     runAsNonRoot: true (pod or container), allowPrivilegeEscalation: false and
 *                     capabilities.drop [ALL] on every container and init container, privileged never true.
 *   web-console-auth  (wip-console): in production a console reachable through an Ingress, a
 *                     LoadBalancer/NodePort Service or (ECS) a load balancer runs with TEMPORAL_AUTH_ENABLED=true.
 */
export const RULES_AWAITING_OTHER_BRANCHES: readonly string[] = ["pod-hardening", "web-console-auth"];

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

  it.each(shipped.map((run) => run.label))("%s has no mandatory violation outside the rules awaiting other branches", async (label) => {
    const violations = await mandatoryViolations(shipped.find((run) => run.label === label)!);
    const blocking = violations.filter((violation) => !RULES_AWAITING_OTHER_BRANCHES.includes(violation.policyName));
    expect(describeViolations(blocking)).toEqual([]);
  });

  it.each(RULES_AWAITING_OTHER_BRANCHES.map((name) => [name]))("%s still fails on some shipped stack (else remove it from RULES_AWAITING_OTHER_BRANCHES)", async (name) => {
    expect(policies.map((policy) => policy.name)).toContain(name);
    const failing: string[] = [];
    for (const run of shipped) {
      if ((await mandatoryViolations(run)).some((violation) => violation.policyName === name)) failing.push(run.label);
    }
    expect(failing.length, `${name} passes on every shipped stack`).toBeGreaterThan(0);
  });
});
