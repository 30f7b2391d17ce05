import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/load";
import { AZURE_PRESETS, STORE_PRESETS, VISIBILITY_PRESETS } from "../../components/config/storePresets";

const SOURCE = "stacks/Pulumi.stores.yaml";

function problemsOf(raw: Record<string, unknown>): { key: string; allowed: string }[] {
  try {
    parseStackConfig(raw, SOURCE);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((problem) => ({ key: problem.key, allowed: problem.allowed }));
    throw error;
  }
  throw new Error("config was accepted");
}

const devCassandra = (extra: Record<string, unknown> = {}) => ({
  environment: "dev",
  persistence: { hosting: "in-cluster-cassandra" },
  visibility: { store: "elasticsearch" },
  ...extra,
});
const onAzure = (environment: string, persistence: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  environment,
  platform: "azure-aks",
  persistence,
  ...extra,
});

describe("Cassandra and search store presets", () => {
  it("gives dev in-cluster Cassandra one node at replication factor 1, with the dev Elasticsearch", () => {
    const config = parseStackConfig(devCassandra(), SOURCE);
    expect(config.persistence).toEqual(STORE_PRESETS.dev["in-cluster-cassandra"]);
    expect(config.persistence).toMatchObject({ replicas: 1, replicationFactor: 1 });
    expect(config.visibility).toEqual(VISIBILITY_PRESETS.dev.elasticsearch);
  });

  it("runs three nodes at replication factor 3 in production, with OpenSearch on EKS", () => {
    const config = parseStackConfig(
      { environment: "production", platform: "aws-eks", persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "opensearch" } },
      SOURCE,
    );
    expect(config.persistence).toMatchObject({ hosting: "in-cluster-cassandra", replicas: 3, replicationFactor: 3 });
    expect(config.visibility).toMatchObject({ store: "opensearch", instanceCount: 3, dedicatedMasters: true });
  });

  it("takes a separate SQL server's defaults from its hosting", () => {
    const config = parseStackConfig(
      onAzure("production", { hosting: "azure-managed-cassandra" }, { visibility: { store: "sql-server", server: { hosting: "azure-postgres" } } }),
      SOURCE,
    );
    expect(config.visibility).toEqual({ store: "sql-server", server: STORE_PRESETS.production["azure-postgres"] });
    expect(config.azure).toEqual(AZURE_PRESETS.production);
  });

  it("accepts Cosmos DB with single-region writes", () => {
    const config = parseStackConfig(onAzure("staging", { hosting: "azure-cosmos-cassandra" }, { visibility: { store: "sql-server", server: { hosting: "azure-mysql" } } }), SOURCE);
    expect(config.persistence).toMatchObject({ hosting: "azure-cosmos-cassandra", multiRegionWrites: false });
  });
});

// Each row: what is wrong, the key the message must name, a fragment of the message, the stack file.
const bad: [string, string, string, Record<string, unknown>][] = [
  ["Cassandra without a visibility store", "visibility.store", "cannot keep visibility in Cassandra", { environment: "dev", persistence: { hosting: "in-cluster-cassandra" } }],
  ["a replication factor above the node count", "persistence.replicationFactor", "must not exceed the number of Cassandra nodes (1)", devCassandra({ persistence: { hosting: "in-cluster-cassandra", replicationFactor: 3 } })],
  ["a managed Cassandra replication factor above its nodes", "persistence.replicationFactor", "(3)", onAzure("staging", { hosting: "azure-managed-cassandra", replicationFactor: 5 }, { visibility: { store: "sql-server", server: { hosting: "azure-postgres" } } })],
  ["replication factor 1 in production", "persistence.replicationFactor", "at least 3 in production", { environment: "production", platform: "aws-eks", persistence: { hosting: "in-cluster-cassandra", replicationFactor: 1 }, visibility: { store: "opensearch" } }],
  ["Cosmos DB with multi-region writes", "persistence.multiRegionWrites", "lightweight transactions", onAzure("staging", { hosting: "azure-cosmos-cassandra", multiRegionWrites: true }, { visibility: { store: "sql-server", server: { hosting: "azure-mysql" } } })],
  ["an Azure database on AWS", "persistence.hosting", "needs platform azure-aks", { environment: "staging", platform: "aws-eks", persistence: { hosting: "azure-mysql" } }],
  ["RDS on Azure", "persistence.hosting", "needs an AWS platform", onAzure("staging", { hosting: "rds" })],
  ["OpenSearch off AWS", "visibility.store", "needs platform aws-eks", devCassandra({ visibility: { store: "opensearch" } })],
  ["an Azure visibility server off Azure", "visibility.server.hosting", "needs platform azure-aks", devCassandra({ visibility: { store: "sql-server", server: { hosting: "azure-postgres" } } })],
  ["the dev Elasticsearch in production", "visibility.store", "single node for dev", { environment: "production", persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "elasticsearch" } }],
  ["Elasticsearch beside a SQL default store", "visibility.store", "must be sql with a SQL default store", { environment: "dev", visibility: { store: "elasticsearch" } }],
  ["in-cluster Cassandra on ECS", "persistence.hosting", "must be rds with platform aws-ecs", { environment: "staging", platform: "aws-ecs", persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "opensearch" } }],
  ["a Cassandra image that is not 4.1 or 5.0", "persistence.image", "4.1 or 5.0", devCassandra({ persistence: { hosting: "in-cluster-cassandra", image: "cassandra:3.11.17" } })],
  ["Azure settings on AWS", "azure", "only used with platform azure-aks", { environment: "staging", azure: AZURE_PRESETS.staging }],
  ["an AKS API server open to all in production", "azure.aks.authorizedIpRanges", "in production", onAzure("production", { hosting: "azure-mysql" }, { azure: { aks: { privateCluster: false } } })],
  ["a zone-local Azure database in production", "persistence.highAvailability", "zone-redundant", onAzure("production", { hosting: "azure-postgres", highAvailability: false })],
  ["a node pool whose count is above its maximum", "azure.aks.nodePool", "minCount <= count <= maxCount", onAzure("staging", { hosting: "azure-mysql" }, { azure: { aks: { nodePool: { count: 9, maxCount: 6 } } } })],
  ["a disk size PostgreSQL Flexible Server does not offer", "persistence.storageGb", "32, 64, 128", onAzure("staging", { hosting: "azure-postgres", storageGb: 100 })],
];

describe("invalid store and Azure config", () => {
  it.each(bad)("refuses %s, naming %s", (_, key, fragment, raw) => {
    const problem = problemsOf(raw).find((candidate) => candidate.key === key);
    expect(problem, JSON.stringify(problemsOf(raw))).toBeDefined();
    expect(problem!.allowed).toContain(fragment);
  });
});
