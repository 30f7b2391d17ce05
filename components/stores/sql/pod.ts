import { type KitPodSettings, storePod } from "../../config/podSchema";

/** The official mysql and postgres images run what is here once, on an empty data directory (docker-entrypoint.sh of docker-library/mysql and docker-library/postgres). */
export const INIT_SCRIPT_DIR = "/docker-entrypoint-initdb.d";

/** The volumes singleNodeSqlServer gives its pod: `data` from the StatefulSet's volumeClaimTemplate, then the init scripts, the socket directory and /tmp. */
export const SQL_SERVER_VOLUMES = { data: "data", init: "init", socket: "run", tmp: "tmp" } as const;

/**
 * What the kit keeps to itself in an in-cluster SQL server's pod: the engine's env, and every
 * volume and mount singleNodeSqlServer makes, so that a pod block cannot hide the data, the init
 * scripts that create the visibility database, or the socket directory on the read-only root.
 */
export function sqlServerPod(args: { env: KitPodSettings["env"]; dataDir: string; socketDir: string }): KitPodSettings {
  return storePod({
    env: args.env,
    volumes: { names: Object.values(SQL_SERVER_VOLUMES), prefixes: [] },
    mounts: { paths: [args.dataDir, INIT_SCRIPT_DIR, args.socketDir, "/tmp"], what: "the server's data, its init scripts, its socket directory and scratch space" },
  });
}
