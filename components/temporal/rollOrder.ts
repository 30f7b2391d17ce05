import type { RoleName } from "./roles";

/**
 * The order the roles roll in, one at a time. Temporal's upgrade guide asks for the schema first
 * and one minor version at a time but names no order between roles, because consecutive releases
 * talk to each other in both directions. The kit moves the back end first: history (it owns the
 * shards and rewrites their metadata on the new release), then matching, then the frontends that
 * route to both, and last the system worker, a client of the frontend. Rolling one role at a time
 * keeps a failed rollout to a single role; the others keep serving on the old release.
 */
export const ROLL_ORDER: readonly RoleName[] = ["history", "matching", "frontend", "internal-frontend", "worker"];

/** The roles of `enabled` in the order they roll. */
export function inRollOrder(enabled: readonly RoleName[]): RoleName[] {
  return ROLL_ORDER.filter((role) => enabled.includes(role));
}

/** The role that must finish rolling before `role` starts: the enabled one just before it, if any. */
export function rollsAfter(role: RoleName, enabled: readonly RoleName[]): RoleName | undefined {
  const ordered = inRollOrder(enabled);
  const index = ordered.indexOf(role);
  return index > 0 ? ordered[index - 1] : undefined;
}
