import type { StoreKind } from "../contract";

const ENGINE_NAMES: Partial<Record<string, string>> = { mysql: "MySQL 8", postgresql: "PostgreSQL" };

/** A MySQL or PostgreSQL server the kit only points at; its password Secret is the operator's. */
export const externalSqlKind: StoreKind = {
  name: "external-sql",
  selectedBy: { hosting: "external" },
  diagramLabel: (store) => {
    const what = ENGINE_NAMES[store.engine];
    return what ? `${what}, external<br/>${store.address}` : undefined;
  },
};
