import { sqlServerPod } from "../sql/pod";

export const POSTGRES_DATA_DIR = "/var/lib/postgresql/data";
/** postgres keeps its Unix socket and lock file here; on a read-only root filesystem it needs its own volume. */
export const POSTGRES_SOCKET_DIR = "/var/run/postgresql";

/**
 * The kit sets POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB and PGDATA. Both prefixes are its
 * own: the image's entrypoint reads more POSTGRES_* (POSTGRES_HOST_AUTH_METHOD=trust would drop
 * the password, POSTGRES_INITDB_ARGS, the _FILE forms of the settings: docker-library/postgres,
 * docker-entrypoint.sh), the server reads PGDATA and PGPORT, and the entrypoint's psql and the
 * kit's pg_isready probe read libpq's PG* (PGHOST, PGUSER, PGPASSWORD, ...).
 */
export const POSTGRES_POD = sqlServerPod({ env: { names: [], prefixes: ["POSTGRES_", "PG"] }, dataDir: POSTGRES_DATA_DIR, socketDir: POSTGRES_SOCKET_DIR });
