import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/parse";
import { PERSISTENCE_PRESETS, VISIBILITY_PRESETS } from "../../components/config/storePresets";
import { ENVIRONMENTS, type Environment } from "../../components/config/schema";

/**
 * The README's platform × data store matrix, computed from the code: which platform takes which
 * store is asked of the config parser itself (a store it refuses on a platform names that platform
 * in its message), and the high-availability and size columns are read from the presets. The README
 * test compares the README's table with this one; `npx tsx test/docs/storeMatrix.ts` prints it.
 */

export const MATRIX_PLATFORMS = ["kubernetes", "aws-eks", "aws-ecs", "azure-aks"] as const;
export type MatrixPlatform = (typeof MATRIX_PLATFORMS)[number];
export const MATRIX_HEADER = "| store | what | Kubernetes (kind, your cluster) | EKS | ECS | AKS | highly available (dev / staging / production) | size (dev / staging / production) |";

const HOSTINGS = ["in-cluster", "in-cluster-postgres", "external", "rds", "in-cluster-cassandra", "azure-mysql", "azure-postgres", "azure-managed-cassandra", "azure-cosmos-cassandra"] as const;
type Hosting = (typeof HOSTINGS)[number];
const VISIBILITY_STORES = ["sql", "sql-server", "elasticsearch", "opensearch"] as const;
type VisibilityStore = (typeof VISIBILITY_STORES)[number];

