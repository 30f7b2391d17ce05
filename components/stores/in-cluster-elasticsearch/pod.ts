import { storePod } from "../../config/podSchema";

export const ELASTICSEARCH_DATA_DIR = "/usr/share/elasticsearch/data";

/**
 * The settings the kit passes as env (the image turns lower-case dotted variables into -E
 * settings: elastic/elasticsearch, distribution/docker/src/docker/bin/docker-entrypoint.sh) and
 * the heap. The dotted names are not environment variable names the pod block takes anyway; they
 * are listed so that the list says everything the kit sets. The data volume comes from the
 * volumeClaimTemplate.
 */
export const ELASTICSEARCH_POD = storePod({
  env: { names: ["discovery.type", "xpack.security.enabled", "node.store.allow_mmap", "ingest.geoip.downloader.enabled", "ES_JAVA_OPTS"], prefixes: [] },
  volumes: { names: ["data"], prefixes: [] },
  mounts: { paths: [ELASTICSEARCH_DATA_DIR], what: "the node's data" },
});
