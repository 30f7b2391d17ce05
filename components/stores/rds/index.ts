import type { StoreKind } from "../contract";

/** Amazon RDS for MySQL or PostgreSQL, made by the AWS platform. */
export const rdsKind: StoreKind = {
  name: "rds",
  selectedBy: { hosting: "rds" },
  diagramLabel: (store) => {
    const rds = store.resourceOfType("aws:rds/instance:Instance", "aws:rds/cluster:Cluster");
    if (!rds) return undefined;
    const engine = String(rds.engine ?? "");
    const version = rds.engineVersion ? ` ${rds.engineVersion}` : "";
    if (store.engine === "mysql" && engine.includes("mysql")) return `Amazon RDS for MySQL${version}`;
    if (store.engine === "postgresql" && engine.includes("postgres")) return `Amazon RDS for PostgreSQL${version}`;
    return undefined;
  },
};
