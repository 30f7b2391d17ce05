import type { RoleName } from "./roles";
import { inRollOrder, rollsAfter } from "./rollOrder";

/**
 * The order of a Temporal deployment, as data, for every runtime that carries it out (Jobs and
 * Deployments on Kubernetes, one-off tasks and Fargate services on ECS). A runtime only says how
 * to make each step; which step waits for which is decided here, once.
 *
 * - The schema waits for the stores to accept connections and for the upgrade guard, so a
 *   refused upgrade (a skipped minor, a changed shard count) changes no table.
 * - No role starts, or rolls to a new release, before the schema is current; the roles roll one
 *   after another in ROLL_ORDER, so a failed rollout stops at a single role.
 * - Namespaces are registered once every role runs: the frontend alone can answer before
 *   history owns its shards.
 * - The web console needs only the frontend; a worker pool needs the namespace it polls, since
 *   polling a namespace that does not exist yet only crash-loops.
 */

/** What the runtime provides before the plan starts, or beside a step. */
export type Gate =
  /** Every store accepts connections (its server and, where the platform made it, its network path). */
  | "stores-ready"
  /** The upgrade guard has passed this deployment's versions and shard count. */
  | "upgrade-guard"
  /** What a role's pods read besides the schema (server config, certificates), if the runtime keeps it apart. */
  | "role-prerequisites";

export type StepId = "schema" | `role:${RoleName}` | `namespace:${string}` | "web-console" | `worker-pool:${string}`;

export type DeployStep =
  | { kind: "schema"; id: "schema"; after: (StepId | Gate)[] }
  | { kind: "role"; id: `role:${RoleName}`; role: RoleName; after: (StepId | Gate)[] }
  /** All namespaces in one step: a runtime may register them together (ECS) or one by one (Kubernetes). */
  | { kind: "namespaces"; namespaces: string[]; after: (StepId | Gate)[] }
  | { kind: "web-console"; id: "web-console"; after: (StepId | Gate)[] }
  | { kind: "worker-pool"; id: `worker-pool:${string}`; pool: string; after: (StepId | Gate)[] };

export interface DeploymentShape {
  roles: readonly RoleName[];
  namespaces: readonly string[];
  webConsole: boolean;
  workerPools: readonly { name: string; namespace: string }[];
}

export function deployPlan(shape: DeploymentShape): DeployStep[] {
  const roles = inRollOrder(shape.roles);
  const roleStep = (role: RoleName): `role:${RoleName}` => `role:${role}`;
  return [
    { kind: "schema", id: "schema", after: ["stores-ready", "upgrade-guard"] },
    ...roles.map((role): DeployStep => {
      const before = rollsAfter(role, roles);
      return { kind: "role", id: roleStep(role), role, after: ["schema", "role-prerequisites", ...(before ? [roleStep(before)] : [])] };
    }),
    { kind: "namespaces", namespaces: [...shape.namespaces], after: roles.map(roleStep) },
    ...(shape.webConsole ? [{ kind: "web-console" as const, id: "web-console" as const, after: [roleStep("frontend")] }] : []),
    ...shape.workerPools.map((pool): DeployStep => ({ kind: "worker-pool", id: `worker-pool:${pool.name}`, pool: pool.name, after: [`namespace:${pool.namespace}`] })),
  ];
}

/** How a runtime makes each step, given what the step waits for; `R` is whatever it waits on (a Pulumi resource). */
export interface StepBuilders<R> {
  gate(gate: Gate, step: DeployStep): R[];
  schema(dependsOn: R[]): R;
  role(role: RoleName, dependsOn: R[]): R;
  /** What each namespace's registration is, by name (the same object for all when they register together). */
  namespaces(namespaces: string[], dependsOn: R[]): Record<string, R>;
  webConsole(dependsOn: R[]): R;
  workerPool(pool: string, dependsOn: R[]): R;
}

/** Carries out the plan in order: each step is made once everything it waits for is, and handed those as its dependencies. */
export function carryOut<R>(plan: DeployStep[], build: StepBuilders<R>): Map<StepId, R> {
  const made = new Map<StepId, R>();
  const dependenciesOf = (step: DeployStep): R[] =>
    step.after.flatMap((ref) => {
      if (isGate(ref)) return build.gate(ref, step);
      const dependency = made.get(ref);
      if (dependency === undefined) throw new Error(`deploy plan: ${describe(step)} waits for ${ref}, which no earlier step makes`);
      return [dependency];
    });
  for (const step of plan) {
    const dependsOn = dependenciesOf(step);
    switch (step.kind) {
      case "schema":
        made.set(step.id, build.schema(dependsOn));
        break;
      case "role":
        made.set(step.id, build.role(step.role, dependsOn));
        break;
      case "namespaces":
        for (const [namespace, registration] of Object.entries(build.namespaces(step.namespaces, dependsOn))) made.set(`namespace:${namespace}`, registration);
        break;
      case "web-console":
        made.set(step.id, build.webConsole(dependsOn));
        break;
      case "worker-pool":
        made.set(step.id, build.workerPool(step.pool, dependsOn));
        break;
    }
  }
  return made;
}

const GATES: readonly string[] = ["stores-ready", "upgrade-guard", "role-prerequisites"] satisfies Gate[];
const isGate = (ref: StepId | Gate): ref is Gate => GATES.includes(ref);
const describe = (step: DeployStep) => ("id" in step ? step.id : `the ${step.kind} step`);
