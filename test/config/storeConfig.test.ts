import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { PRESETS, presetFor } from "../../components/config/presets";
import { PERSISTENCE_PRESETS, VISIBILITY_PRESETS } from "../../components/config/storePresets";

const AZURE_PRESETS = { staging: presetFor("staging", "azure-aks").config.azure!, production: presetFor("production", "azure-aks").config.azure! };
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.stores.yaml";

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE).map(({ key, allowed }) => ({ key, allowed }));

const devCassandra = (extra: Record<string, unknown> = {}) => ({
  environment: "dev",
  persistence: { hosting: "in-cluster-cassandra" },
  visibility: { store: "elasticsearch" },
  ...extra,
});
/** An object id as `az ad sp show` prints one; each tenant's differs. */
const COSMOS_PRINCIPAL = "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const onAzure = (environment: string, persistence: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  environment,
  platform: "azure-aks",
  persistence,
  ...extra,
});

describe("Cassandra and search store presets", () => {
  it("gives dev in-cluster Cassandra one node at replication factor 1, with the dev Elasticsearch", () => {
    const config = parseStackConfig(devCassandra(), SOURCE);
    expect(config.persistence).toEqual(PERSISTENCE_PRESETS.dev["in-cluster-cassandra"]);
    expect(config.persistence).toMatchObject({ replicas: 1, replicationFactor: 1 });
    expect(config.visibility).toEqual(VISIBILITY_PRESETS.dev.elasticsearch);
  });

  it("runs three nodes at replication factor 3 in production, with OpenSearch on EKS", () => {
    const config = parseStackConfig(
      { environment: "production", platform: "aws-eks", persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "opensearch" }, aws: { eks: { publicAccessCidrs: ["198.51.100.0/24"] } } },
      SOURCE,
    );
    expect(config.persistence).toMatchObject({ hosting: "in-cluster-cassandra", replicas: 3, replicationFactor: 3 });
    expect(config.visibility).toMatchObject({ store: "opensearch", instanceCount: 3, dedicatedMasters: true, createServiceLinkedRole: false });
  });

  it("creates OpenSearch's service-linked role only when the stack file asks, for a fresh account", () => {
    const config = parseStackConfig(
      { environment: "staging", platform: "aws-eks", persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "opensearch", createServiceLinkedRole: true }, aws: { eks: { publicAccessCidrs: ["198.51.100.0/24"] } } },
      SOURCE,
    );
    expect(config.visibility).toMatchObject({ store: "opensearch", createServiceLinkedRole: true });
  });

  it("takes a separate SQL server's defaults from its hosting", () => {
    // The production preset's private API server needs the network pulumi up runs in.
    const deployerNetwork = { resourceGroupName: "ci-rg", virtualNetworkName: "ci-vnet" };
    const config = parseStackConfig(
      onAzure("production", { hosting: "azure-managed-cassandra" }, { visibility: { store: "sql-server", server: { hosting: "azure-postgres" } }, azure: { cosmosDbPrincipalObjectId: COSMOS_PRINCIPAL, aks: { deployerNetwork } } }),
      SOURCE,
    );
    expect(config.visibility).toEqual({ store: "sql-server", server: PERSISTENCE_PRESETS.production["azure-postgres"] });
    expect(config.azure).toEqual({ ...AZURE_PRESETS.production, cosmosDbPrincipalObjectId: COSMOS_PRINCIPAL, aks: { ...AZURE_PRESETS.production.aks, deployerNetwork } });
  });

  it("refuses Managed Cassandra without the Azure Cosmos DB principal, and says how to find it", () => {
    const problem = problemsOf(onAzure("staging", { hosting: "azure-managed-cassandra" }, { visibility: { store: "sql-server", server: { hosting: "azure-postgres" } } })).find(
      (candidate) => candidate.key === "azure.cosmosDbPrincipalObjectId",
    );
    expect(problem?.allowed).toContain("is required with azure-managed-cassandra");
    expect(problem?.allowed).toContain("az ad sp show --id a232010e-820c-4083-83bb-3ace5fc29d0b --query id -o tsv");
    expect(problem?.allowed).toContain("https://learn.microsoft.com/azure/managed-instance-apache-cassandra/create-cluster-cli");
  });

  it("accepts Cosmos DB with single-region writes", () => {
    const config = parseStackConfig(onAzure("staging", { hosting: "azure-cosmos-cassandra" }, { visibility: { store: "sql-server", server: { hosting: "azure-mysql" } } }), SOURCE);
    expect(config.persistence).toMatchObject({ hosting: "azure-cosmos-cassandra", multiRegionWrites: false });
  });
});

