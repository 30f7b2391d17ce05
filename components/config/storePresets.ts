import { ENVIRONMENTS, type Environment, type PersistenceConfig, type VisibilityConfig } from "./schema";
import { AZURE_MYSQL_PRESETS, AZURE_POSTGRES_PRESETS } from "../stores/azure-flexible-server/config";
import { COSMOS_CASSANDRA_PRESETS } from "../stores/cosmos-cassandra/config";
import { IN_CLUSTER_CASSANDRA_PRESETS } from "../stores/in-cluster-cassandra/config";
import { IN_CLUSTER_ELASTICSEARCH_PRESETS } from "../stores/in-cluster-elasticsearch/config";
import { IN_CLUSTER_MYSQL_PRESETS } from "../stores/in-cluster-mysql/config";
import { IN_CLUSTER_POSTGRES_PRESETS } from "../stores/in-cluster-postgres/config";
import { MANAGED_CASSANDRA_PRESETS } from "../stores/managed-cassandra/config";
import { OPENSEARCH_PRESETS } from "../stores/opensearch/config";
import { RDS_PRESETS } from "../stores/rds/config";

export { SQL_ACCOUNT } from "../stores/sql/config";

/**
 * The store kinds' defaults, merged under a stack file that picks them (presetFor, presets.ts).
 * Each store kind keeps its own presets and says why they are sized so (components/stores/<kind>/config.ts).
 */

/** Data store defaults by hosting; `external` has none, the stack file names its server whole. */
export const PERSISTENCE_PRESETS: Record<Environment, Partial<Record<PersistenceConfig["hosting"], PersistenceConfig>>> = Object.fromEntries(
  ENVIRONMENTS.map((environment) => [
    environment,
    {
      "in-cluster": IN_CLUSTER_MYSQL_PRESETS[environment],
      "in-cluster-postgres": IN_CLUSTER_POSTGRES_PRESETS[environment],
      rds: RDS_PRESETS[environment],
      "in-cluster-cassandra": IN_CLUSTER_CASSANDRA_PRESETS[environment],
      "azure-mysql": AZURE_MYSQL_PRESETS[environment],
      "azure-postgres": AZURE_POSTGRES_PRESETS[environment],
      "azure-managed-cassandra": MANAGED_CASSANDRA_PRESETS[environment],
      "azure-cosmos-cassandra": COSMOS_CASSANDRA_PRESETS[environment],
    },
  ]),
) as Record<Environment, Partial<Record<PersistenceConfig["hosting"], PersistenceConfig>>>;

/** Visibility defaults by store; `sql-server` takes its server's defaults from PERSISTENCE_PRESETS by the server's hosting. */
export const VISIBILITY_PRESETS: Record<Environment, Partial<Record<VisibilityConfig["store"], VisibilityConfig>>> = Object.fromEntries(
  ENVIRONMENTS.map((environment) => [
    environment,
    {
      sql: { store: "sql" },
      ...(IN_CLUSTER_ELASTICSEARCH_PRESETS[environment] ? { elasticsearch: IN_CLUSTER_ELASTICSEARCH_PRESETS[environment] } : {}),
      opensearch: OPENSEARCH_PRESETS[environment],
    },
  ]),
) as Record<Environment, Partial<Record<VisibilityConfig["store"], VisibilityConfig>>>;
