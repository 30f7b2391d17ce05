import { type SqlServerOnKubernetes, inClusterSqlArgs } from "../sql/onKubernetes";
import { InClusterMysql } from "./inClusterMysql";

export const inClusterMysqlOnKubernetes: SqlServerOnKubernetes = (name, args, config, _managed, opts) => {
  if (config.hosting !== "in-cluster") throw new Error(`not an in-cluster MySQL server: ${config.hosting}`);
  const store = new InClusterMysql(`${name}-mysql`, inClusterSqlArgs(args, config), opts);
  return { server: { plugin: config.engine, host: store.host, port: store.port, user: config.user, pool: config.pool }, password: store.password, ready: [store] };
};
