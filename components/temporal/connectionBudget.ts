/**
 * How many connections a SQL server must accept for one Temporal cluster: every server pod opens
 * up to `maxConns` to each of its two stores (default and visibility), a rolling update briefly
 * adds one pod per role, and the schema and namespace jobs and an operator need a few more.
 * MySQL's default max_connections (151) is below this for any production-sized cluster.
 */
export function sqlConnectionsNeeded(replicasPerRole: number[], maxConnsPerStore: number): number {
  const pods = replicasPerRole.reduce((sum, replicas) => sum + replicas + 1, 0);
  const storesPerPod = 2;
  const jobsAndOperators = 20;
  return pods * storesPerPod * maxConnsPerStore + jobsAndOperators;
}
