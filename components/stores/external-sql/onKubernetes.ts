import type { SqlServerOnKubernetes } from "../sql/onKubernetes";

/** Only referenced: the operator's server, and the password Secret they put in the namespace. */
export const externalSqlOnKubernetes: SqlServerOnKubernetes = (_name, _args, config) => {
  if (config.hosting !== "external") throw new Error(`not an external SQL server: ${config.hosting}`);
  const tls = config.tls.enabled ? { enabled: true, serverName: config.tls.serverName } : undefined;
  return { server: { plugin: config.engine, host: config.host, port: config.port, user: config.user, pool: config.pool, ...(tls ? { tls } : {}) }, password: config.passwordSecret, ready: [] };
};
