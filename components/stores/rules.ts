/**
 * What a store kind's cross-key rules see of the stack config: partially invalid input, read
 * defensively, and a way to report a problem at a path.
 */
export interface StoreRuleInput {
  environment?: string;
  platform?: unknown;
  persistence?: { hosting?: unknown; engine?: unknown; replicationFactor?: unknown; replicas?: unknown; nodeCount?: unknown };
  visibility?: { store?: unknown; server?: { hosting?: unknown } };
  kubernetes?: { createNamespace?: unknown };
}

export type ReportIssue = (path: (string | number)[], input: unknown, message: string) => void;

/** A Cassandra store's replication factor against its node count, wherever the kind keeps that count. */
export function replicationWithinNodes(config: StoreRuleInput, nodes: unknown, issue: ReportIssue): void {
  const replicationFactor = config.persistence?.replicationFactor;
  if (typeof replicationFactor === "number" && typeof nodes === "number" && replicationFactor > nodes) {
    issue(["persistence", "replicationFactor"], replicationFactor, `must not exceed the number of Cassandra nodes (${nodes}): every replica needs a node of its own`);
  }
}
