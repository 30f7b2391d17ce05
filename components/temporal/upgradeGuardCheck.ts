import { parseVersion, versionChangeProblem } from "./versionSkew";

/**
 * What the upgrade guard remembers of the deployed cluster, and what the stack now asks for.
 * Plain values only: they are the guard resource's inputs, kept in the stack's state.
 */
export interface GuardedFacts {
  numHistoryShards: number;
  /** The release the server image names, "1.31.2"; empty when its tag names none. */
  serverVersion: string;
  /** The stack's temporal.allowVersionSkew: skips the version rule (never the shard rule) for this deploy. */
  allowVersionSkew: boolean;
}

export interface GuardFailure {
  property: string;
  reason: string;
}

/**
 * Why the stack must not be deployed over the cluster it already runs. `deployed` is empty for a
 * new cluster, which may start with anything the stack config allows.
 */
export function upgradeGuardFailures(deployed: Partial<GuardedFacts>, next: GuardedFacts): GuardFailure[] {
  const failures: GuardFailure[] = [];
  if (typeof deployed.numHistoryShards === "number" && deployed.numHistoryShards !== next.numHistoryShards) {
    failures.push({
      property: "numHistoryShards",
      reason:
        `temporal.numHistoryShards is ${next.numHistoryShards} but this cluster was created with ${deployed.numHistoryShards}. ` +
        `The shard count is permanent: every workflow is placed on a shard by hashing over it and the database keeps it in the cluster metadata, ` +
        `so the server would keep ${deployed.numHistoryShards} and ignore the new value. Set it back to ${deployed.numHistoryShards}. ` +
        `To change it, create a new cluster (a new stack) with the new count and move the workloads to it: start new workflows there and let this cluster's finish, ` +
        `or replicate namespaces to it with multi-cluster replication`,
    });
  }
  const deployedVersion = parseVersion(deployed.serverVersion);
  const nextVersion = parseVersion(next.serverVersion);
  if (!next.allowVersionSkew && deployedVersion && nextVersion) {
    const problem = versionChangeProblem(deployedVersion, nextVersion);
    if (problem) failures.push({ property: "serverVersion", reason: `temporal.serverImage: ${problem}` });
  }
  return failures;
}
