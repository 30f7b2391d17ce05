import type { RoleName } from "../temporal/roles";
import type { RoleConfig, StackConfig } from "./schema";

const ROLE_CONFIG_KEYS: Record<RoleName, keyof StackConfig["roles"]> = {
  frontend: "frontend",
  "internal-frontend": "internalFrontend",
  history: "history",
  matching: "matching",
  worker: "worker",
};

/** A Temporal role's replicas and resources as the stack config sets them. */
export function roleConfigOf(config: StackConfig, role: RoleName): RoleConfig {
  return config.roles[ROLE_CONFIG_KEYS[role]];
}

/** The roles this stack runs: the four core ones, plus the internal frontend when enabled. */
export function enabledRoles(config: StackConfig): RoleName[] {
  return (Object.keys(ROLE_CONFIG_KEYS) as RoleName[]).filter((role) => role !== "internal-frontend" || config.roles.internalFrontend.enabled);
}

/** The role's CPU autoscaling bounds when it scales: only the frontend may (see scalingSchema.ts). */
export function frontendAutoscalingOf(
  config: StackConfig,
  role: RoleName,
): { autoscaling?: { minReplicas: number; maxReplicas: number; targetCpuUtilization: number } } {
  const scaling = config.roles.frontend.autoscaling;
  if (role !== "frontend" || !scaling?.enabled) return {};
  const { minReplicas, maxReplicas, targetCpuUtilization } = scaling;
  return { autoscaling: { minReplicas, maxReplicas, targetCpuUtilization } };
}

/** The most pods the role can run: its autoscaling ceiling when it scales (for connection budgets). */
export function peakReplicasOf(config: StackConfig, role: RoleName): number {
  return Math.max(roleConfigOf(config, role).replicas, frontendAutoscalingOf(config, role).autoscaling?.maxReplicas ?? 0);
}
