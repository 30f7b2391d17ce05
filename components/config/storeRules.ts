import type { z } from "zod";

interface StoreRuleInput {
  environment?: string;
  platform?: unknown;
  persistence?: { hosting?: unknown; engine?: unknown; replicationFactor?: unknown; replicas?: unknown; nodeCount?: unknown };
  visibility?: { store?: unknown; server?: { hosting?: unknown } };
}

/**
 * Rules between the default store, the visibility store and the platform. Since server 1.24
 * Cassandra cannot hold visibility, so a Cassandra default store needs Elasticsearch, OpenSearch or
 * a SQL server of its own; "sql" means the default store's own SQL server.
 */
export function storeRules(config: StoreRuleInput, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  const platform = String(config.platform);
  const production = config.environment === "production";
  const persistence = config.persistence;
  const cassandra = persistence?.engine === "cassandra";
  const store = config.visibility?.store;

  if (cassandra && store === "sql") {
    issue(
      ["visibility", "store"],
      "sql",
      "must be elasticsearch, opensearch or sql-server with a Cassandra default store: Temporal 1.24 and later cannot keep visibility in Cassandra",
    );
  }
  if (!cassandra && persistence?.engine !== undefined && store !== undefined && store !== "sql") {
    issue(["visibility", "store"], store, "must be sql with a SQL default store: its visibility database lives in the same server");
  }

  const replicationFactor = persistence?.replicationFactor;
  const nodes = persistence?.hosting === "in-cluster-cassandra" ? persistence.replicas : persistence?.hosting === "azure-managed-cassandra" ? persistence.nodeCount : undefined;
  if (typeof replicationFactor === "number" && typeof nodes === "number" && replicationFactor > nodes) {
    issue(["persistence", "replicationFactor"], replicationFactor, `must not exceed the number of Cassandra nodes (${nodes}): every replica needs a node of its own`);
  }
  if (production && typeof replicationFactor === "number" && replicationFactor < 3) {
    issue(["persistence", "replicationFactor"], replicationFactor, "must be at least 3 in production so that quorum survives losing a node");
  }

  if (store === "elasticsearch" && production) {
    issue(["visibility", "store"], "elasticsearch", "must not be the in-cluster Elasticsearch in production: it is a single node for dev; use opensearch on AWS or a sql-server");
  }
  if (store === "opensearch" && platform !== "aws-eks") {
    issue(["visibility", "store"], "opensearch", `needs platform aws-eks: Amazon OpenSearch Service is an AWS service; this stack's platform is ${platform}`);
  }
  const serverHosting = config.visibility?.server?.hosting;
  if (store === "sql-server" && typeof serverHosting === "string" && serverHosting.startsWith("azure-") && platform !== "azure-aks") {
    issue(["visibility", "server", "hosting"], serverHosting, `needs platform azure-aks; this stack's platform is ${platform}`);
  }
}
