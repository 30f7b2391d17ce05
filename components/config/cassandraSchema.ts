import { z } from "zod";
import { heapSize, image, quantity, resources } from "./primitives";

/** A CQL identifier for the keyspace (unquoted, so lower case). */
export const keyspaceName = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "must be a CQL keyspace name: lower-case letters, digits and _, starting with a letter");
export const datacenterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be a Cassandra data center name such as dc1");
/** Connections per Cassandra host per server pod: gocql's pool, far fewer than SQL needs. */
export const cassandraMaxConns = z.number().int().min(1).max(100);

const CASSANDRA_IMAGE = /(^|\/)cassandra:(4\.1|5\.0)(\.\d+)?(@sha256:[0-9a-f]{64})?$/;

/** Self-managed Apache Cassandra as a StatefulSet in the cluster. */
export const inClusterCassandra = z.strictObject({
  hosting: z.literal("in-cluster-cassandra"),
  engine: z.literal("cassandra"),
  image: image.refine((ref) => CASSANDRA_IMAGE.test(ref), { message: "must be the official cassandra image at 4.1 or 5.0, such as cassandra:5.0.4" }),
  replicas: z.number().int().min(1).max(30),
  datacenter: datacenterName,
  replicationFactor: z.number().int().min(1).max(7),
  storageSize: quantity,
  storageClassName: z.string().optional(),
  resources,
  heapSize,
  keyspace: keyspaceName,
  maxConns: cassandraMaxConns,
});
export type InClusterCassandraConfig = z.infer<typeof inClusterCassandra>;
