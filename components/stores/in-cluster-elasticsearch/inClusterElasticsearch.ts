import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import type { PodOverridesConfig } from "../../config/podSchema";
import type { ResourcesConfig } from "../../config/schema";
import { assertHeapFitsLimit } from "../../kubernetes/jvmHeap";
import { type ClusterNames, serviceHost } from "../../kubernetes/names";
import { IMAGE_USERS, containerResources, dataVolumeClaim, hardenedPod, writableRootContainerSecurity } from "../../kubernetes/podDefaults";
import { withPodOverrides } from "../../kubernetes/podOverrides";
import { HTTP_PORT } from "./index";
import { ELASTICSEARCH_DATA_DIR } from "./pod";

export interface InClusterElasticsearchArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** docker.elastic.co/elasticsearch/elasticsearch at a pinned 7.x or 8.x tag. */
  image: string;
  storageSize: string;
  storageClassName?: string;
  resources: ResourcesConfig;
  /** -Xms and -Xmx, such as 1G; below the memory limit, which must leave room for off-heap memory. */
  heapSize: string;
  /** The stack file's pod block (ELASTICSEARCH_POD says what it may not touch). */
  pod?: PodOverridesConfig;
}

const HEALTH_PATH = "/_cluster/health?local=true";

/**
 * A single-node Elasticsearch for Temporal's visibility store in dev, with its own volume.
 * Security is off: no TLS and no login, so it is reachable by anything inside the cluster and must
 * never hold production data (the stack config refuses it in production). Not highly available.
 */
export class InClusterElasticsearch extends pulumi.ComponentResource {
  /** http://<service>.<namespace>.svc.cluster.local:9200 */
  readonly url: pulumi.Output<string>;
  /** Which of Temporal's Elasticsearch clients speaks to this image. */
  readonly version: "v7" | "v8";
  readonly statefulSet: k8s.apps.v1.StatefulSet;

  constructor(name: string, args: InClusterElasticsearchArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:InClusterElasticsearch", name, {}, opts);
    const { names } = args;
    assertHeapFitsLimit("in-cluster Elasticsearch", args.heapSize, args.resources);
    this.version = elasticsearchVersion(args.image);
    const labels = names.labels("elasticsearch");
    const selector = names.selector("elasticsearch");

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: names.elasticsearch, namespace: args.namespace, labels },
        spec: {
          clusterIP: "None",
          selector,
          ports: [{ name: "http", port: HTTP_PORT, targetPort: "http", protocol: "TCP" }],
        },
      },
      childOf(this, opts),
    );

    const health = { httpGet: { path: HEALTH_PATH, port: "http" } };
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: names.elasticsearch, namespace: args.namespace, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          selector: { matchLabels: selector },
          template: withPodOverrides({
            metadata: { labels },
            spec: {
              // fsGroup makes the fresh volume writable for the image's user, which the image expects to run as.
              ...hardenedPod(IMAGE_USERS.elasticsearch),
              containers: [
                {
                  name: "elasticsearch",
                  image: args.image,
                  imagePullPolicy: "IfNotPresent",
                  // The image turns lower-case dotted variables into settings.
                  env: [
                    // No cluster to form: no seed hosts, no master election, and bootstrap checks only warn.
                    { name: "discovery.type", value: "single-node" },
                    // Dev only and cluster-internal: no TLS certificates to hand to Temporal, no password.
                    { name: "xpack.security.enabled", value: "false" },
                    // Without mmap Elasticsearch neither checks nor needs vm.max_map_count, so no node has to
                    // raise it (a privileged sysctl); index access is slower, which dev can afford.
                    { name: "node.store.allow_mmap", value: "false" },
                    // The GeoIP downloader (8.x) fetches databases from the internet that visibility never uses.
                    ...(this.version === "v8" ? [{ name: "ingest.geoip.downloader.enabled", value: "false" }] : []),
                    { name: "ES_JAVA_OPTS", value: `-Xms${args.heapSize} -Xmx${args.heapSize}` },
                  ],
                  ports: [{ name: "http", containerPort: HTTP_PORT, protocol: "TCP" }],
                  // Local health answers as soon as this node serves HTTP, whatever the cluster's colour.
                  startupProbe: { ...health, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
                  readinessProbe: { ...health, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                  livenessProbe: { tcpSocket: { port: "http" }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                  resources: containerResources(args.resources),
                  // Not read-only: the image's entrypoint and the node write under /usr/share/elasticsearch
                  // (the keystore and generated JVM options in config/, beside the image's own files, and logs/).
                  securityContext: writableRootContainerSecurity,
                  volumeMounts: [{ name: "data", mountPath: ELASTICSEARCH_DATA_DIR }],
                },
              ],
            },
          }, args.pod, { container: "elasticsearch", selector, claimTemplates: ["data"] }),
          volumeClaimTemplates: [dataVolumeClaim(labels, args.storageSize, args.storageClassName)],
        },
      },
      childOf(this, opts),
    );

    this.url = pulumi.interpolate`http://${serviceHost(service.metadata.name, args.namespace)}:${HTTP_PORT}`;

    this.registerOutputs({ url: this.url, version: this.version });
  }
}

/** Temporal's client version from the image tag: 7.x speaks v7, 8.x speaks v8. */
export function elasticsearchVersion(image: string): "v7" | "v8" {
  const tag = image.split("@")[0].split("/").pop()!.split(":")[1];
  const major = tag?.split(".")[0];
  if (major === "7" || major === "8") return `v${major}`;
  throw new Error(`Elasticsearch image ${image} must carry a 7.x or 8.x tag, which tells Temporal which client to use`);
}
