import { storePod } from "../../config/podSchema";

export const CASSANDRA_DATA_DIR = "/var/lib/cassandra";
/** The image's config directory, where the kit turns authentication on in cassandra.yaml before the node starts (cassandraAuth.ts START_WITH_AUTH). */
export const CASSANDRA_CONFIG_DIR = "/etc/cassandra";

/**
 * The kit sets CASSANDRA_SEEDS, CASSANDRA_CLUSTER_NAME, CASSANDRA_DC, CASSANDRA_RACK,
 * CASSANDRA_ENDPOINT_SNITCH, MAX_HEAP_SIZE and HEAP_NEWSIZE. The CASSANDRA_ prefix is its own: the
 * image's entrypoint writes each CASSANDRA_* it knows into cassandra.yaml and
 * cassandra-rackdc.properties (listen, broadcast and RPC addresses, num_tokens, ...) and finds that
 * file through CASSANDRA_CONFIG (docker-library/cassandra, docker-entrypoint.sh), and
 * START_WITH_AUTH finds it through CASSANDRA_CONF. A mount over the config directory would hide the
 * file the kit edits, so it is the kit's too; the data volume comes from the volumeClaimTemplate.
 */
export const CASSANDRA_POD = storePod({
  env: { names: ["MAX_HEAP_SIZE", "HEAP_NEWSIZE"], prefixes: ["CASSANDRA_"] },
  volumes: { names: ["data"], prefixes: [] },
  mounts: { paths: [CASSANDRA_DATA_DIR, CASSANDRA_CONFIG_DIR], what: "the node's data and the cassandra.yaml it edits to turn authentication on" },
});
