import { storePod } from "../../config/podSchema";

export const ELASTICSEARCH_DATA_DIR = "/usr/share/elasticsearch/data";

/**
 * The settings the kit passes as env (the image turns lower-case dotted variables into -E
 * settings: elastic/elasticsearch, distribution/docker/src/docker/bin/docker-entrypoint.sh) and
 * the heap. The dotted names are not environment variable names the pod block takes anyway; they
 * are listed so that the list says everything the kit sets. The data volume comes from the
 * volumeClaimTemplate.
 *
 * Also refused: the same entrypoint's ELASTIC_PASSWORD(_FILE), which bootstraps the security the
 * kit turns off; CLI_JAVA_OPTS beside ES_JAVA_OPTS; and ES_SETTING_*, which Elastic's 8.x Docker
 * documentation describes as another spelling of a setting. The entrypoint version this was read
 * at does not show ES_SETTING_ handling, so it is refused to be safe: a setting the kit does not
 * set belongs in a change to the kit, not in an env var that could undo the four above.
 */
export const ELASTICSEARCH_POD = storePod({
  env: {
    names: ["discovery.type", "xpack.security.enabled", "node.store.allow_mmap", "ingest.geoip.downloader.enabled", "ES_JAVA_OPTS", "CLI_JAVA_OPTS", "ELASTIC_PASSWORD", "ELASTIC_PASSWORD_FILE"],
    prefixes: ["ES_SETTING_"],
  },
  volumes: { names: ["data"], prefixes: [] },
  mounts: { paths: [ELASTICSEARCH_DATA_DIR], what: "the node's data" },
});
