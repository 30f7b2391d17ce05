import type { StoreKind } from "../contract";

/** Azure Database for MySQL, Flexible Server, in the kit's network. */
export const azureMysqlKind: StoreKind = {
  name: "azure-flexible-server",
  selectedBy: { hosting: "azure-mysql" },
  diagramLabel: (store) => (store.engine === "mysql" && store.resourceOfType("azure-native:dbformysql:Server") ? "Azure Database for MySQL<br/>Flexible Server" : undefined),
};

/** Azure Database for PostgreSQL, Flexible Server, in the kit's network. */
export const azurePostgresKind: StoreKind = {
  name: "azure-flexible-server",
  selectedBy: { hosting: "azure-postgres" },
  diagramLabel: (store) =>
    store.engine === "postgresql" && store.resourceOfType("azure-native:dbforpostgresql:Server") ? "Azure Database for PostgreSQL<br/>Flexible Server" : undefined,
};
