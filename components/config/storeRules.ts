import type { z } from "zod";
import { inClusterCassandraRules } from "../stores/in-cluster-cassandra/config";
import { inClusterElasticsearchRules } from "../stores/in-cluster-elasticsearch/config";
import { managedCassandraRules } from "../stores/managed-cassandra/config";
import { openSearchRules } from "../stores/opensearch/config";
import { externalSqlRules } from "../stores/external-sql/config";
import type { ReportIssue, StoreRuleInput } from "../stores/rules";

type StoreRule = (config: StoreRuleInput, issue: ReportIssue) => void;

/** The kinds' own rules, by the default store's hosting. */
const DEFAULT_STORE_RULES: Partial<Record<string, StoreRule>> = {
  external: externalSqlRules,
  "in-cluster-cassandra": inClusterCassandraRules,
  "azure-managed-cassandra": managedCassandraRules,
};

/** The kinds' own rules, by the visibility store. */
const VISIBILITY_STORE_RULES: Partial<Record<string, StoreRule>> = {
  elasticsearch: inClusterElasticsearchRules,
  opensearch: openSearchRules,
};

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

  DEFAULT_STORE_RULES[String(persistence?.hosting)]?.(config, issue);
  const replicationFactor = persistence?.replicationFactor;
  if (production && typeof replicationFactor === "number" && replicationFactor < 3) {
    issue(["persistence", "replicationFactor"], replicationFactor, "must be at least 3 in production so that quorum survives losing a node");
  }

  VISIBILITY_STORE_RULES[String(store)]?.(config, issue);
  const serverHosting = config.visibility?.server?.hosting;
  if (store === "sql-server" && typeof serverHosting === "string" && serverHosting.startsWith("azure-") && platform !== "azure-aks") {
    issue(["visibility", "server", "hosting"], serverHosting, `needs platform azure-aks; this stack's platform is ${platform}`);
  }
}
