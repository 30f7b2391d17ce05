import type { StoreKind } from "./contract";
import { azureMysqlKind, azurePostgresKind } from "./azure-flexible-server";
import { cosmosCassandraKind } from "./cosmos-cassandra";
import { externalSqlKind } from "./external-sql";
import { inClusterCassandraKind } from "./in-cluster-cassandra";
import { inClusterElasticsearchKind } from "./in-cluster-elasticsearch";
import { inClusterMysqlKind } from "./in-cluster-mysql";
import { inClusterPostgresKind } from "./in-cluster-postgres";
import { managedCassandraKind } from "./managed-cassandra";
import { openSearchKind } from "./opensearch";
import { rdsKind } from "./rds";

/**
 * Every store kind the kit ships. The order is the order things are asked in: the diagram takes
 * the first kind that claims a datastore (the cloud services, whose resources prove them, before
 * the in-cluster servers, before an external server, which claims any SQL datastore), and the
 * in-cluster stores get their NetworkPolicies in this order.
 */
export const STORE_KINDS: readonly StoreKind[] = [
  rdsKind,
  azureMysqlKind,
  azurePostgresKind,
  managedCassandraKind,
  cosmosCassandraKind,
  openSearchKind,
  inClusterMysqlKind,
  inClusterPostgresKind,
  inClusterCassandraKind,
  inClusterElasticsearchKind,
  externalSqlKind,
];

/** The kind a config's `hosting` (default store, or visibility's own SQL server) names. */
export function kindOfHosting(hosting: string): StoreKind {
  const kind = STORE_KINDS.find((candidate) => "hosting" in candidate.selectedBy && candidate.selectedBy.hosting === hosting);
  if (!kind) throw new Error(`no store kind has hosting ${hosting}`);
  return kind;
}

/** The kind a visibility `store` of its own names (elasticsearch, opensearch). */
export function kindOfVisibilityStore(store: string): StoreKind {
  const kind = STORE_KINDS.find((candidate) => "visibilityStore" in candidate.selectedBy && candidate.selectedBy.visibilityStore === store);
  if (!kind) throw new Error(`no store kind is the visibility store ${store}`);
  return kind;
}
