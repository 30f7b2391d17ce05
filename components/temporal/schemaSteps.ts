import type { CassandraStoreSpec, DefaultStoreSpec, ElasticsearchStoreSpec, SqlPlugin, SqlStoreSpec, VisibilityStoreSpec } from "./serverConfig";
import { isSqlStore } from "./serverConfig";

/** Where the admin-tools image keeps its versioned schemas. */
const SCHEMA_ROOT = "/etc/temporal/schema";

export type StoreKind = "default" | "visibility";

export interface SchemaStep {
  name: string;
  command: string[];
}

function schemaDir(plugin: SqlPlugin, store: StoreKind): string {
  const engineDir = plugin === "mysql8" ? "mysql/v8" : "postgresql/v12";
  return `${SCHEMA_ROOT}/${engineDir}/${store === "default" ? "temporal" : "visibility"}/versioned`;
}

/**
 * Create, set up and update one SQL store. The same three steps run on every deploy, as Temporal's
 * own chart does: each is a no-op when the database is already there and current, and the update
 * is what moves an existing schema to the version the new server expects.
 */
export function sqlSchemaSteps(plugin: SqlPlugin, store: StoreKind): SchemaStep[] {
  return [
    { name: `create-${store}-database`, command: ["temporal-sql-tool", "create-database"] },
    { name: `setup-${store}-schema`, command: ["temporal-sql-tool", "setup-schema", "-v", "0.0"] },
    {
      name: `update-${store}-schema`,
      command: ["temporal-sql-tool", "update-schema", "--schema-dir", schemaDir(plugin, store)],
    },
  ];
}

/**
 * The environment temporal-sql-tool reads its connection from; the password variable is named so
 * that a platform can bind it to a secret.
 */
export const SQL_TOOL_PASSWORD_ENV = "SQL_PASSWORD";

export function sqlToolEnv(store: SqlStoreSpec): Record<string, string> {
  return {
    SQL_PLUGIN: store.plugin,
    SQL_HOST: store.host,
    SQL_PORT: String(store.port),
    SQL_DATABASE: store.database,
    SQL_USER: store.user,
    ...(store.tls?.enabled
      ? {
          SQL_TLS: "true",
          // The server verifies the database's hostname; the schema tool must not be laxer.
          SQL_TLS_DISABLE_HOST_VERIFICATION: "false",
          ...(store.tls.caFile ? { SQL_TLS_CA_FILE: store.tls.caFile } : {}),
          ...(store.tls.serverName ? { SQL_TLS_SERVER_NAME: store.tls.serverName } : {}),
        }
      : {}),
  };
}

/** The password variable temporal-cassandra-tool reads. */
export const CASSANDRA_TOOL_PASSWORD_ENV = "CASSANDRA_PASSWORD";
/** The password variable temporal-elasticsearch-tool reads. */
export const ELASTICSEARCH_TOOL_PASSWORD_ENV = "ES_PWD";

/**
 * Create (unless the keyspace is provisioned by the platform, as Cosmos DB's is), set up and update
 * the Cassandra keyspace. With a data center the keyspace uses NetworkTopologyStrategy.
 */
export function cassandraSchemaSteps(store: CassandraStoreSpec): SchemaStep[] {
  return [
    ...(store.replicationFactor !== undefined
      ? [
          {
            name: "create-default-keyspace",
            command: [
              "temporal-cassandra-tool", "create-keyspace", "--keyspace", store.keyspace, "--replication-factor", String(store.replicationFactor),
              ...(store.datacenter ? ["--datacenter", store.datacenter] : []),
            ],
          },
        ]
      : []),
    { name: "setup-default-schema", command: ["temporal-cassandra-tool", "setup-schema", "-v", "0.0"] },
    { name: "update-default-schema", command: ["temporal-cassandra-tool", "update-schema", "--schema-dir", `${SCHEMA_ROOT}/cassandra/temporal/versioned`] },
  ];
}

export function cassandraToolEnv(store: CassandraStoreSpec): Record<string, string> {
  return {
    CASSANDRA_HOST: store.hosts,
    CASSANDRA_PORT: String(store.port),
    CASSANDRA_USER: store.user,
    CASSANDRA_KEYSPACE: store.keyspace,
    ...(store.datacenter ? { CASSANDRA_DATACENTER: store.datacenter } : {}),
    ...(store.tls?.enabled
      ? {
          CASSANDRA_ENABLE_TLS: "true",
          // The server config turns host verification on (enableHostVerification), against the
          // server name when one is given; the schema tool must check the same name, no laxer.
          CASSANDRA_TLS_DISABLE_HOST_VERIFICATION: "false",
          ...(store.tls.caFile ? { CASSANDRA_TLS_CA: store.tls.caFile } : {}),
          ...(store.tls.serverName ? { CASSANDRA_TLS_SERVER_NAME: store.tls.serverName } : {}),
        }
      : {}),
  };
}

/**
 * Cluster settings and index template, then the index. `create-index` fails on an index that
 * exists, so on later deploys the same step brings the existing index's mappings up to date.
 */
export function elasticsearchSchemaSteps(): SchemaStep[] {
  return [
    { name: "setup-visibility-template", command: ["temporal-elasticsearch-tool", "setup-schema"] },
    {
      name: "create-visibility-index",
      command: ["sh", "-c", 'temporal-elasticsearch-tool create-index --index "$ES_VISIBILITY_INDEX" || temporal-elasticsearch-tool update-schema --index "$ES_VISIBILITY_INDEX"'],
    },
  ];
}

export function elasticsearchToolEnv(store: ElasticsearchStoreSpec): Record<string, string> {
  return {
    ES_SERVER: `${store.scheme}://${store.host}`,
    ES_VISIBILITY_INDEX: store.index,
    ...(store.username ? { ES_USER: store.username } : {}),
    ...(store.tls?.enabled
      ? { ES_TLS: "true", ...(store.tls.caFile ? { ES_TLS_CA_FILE: store.tls.caFile } : {}), ...(store.tls.serverName ? { ES_TLS_SERVER_NAME: store.tls.serverName } : {}) }
      : {}),
  };
}

/** What a platform needs to run one store's schema steps: the commands, their environment, and where the password goes. */
export interface StoreSchemaPlan {
  steps: SchemaStep[];
  env: Record<string, string>;
  /** The variable the tool reads its password from; absent for a store without one. */
  passwordEnv?: string;
}

export function schemaPlan(kind: StoreKind, store: DefaultStoreSpec | VisibilityStoreSpec): StoreSchemaPlan {
  if (isSqlStore(store)) return { steps: sqlSchemaSteps(store.plugin, kind), env: sqlToolEnv(store), passwordEnv: SQL_TOOL_PASSWORD_ENV };
  if (store.kind === "cassandra") return { steps: cassandraSchemaSteps(store), env: cassandraToolEnv(store), passwordEnv: CASSANDRA_TOOL_PASSWORD_ENV };
  return {
    steps: elasticsearchSchemaSteps(),
    env: elasticsearchToolEnv(store),
    ...(store.passwordEnv ? { passwordEnv: ELASTICSEARCH_TOOL_PASSWORD_ENV } : {}),
  };
}
