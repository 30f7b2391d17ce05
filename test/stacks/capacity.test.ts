import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { type CapacityReport, checkCapacity } from "../../components/capacity/fit";
import { EKS_PLATFORM, eksAllocatable, kindMinimumPool, type NodePool } from "../../components/capacity/nodes";
import { declaredNodes, type RecordLike, workloadsOf } from "../../components/capacity/stack";
import type { SynthRun } from "../helpers/synthRuns";

/**
 * Pulumi's mocks accept any request on any node: a stack whose pods do not fit its nodes synthesizes
 * fine and then hangs its first rollout on a Pending pod. This checks every synthesized stack and
 * fixture against the nodes it declares: the EKS node group or AKS node pool the kit creates, or,
 * for the shipped plain-Kubernetes stacks (which the README runs on kind), the documented minimum
 * kind node. It places the pods that run at rest and then the extra pods of every set of workloads
 * that can change at once (components/capacity/fit.ts).
 */

const runs = inject("synthRuns").filter((run) => !run.label.endsWith("invalid"));
const runNamed = (label: string) => runs.find((run) => run.label === label)!;
const records = new Map<string, RecordLike[]>();
/** The synth's resources.json: every resource's type, inputs (Kubernetes manifests included) and dependencies. */
const resourcesOf = (run: SynthRun): RecordLike[] => {
  if (!records.has(run.label)) records.set(run.label, JSON.parse(readFileSync(join(run.outDir, "resources.json"), "utf8")));
  return records.get(run.label)!;
};

type Plan = { pool: NodePool } | { skip: string };

/** Which nodes a run is held to. Fixtures on plain Kubernetes stand for a team's own cluster, whose nodes the kit cannot know. */
function planFor(run: SynthRun): Plan {
  const declared = declaredNodes(resourcesOf(run));
  switch (declared.kind) {
    case "nodes":
      return { pool: declared.pool };
    case "none":
      return { skip: declared.reason };
    case "plain-kubernetes":
      return run.label.startsWith("fixture:") ? { skip: "a plain-Kubernetes fixture standing for a team's own cluster, whose nodes the kit cannot know" } : { pool: kindMinimumPool() };
  }
}

const check = (run: SynthRun, pool: NodePool): CapacityReport => checkCapacity({ nodes: pool, workloads: workloadsOf(resourcesOf(run)) });

describe("capacity: every stack fits the nodes it declares", () => {
  it("holds each stack to its nodes, and says why it skips the others", () => {
    const plans = Object.fromEntries(runs.map((run) => [run.label, planFor(run)]).map(([label, plan]) => [label, "pool" in (plan as Plan) ? (plan as { pool: NodePool }).pool.label : "skipped"]));
    expect(plans).toEqual({
      dev: "the minimum kind node (4 CPUs / 8 GiB Docker VM)",
      "dev-cassandra": "the minimum kind node (4 CPUs / 8 GiB Docker VM)",
      "dev-postgres": "the minimum kind node (4 CPUs / 8 GiB Docker VM)",
      local: "the minimum kind node (4 CPUs / 8 GiB Docker VM)",
      staging: "3 × m6i.xlarge (EKS node group)",
      production: "6 × m6i.2xlarge (EKS node group)",
      "production-azure": "6 × Standard_D8s_v5 (AKS node pool)",
      "production-ecs": "skipped",
      "fixture:with-workers": "skipped",
      "fixture:ecs-workers": "skipped",
      "fixture:eks-workers": "skipped",
      "fixture:eks-authorization": "skipped",
      "fixture:eks-cassandra": "3 × m6i.2xlarge (EKS node group)",
      "fixture:azure-cosmos": "skipped",
      "fixture:azure-mysql": "3 × Standard_D4s_v5 (AKS node pool)",
      "fixture:external-postgres": "skipped",
      "fixture:eks-archival": "skipped",
      "fixture:ecs-archival": "skipped",
      "fixture:aks-archival": "6 × Standard_D8s_v5 (AKS node pool)",
      "fixture:ecs-authorization": "skipped",
      "fixture:pod-overrides": "skipped",
    });
  });

  it.each(runs.map((run) => run.label))("%s: the pods at rest, plus every change that can run at once, find a node each", (label) => {
    const run = runNamed(label);
    const plan = planFor(run);
    if ("skip" in plan) {
      expect(plan.skip).toMatch(/Fargate|existing cluster|team's own cluster/);
      return;
    }
    const report = check(run, plan.pool);
    expect(report.problems).toEqual([]);
    // Every Deployment's surge and every Job is weighed in some change.
    const changing = new Set(report.changes.flatMap((change) => change.changing));
    for (const workload of workloadsOf(resourcesOf(run)).filter((workload) => workload.transient > 0)) {
      expect(changing).toContain(workload.name);
    }
  });

  it("weighs a history rollout on staging, and the roles one at a time in their roll order", () => {
    const report = check(runNamed("staging"), (planFor(runNamed("staging")) as { pool: NodePool }).pool);
    const withHistory = report.changes.filter((change) => change.changing.includes("Deployment temporal/temporal-history"));
    expect(withHistory.length).toBeGreaterThan(0);
    // The roles roll one after another (components/temporal/rollOrder.ts), so no two surge together.
    const roles = ["history", "matching", "frontend", "worker"].map((role) => `Deployment temporal/temporal-${role}`);
    for (const change of report.changes) expect(change.changing.filter((name) => roles.includes(name)).length).toBeLessThanOrEqual(1);
  });

  it("would have caught staging on its old 3 × m6i.large: the pods did not fit even at rest", () => {
    const old: NodePool = { label: "3 × m6i.large (EKS node group)", count: 3, allocatable: eksAllocatable("m6i.large"), platform: EKS_PLATFORM };
    const report = check(runNamed("staging"), old);
    expect(report.fits).toBe(false);
    expect(report.steady.fits).toBe(false);
    expect(report.problems[0]).toMatch(/^3 × m6i\.large \(EKS node group\): each node has 1,680m CPU \/ .* for pods .*; at rest, .* find no node/);
  });

  it("would have caught production on its old 6 × m6i.xlarge: no node keeps 2 CPUs free for history's surge", () => {
    const old: NodePool = { label: "6 × m6i.xlarge (EKS node group)", count: 6, allocatable: eksAllocatable("m6i.xlarge"), platform: EKS_PLATFORM };
    const report = check(runNamed("production"), old);
    expect(report.steady.fits).toBe(true);
    expect(report.problems).toContainEqual(expect.stringMatching(/while Deployment temporal\/temporal-history changes, Deployment temporal\/temporal-history \(while it changes\) \(2,000m CPU \/ 4\.00 GiB\) finds no node/));
  });

  it("counts an autoscaled Deployment at its autoscaler's ceiling", () => {
    const frontend = workloadsOf(resourcesOf(runNamed("production"))).find((workload) => workload.name === "Deployment temporal/temporal-frontend")!;
    expect(frontend.replicas).toBe(8);
  });

  it("would have caught local at staging's requests on the minimum kind node", () => {
    // The staging fixture on plain Kubernetes renders the roles at staging's requests, as local did.
    const report = check(runNamed("fixture:external-postgres"), kindMinimumPool());
    expect(report.steady.fits).toBe(false);
  });
});