const devPostgres = (persistence: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  environment: "dev",
  persistence: { hosting: "in-cluster-postgres", ...persistence },
  ...extra,
});

describe("in-cluster PostgreSQL", () => {
  it("takes the whole preset from the hosting alone, on the official postgres 17 image", () => {
    const config = parseStackConfig(devPostgres(), SOURCE);
    expect(config.persistence).toEqual(PERSISTENCE_PRESETS.dev["in-cluster-postgres"]);
    expect(config.persistence).toMatchObject({ engine: "postgres12", image: "postgres:17.11-trixie", user: "temporal", database: "temporal", visibilityDatabase: "temporal_visibility" });
    expect(config.visibility).toEqual({ store: "sql" });
  });

  it("is sized per environment as in-cluster MySQL is", () => {
    for (const environment of ["dev", "staging", "production"] as const) {
      const mysql = PRESETS[environment].persistence as { storageSize: string; resources: unknown };
      expect(PERSISTENCE_PRESETS[environment]["in-cluster-postgres"]).toMatchObject({ storageSize: mysql.storageSize, resources: mysql.resources });
    }
  });

  it("leaves MySQL the default in-cluster store", () => {
    expect(parseStackConfig({ environment: "dev" }, SOURCE).persistence.hosting).toBe("in-cluster");
  });

  it("accepts the pgx plugin and overrides key by key over the preset", () => {
    const config = parseStackConfig(devPostgres({ engine: "postgres12_pgx", storageSize: "1Gi", image: "postgres:16.15-bookworm" }), SOURCE);
    expect(config.persistence).toMatchObject({ engine: "postgres12_pgx", storageSize: "1Gi", image: "postgres:16.15-bookworm", user: "temporal" });
  });

  it("serves as a Cassandra store's visibility server, with its hosting's defaults", () => {
    const config = parseStackConfig(devCassandra({ visibility: { store: "sql-server", server: { hosting: "in-cluster-postgres" } } }), SOURCE);
    expect(config.visibility).toEqual({ store: "sql-server", server: PERSISTENCE_PRESETS.dev["in-cluster-postgres"] });
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
  ["the MySQL plugin on in-cluster PostgreSQL", "persistence.engine", "postgres12", devPostgres({ engine: "mysql8" })],
  ["a PostgreSQL image older than 12", "persistence.image", "must be the official postgres image at major 12 or later", devPostgres({ image: "postgres:11.22-bookworm" })],
  ["another vendor's PostgreSQL image", "persistence.image", "must be the official postgres image", devPostgres({ image: "bitnami/postgresql:17.5.0" })],
  ["an Alpine PostgreSQL image", "persistence.image", "uid 70", devPostgres({ image: "postgres:17.11-alpine3.24" })],
  ["a role name PostgreSQL reserves", "persistence.user", "must not start with pg_", devPostgres({ user: "pg_temporal" })],
  ["a role name that needs quoting", "persistence.user", "must be a PostgreSQL role name", devPostgres({ user: "Temporal-User" })],
  ["a visibility database that is no SQL identifier", "persistence.visibilityDatabase", "must be a SQL identifier", devPostgres({ visibilityDatabase: "temporal-visibility" })],
  ["in-cluster PostgreSQL on ECS", "persistence.hosting", "must be rds with platform aws-ecs", { environment: "staging", platform: "aws-ecs", persistence: { hosting: "in-cluster-postgres" } }],
  ["a bad image on an in-cluster PostgreSQL visibility server", "visibility.server.image", "major 12 or later", devCassandra({ visibility: { store: "sql-server", server: { hosting: "in-cluster-postgres", image: "postgres:9.6" } } })],
  ["an Azure Cosmos DB principal without Managed Cassandra", "azure.cosmosDbPrincipalObjectId", "only used with persistence.hosting azure-managed-cassandra; this stack's is azure-mysql", onAzure("staging", { hosting: "azure-mysql" }, { azure: { cosmosDbPrincipalObjectId: COSMOS_PRINCIPAL } })],
  ["a disk size PostgreSQL Flexible Server does not offer", "persistence.storageGb", "32, 64, 128", onAzure("staging", { hosting: "azure-postgres", storageGb: 100 })],
];

describe("invalid store and Azure config", () => {
  it.each(bad)("refuses %s, naming %s", (_, key, fragment, raw) => {
    const problem = problemsOf(raw).find((candidate) => candidate.key === key);
    expect(problem, JSON.stringify(problemsOf(raw))).toBeDefined();
    expect(problem!.allowed).toContain(fragment);
  });
});
