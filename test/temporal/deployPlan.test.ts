import { describe, expect, it } from "vitest";
import { type DeployStep, type StepBuilders, carryOut, deployPlan } from "../../components/temporal/deployPlan";
import type { RoleName } from "../../components/temporal/roles";

const core: RoleName[] = ["frontend", "history", "matching", "worker"];
const shape = {
  roles: core,
  namespaces: ["default", "orders"],
  webConsole: true,
  workerPools: [{ name: "billing", namespace: "orders" }],
};

/** Carries a plan out with names for resources, recording what each step was handed to wait for. */
function recordedRun(plan: DeployStep[], namespacesTogether = false) {
  const made: { step: string; dependsOn: string[] }[] = [];
  const record = (step: string, dependsOn: string[]) => (made.push({ step, dependsOn }), step);
  const builders: StepBuilders<string> = {
    gate: (gate, step) => [step.kind === "role" && gate === "role-prerequisites" ? `${gate}(${step.role})` : gate],
    schema: (dependsOn) => record("schema", dependsOn),
    role: (role, dependsOn) => record(role, dependsOn),
    namespaces: (declared, dependsOn) => {
      if (!namespacesTogether) return Object.fromEntries(declared.map((ns) => [ns, record(`ns:${ns}`, dependsOn)]));
      const task = record("namespaces-task", dependsOn);
      return Object.fromEntries(declared.map((ns) => [ns, task]));
    },
    webConsole: (dependsOn) => record("web-console", dependsOn),
    workerPool: (pool, dependsOn) => record(`pool:${pool}`, dependsOn),
  };
  carryOut(plan, builders);
  return made;
}

describe("the deploy plan", () => {
  it("makes the schema first, behind the stores and the upgrade guard", () => {
    expect(deployPlan(shape)[0]).toEqual({ kind: "schema", id: "schema", after: ["stores-ready", "upgrade-guard"] });
  });

  it("starts every role after the schema and its own prerequisites, and each after the role that rolls before it", () => {
    expect(recordedRun(deployPlan(shape)).filter(({ step }) => core.includes(step as RoleName))).toEqual([
      { step: "history", dependsOn: ["schema", "role-prerequisites(history)"] },
      { step: "matching", dependsOn: ["schema", "role-prerequisites(matching)", "history"] },
      { step: "frontend", dependsOn: ["schema", "role-prerequisites(frontend)", "matching"] },
      { step: "worker", dependsOn: ["schema", "role-prerequisites(worker)", "frontend"] },
    ]);
  });

  it("registers namespaces once every role runs, in roll order", () => {
    expect(recordedRun(deployPlan(shape)).find(({ step }) => step === "ns:orders")?.dependsOn).toEqual(["history", "matching", "frontend", "worker"]);
  });

  it("starts the web console after the frontend alone", () => {
    expect(recordedRun(deployPlan(shape)).find(({ step }) => step === "web-console")?.dependsOn).toEqual(["frontend"]);
  });

  it("starts a worker pool after the registration of the namespace it polls", () => {
    expect(recordedRun(deployPlan(shape)).find(({ step }) => step === "pool:billing")?.dependsOn).toEqual(["ns:orders"]);
  });

  it("lets a runtime register all namespaces together, the pools then waiting on that one registration", () => {
    expect(recordedRun(deployPlan(shape), true).find(({ step }) => step === "pool:billing")?.dependsOn).toEqual(["namespaces-task"]);
  });

  it("makes the steps in order: schema, roles, namespaces, console, pools", () => {
    expect(recordedRun(deployPlan(shape)).map(({ step }) => step)).toEqual([
      "schema",
      "history",
      "matching",
      "frontend",
      "worker",
      "ns:default",
      "ns:orders",
      "web-console",
      "pool:billing",
    ]);
  });

  it("has no console step when the console is off", () => {
    expect(deployPlan({ ...shape, webConsole: false }).map((step) => step.kind)).not.toContain("web-console");
  });

  it("refuses a step that waits for something no earlier step makes", () => {
    const broken: DeployStep[] = [{ kind: "worker-pool", id: "worker-pool:billing", pool: "billing", after: ["namespace:missing"] }];
    expect(() => recordedRun(broken)).toThrow("deploy plan: worker-pool:billing waits for namespace:missing, which no earlier step makes");
  });
});