/** The problems the parser reports for a stack file, none when it accepts it. */
function problems(raw: Record<string, unknown>): { key: string; allowed: string }[] {
  try {
    parseStackConfig(raw, "store matrix");
    return [];
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
}

/** A Cassandra default store needs a visibility store of its own; any valid one will do for asking about the default store. */
const visibilityFor = (hosting: string) => (hosting.includes("cassandra") ? { visibility: { store: "sql-server", server: { hosting: "in-cluster-postgres" } } } : {});

/** Whether a dev stack on `platform` may keep its default store on `hosting`: the parser says nothing about `persistence.hosting`. */
export function takesDefaultStore(platform: MatrixPlatform, hosting: Hosting): boolean {
  return !problems({ environment: "dev", platform, persistence: { hosting }, ...visibilityFor(hosting) }).some((problem) => problem.key === "persistence.hosting" || problem.key === "persistence");
}

/** Whether some stack on `platform` in `environment` keeps visibility in `store`: with a default store that platform takes, nothing said about `visibility`. */
export function takesVisibilityStore(platform: MatrixPlatform, store: VisibilityStore, environment: Environment = "dev"): boolean {
  const visibility = store === "sql" ? { store } : store === "sql-server" ? { store, server: { hosting: "in-cluster-postgres" } } : { store };
  return HOSTINGS.filter((hosting) => takesDefaultStore(platform, hosting)).some((hosting) => {
    const cassandra = hosting.includes("cassandra");
    if (cassandra === (store === "sql")) return false;
    return !problems({ environment, platform, persistence: { hosting }, visibility }).some((problem) => problem.key.startsWith("visibility"));
  });
}

/** Whether a Kubernetes stack in `environment` may keep visibility in `store` when its stack file gives every key (dev's preset, as given). */
function acceptedWithEveryKey(store: VisibilityStore, environment: Environment): boolean {
  const visibility = VISIBILITY_PRESETS.dev[store];
  return !problems({ environment, platform: "kubernetes", persistence: { hosting: "in-cluster-cassandra" }, visibility }).some((problem) => problem.key.startsWith("visibility"));
}

type Preset = Record<string, any>;
/** Without a preset, a store is either refused in that environment or taken with every key given (`accepted`). */
const perEnvironment = (
  describe: (preset: Preset, environment: Environment) => string,
  presets: (environment: Environment) => Preset | undefined,
  accepted: (environment: Environment) => boolean = () => false,
) =>
  ENVIRONMENTS.map((environment) => {
    const preset = presets(environment);
    return preset ? describe(preset, environment) : accepted(environment) ? "no preset" : "refused";
  }).join(" / ");
const defaults = (hosting: Hosting) => (environment: Environment) => PERSISTENCE_PRESETS[environment][hosting] as Preset | undefined;
const visibilityDefaults = (store: VisibilityStore) => (environment: Environment) => VISIBILITY_PRESETS[environment][store] as Preset | undefined;
const pod = (preset: Preset) => `${preset.resources.requests.cpu} CPU, ${preset.resources.requests.memory}, ${preset.storageSize} disk`;
const yesNo = (value: boolean) => (value ? "yes" : "no");

/** What each store is, whether it is highly available and how big the presets make it. */
const ROWS: { store: string; what: string; ha: string; size: string; takes: (platform: MatrixPlatform) => boolean }[] = [
  ...HOSTINGS.map((hosting) => {
    const takes = (platform: MatrixPlatform) => takesDefaultStore(platform, hosting);
    switch (hosting) {
      case "in-cluster":
      case "in-cluster-postgres":
        return { store: `\`${hosting}\``, what: hosting === "in-cluster" ? "one MySQL 8 pod" : "one PostgreSQL pod", ha: "no: one pod on one volume", size: perEnvironment(pod, defaults(hosting)), takes };
      case "external":
        return { store: "`external`", what: "your MySQL or PostgreSQL", ha: "as you run it", size: "yours", takes };
      case "rds":
        return { store: "`rds`", what: "Amazon RDS for MySQL or PostgreSQL", ha: `Multi-AZ: ${perEnvironment((preset) => yesNo(preset.multiAz), defaults(hosting))}`, size: perEnvironment((preset) => preset.instanceClass, defaults(hosting)), takes };
      case "in-cluster-cassandra":
        return { store: "`in-cluster-cassandra`", what: "Apache Cassandra StatefulSet", ha: `nodes, replication factor: ${perEnvironment((preset) => `${preset.replicas}, ${preset.replicationFactor}`, defaults(hosting))}`, size: `per node: ${perEnvironment(pod, defaults(hosting))}`, takes };
      case "azure-mysql":
      case "azure-postgres":
        return { store: `\`${hosting}\``, what: `Azure Database for ${hosting === "azure-mysql" ? "MySQL" : "PostgreSQL"} Flexible Server`, ha: `zone-redundant: ${perEnvironment((preset) => yesNo(preset.highAvailability), defaults(hosting))}`, size: perEnvironment((preset) => preset.skuName, defaults(hosting)), takes };
      case "azure-managed-cassandra":
        return { store: "`azure-managed-cassandra`", what: "Azure Managed Instance for Apache Cassandra", ha: `nodes, replication factor: ${perEnvironment((preset) => `${preset.nodeCount}, ${preset.replicationFactor}`, defaults(hosting))}`, size: perEnvironment((preset) => `${preset.skuName}, ${preset.disksPerNode} disk${preset.disksPerNode === 1 ? "" : "s"}`, defaults(hosting)), takes };
      case "azure-cosmos-cassandra":
        return { store: "`azure-cosmos-cassandra`", what: "Azure Cosmos DB for Apache Cassandra (not recommended)", ha: "run by the service", size: `RU/s: ${perEnvironment((preset) => `${preset.throughput.mode} ${preset.throughput.maxRu ?? preset.throughput.ru}`, defaults(hosting))}`, takes };
    }
  }),
  ...VISIBILITY_STORES.map((store) => {
    const takes = (platform: MatrixPlatform) => takesVisibilityStore(platform, store);
    switch (store) {
      case "sql":
        return { store: "visibility `sql`", what: "a database on the default store's SQL server", ha: "as the default store", size: "in the default store", takes };
      case "sql-server":
        return { store: "visibility `sql-server`", what: "a SQL server of its own, beside a Cassandra store", ha: "as that server", size: "as that server", takes };
      case "elasticsearch":
        return { store: "visibility `elasticsearch`", what: "one Elasticsearch node, security off", ha: "no", size: perEnvironment(pod, visibilityDefaults(store), (environment) => acceptedWithEveryKey(store, environment)), takes };
      case "opensearch":
        return { store: "visibility `opensearch`", what: "Amazon OpenSearch Service domain", ha: `nodes: ${perEnvironment((preset) => `${preset.instanceCount}${preset.dedicatedMasters ? " + dedicated masters" : ""}`, visibilityDefaults(store))}`, size: perEnvironment((preset) => preset.instanceType, visibilityDefaults(store)), takes };
    }
  }),
];

/** The matrix as the README must print it, header and separator included. */
export function storeMatrix(): string[] {
  return [
    MATRIX_HEADER,
    `| ${MATRIX_HEADER.split("|").slice(1, -1).map(() => "---").join(" | ")} |`,
    ...ROWS.map((row) => `| ${[row.store, row.what, ...MATRIX_PLATFORMS.map((platform) => (row.takes(platform) ? "✓" : "–")), row.ha, row.size].join(" | ")} |`),
  ];
}

if (require.main === module) console.log(storeMatrix().join("\n"));
