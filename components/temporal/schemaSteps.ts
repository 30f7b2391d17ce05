import type { SqlPlugin, SqlStoreSpec } from "./serverConfig";

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
