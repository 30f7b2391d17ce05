import { z } from "zod";
import { podOverrides } from "../../config/podSchema";
import { ELASTICSEARCH_POD } from "./pod";
import { heapSize, image, quantity, resources } from "../../config/primitives";
import type { Environment } from "../../config/schema";
import { VISIBILITY_INDEX, visibilityIndex } from "../search/config";
import type { ReportIssue, StoreRuleInput } from "../rules";

/** A single-node Elasticsearch in the cluster: for dev. */
export const inClusterElasticsearch = z.strictObject({
  store: z.literal("elasticsearch").meta({ description: "Single-node Elasticsearch in the cluster with security off: for dev, refused in production." }),
  hosting: z.literal("in-cluster").meta({ description: "Elasticsearch runs as a pod in the cluster, the only hosting for this store." }),
  image: image.meta({ description: "The Elasticsearch image." }),
  storageSize: quantity.meta({ description: "The size of the data volume claimed for each pod." }),
  storageClassName: z.string().optional().meta({ description: "The StorageClass of the data volume; unset, the cluster's default StorageClass." }),
  resources: resources.meta({ description: "The CPU and memory requests and limits of the store's pods." }),
  pod: podOverrides(ELASTICSEARCH_POD).optional().meta({ description: "Scheduling, labels, pull secrets, extra env and volumes for the Elasticsearch pod (docs/pod-overrides.md)." }),
  heapSize: heapSize.meta({ description: "The JVM heap of the Elasticsearch node." }),
  index: visibilityIndex,
});
export type InClusterElasticsearchConfig = z.infer<typeof inClusterElasticsearch>;

/** Dev only (storeRules refuses it in production). */
export const IN_CLUSTER_ELASTICSEARCH_PRESETS: Partial<Record<Environment, InClusterElasticsearchConfig>> = {
  dev: {
    store: "elasticsearch",
    hosting: "in-cluster",
    image: "docker.elastic.co/elasticsearch/elasticsearch:8.17.4",
    storageSize: "10Gi",
    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
    heapSize: "1G",
    index: VISIBILITY_INDEX,
  },
};

export function inClusterElasticsearchRules(config: StoreRuleInput, issue: ReportIssue): void {
  if (config.environment === "production") {
    issue(["visibility", "store"], "elasticsearch", "must not be the in-cluster Elasticsearch in production: it is a single node for dev; use opensearch on AWS or a sql-server");
  }
}
