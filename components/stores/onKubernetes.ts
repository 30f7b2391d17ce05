import type { CassandraPersistenceConfig } from "../config/schema";
import { type CassandraOnKubernetes, managedCassandraOnKubernetes } from "./cassandra/onKubernetes";
import { externalSqlOnKubernetes } from "./external-sql/onKubernetes";
import { inClusterCassandraOnKubernetes } from "./in-cluster-cassandra/onKubernetes";
import { inClusterElasticsearchOnKubernetes } from "./in-cluster-elasticsearch/onKubernetes";
import { inClusterMysqlOnKubernetes } from "./in-cluster-mysql/onKubernetes";
import { inClusterPostgresOnKubernetes } from "./in-cluster-postgres/onKubernetes";
import { openSearchOnKubernetes } from "./opensearch/onKubernetes";
import type { SearchConfig, SearchOnKubernetes } from "./search/onKubernetes";
import { type SqlServerConfig, type SqlServerOnKubernetes, managedSqlServerOnKubernetes } from "./sql/onKubernetes";

/**
 * Each store kind's part on Kubernetes, by the config value that picks it. Complete by type: a
 * hosting added to the config without its part here does not compile.
 */
export const SQL_SERVERS_ON_KUBERNETES: Record<SqlServerConfig["hosting"], SqlServerOnKubernetes> = {
  "in-cluster": inClusterMysqlOnKubernetes,
  "in-cluster-postgres": inClusterPostgresOnKubernetes,
  external: externalSqlOnKubernetes,
  rds: managedSqlServerOnKubernetes,
  "azure-mysql": managedSqlServerOnKubernetes,
  "azure-postgres": managedSqlServerOnKubernetes,
};

export const CASSANDRA_ON_KUBERNETES: Record<CassandraPersistenceConfig["hosting"], CassandraOnKubernetes> = {
  "in-cluster-cassandra": inClusterCassandraOnKubernetes,
  "azure-managed-cassandra": managedCassandraOnKubernetes,
  "azure-cosmos-cassandra": managedCassandraOnKubernetes,
};

export const SEARCH_ON_KUBERNETES: Record<SearchConfig["store"], SearchOnKubernetes> = {
  elasticsearch: inClusterElasticsearchOnKubernetes,
  opensearch: openSearchOnKubernetes,
};
