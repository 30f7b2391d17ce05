import { type SqlServerOnKubernetes, inClusterSqlArgs } from "../sql/onKubernetes";
import { InClusterPostgres } from "./inClusterPostgres";

export const inClusterPostgresOnKubernetes: SqlServerOnKubernetes = (name, args, config, _managed, opts) => {
  if (config.hosting !== "in-cluster-postgres") throw new Error(`not an in-cluster PostgreSQL server: ${config.hosting}`);
  const store = new InClusterPostgres(`${name}-postgres`, inClusterSqlArgs(args, config), opts);
  return { server: { plugin: config.engine, host: store.host, port: store.port, user: config.user, pool: config.pool }, password: store.password, ready: [store] };
};
