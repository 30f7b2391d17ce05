import { z } from "zod";

/** A CQL identifier for the keyspace (unquoted, so lower case). */
export const keyspaceName = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "must be a CQL keyspace name: lower-case letters, digits and _, starting with a letter").meta({ description: "The keyspace that holds Temporal's schema and data." });
export const datacenterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be a Cassandra data center name such as dc1").meta({ description: "The Cassandra data center the nodes run in; the keyspace is created with NetworkTopologyStrategy in it." });
/** Connections per Cassandra host per server pod: gocql's pool, far fewer than SQL needs. */
export const cassandraMaxConns = z.number().int().min(1).max(100).meta({ description: "Connections each Temporal server pod opens to each Cassandra host (gocql's pool), far fewer than a SQL store needs." });
