import { z } from "zod";
import { podOverrides } from "../../config/podSchema";
import { CASSANDRA_POD } from "./pod";
import { heapSize, image, quantity, resources } from "../../config/primitives";
import type { Environment } from "../../config/schema";
import { cassandraMaxConns, datacenterName, keyspaceName } from "../cassandra/config";
import { type ReportIssue, type StoreRuleInput, replicationWithinNodes } from "../rules";

const CASSANDRA_IMAGE = /(^|\/)cassandra:(4\.1|5\.0)(\.\d+)?(@sha256:[0-9a-f]{64})?$/;

/** Self-managed Apache Cassandra as a StatefulSet in the cluster. */
export const inClusterCassandra = z.strictObject({
  hosting: z.literal("in-cluster-cassandra").meta({ description: "A Cassandra 4.1 or 5.0 StatefulSet in the cluster." }),
  engine: z.literal("cassandra").meta({ description: "Temporal's Cassandra plugin, the only one for this store." }),
  image: image.refine((ref) => CASSANDRA_IMAGE.test(ref), { message: "must be the official cassandra image at 4.1 or 5.0, such as cassandra:5.0.4" }).meta({ description: "The Cassandra image: the official cassandra image at 4.1 or 5.0." }),
  replicas: z.number().int().min(1).max(30).meta({ description: "How many Cassandra nodes (pods) run." }),
  datacenter: datacenterName,
  replicationFactor: z.number().int().min(1).max(7).meta({ description: "How many nodes hold each row: at least 3 in production, at most the node count." }),
  storageSize: quantity.meta({ description: "The size of the data volume claimed for each pod." }),
  storageClassName: z.string().optional().meta({ description: "The StorageClass of the data volume; unset, the cluster's default StorageClass." }),
  resources: resources.meta({ description: "The CPU and memory requests and limits of the store's pods." }),
  pod: podOverrides(CASSANDRA_POD).optional().meta({ description: "Scheduling, labels, pull secrets, extra env and volumes for the Cassandra pods (docs/pod-overrides.md); the auth Job takes its nodeSelector, tolerations, node affinity and pull secrets." }),
  heapSize: heapSize.meta({ description: "The JVM heap of each Cassandra node." }),
  keyspace: keyspaceName,
  maxConns: cassandraMaxConns,
});
export type InClusterCassandraConfig = z.infer<typeof inClusterCassandra>;

/**
 * Three nodes with replication factor 3 outside dev, so LOCAL_QUORUM (two of three) survives a
 * node; heap at half the container memory up to 8 GiB, Cassandra's own guidance.
 */
const preset = (replicas: number, storageSize: string, cpu: string, memory: string, heapSize: string): InClusterCassandraConfig => ({
  hosting: "in-cluster-cassandra",
  engine: "cassandra",
  image: "cassandra:5.0.4",
  replicas,
  datacenter: "dc1",
  replicationFactor: Math.min(3, replicas),
  storageSize,
  resources: { requests: { cpu, memory }, limits: { memory } },
  heapSize,
  keyspace: "temporal",
  maxConns: 10,
});

export const IN_CLUSTER_CASSANDRA_PRESETS: Record<Environment, InClusterCassandraConfig> = {
  dev: preset(1, "10Gi", "500m", "2Gi", "1G"),
  staging: preset(3, "50Gi", "1", "8Gi", "4G"),
  production: preset(3, "200Gi", "4", "16Gi", "8G"),
};

/** Every replica needs a node of its own. */
export function inClusterCassandraRules(config: StoreRuleInput, issue: ReportIssue): void {
  replicationWithinNodes(config, config.persistence?.replicas, issue);
}
