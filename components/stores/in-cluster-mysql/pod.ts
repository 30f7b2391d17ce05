import { sqlServerPod } from "../sql/pod";

export const MYSQL_DATA_DIR = "/var/lib/mysql";
/** mysqld writes its socket and pid file here; on a read-only root filesystem it needs its own volume. */
export const MYSQL_SOCKET_DIR = "/var/run/mysqld";

/**
 * The kit sets MYSQL_ROOT_PASSWORD, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DATABASE. The whole
 * prefix is its own: the image's entrypoint reads more of it to decide the accounts it creates
 * (MYSQL_ROOT_HOST, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD and the _FILE forms of
 * the passwords, which it refuses beside the plain ones: docker-library/mysql,
 * template/docker-entrypoint.sh), and mysqld and mysqladmin take their port and socket from
 * MYSQL_TCP_PORT and MYSQL_UNIX_PORT (MySQL manual, "Environment Variables").
 */
export const MYSQL_POD = sqlServerPod({ env: { names: [], prefixes: ["MYSQL_"] }, dataDir: MYSQL_DATA_DIR, socketDir: MYSQL_SOCKET_DIR });
