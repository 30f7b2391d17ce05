import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import type { ImageUser } from "../../imageUsers";
import type { ResourcesConfig } from "../../config/schema";
import type { ClusterNames } from "../../kubernetes/names";
import type { PodOverridesConfig } from "../../config/podSchema";
import { containerResources, dataVolumeClaim, hardenedPod, restrictedContainerSecurity, scratchDir, scratchTmp } from "../../kubernetes/podDefaults";
import { withPodOverrides } from "../../kubernetes/podOverrides";
import { INIT_SCRIPT_DIR, SQL_SERVER_VOLUMES } from "./pod";

/** What a stack's config decides about an in-cluster SQL server, MySQL or PostgreSQL alike. */
export interface InClusterSqlArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  image: string;
  storageSize: string;
  storageClassName?: string;
  resources: ResourcesConfig;
  user: string;
  database: string;
  visibilityDatabase: string;
  /** From the Temporal connection budget: the servers' defaults (MySQL 151, PostgreSQL 100) are too few for a real cluster. */
  maxConnections: number;
  /** The stack file's pod block for the server (MYSQL_POD, POSTGRES_POD say what it may not touch). */
  pod?: PodOverridesConfig;
}

/**
 * What sets one in-cluster SQL server apart from another (MySQL, PostgreSQL): the official images
 * share the rest of the shape, an init-script directory, a socket directory and a data volume.
 */
export interface SingleNodeSqlServerArgs {
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** The Service and StatefulSet name; the pod's hostname is derived from it. */
  objectName: string;
  initConfigMapName: string;
  /** Run once by the image's entrypoint, on an empty data directory. */
  initScripts: Record<string, string>;
  image: string;
  imageUser: ImageUser;
  /** The container's name, and the name of its port. */
  engine: string;
  port: number;
  args: string[];
  env: k8s.types.input.core.v1.EnvVar[];
  /** An exec probe that passes once the server accepts connections. */
  ready: { exec: { command: string[] } };
  dataDir: string;
  /** Where the server keeps its socket and lock file: outside the data volume, so it needs a volume of its own on a read-only root. */
  socketDir: string;
  storageSize: string;
  storageClassName?: string;
  resources: ResourcesConfig;
  pod?: PodOverridesConfig;
}

/**
 * A single-node SQL server inside the cluster: its init scripts in a ConfigMap, a headless Service,
 * and a StatefulSet with its own volume, running as the image's user from the start on a read-only
 * root. Registered as children of `parent`, under `<name>-init`, `<name>-service` and
 * `<name>-statefulset`.
 */
export function singleNodeSqlServer(
  name: string,
  args: SingleNodeSqlServerArgs,
  parent: pulumi.ComponentResource,
  opts?: pulumi.ComponentResourceOptions,
): { service: k8s.core.v1.Service; statefulSet: k8s.apps.v1.StatefulSet } {
  const { labels } = args;
  const socket = scratchDir(SQL_SERVER_VOLUMES.socket, args.socketDir);
  const initScript = new k8s.core.v1.ConfigMap(
    `${name}-init`,
    { metadata: { name: args.initConfigMapName, namespace: args.namespace, labels }, data: args.initScripts },
    childOf(parent, opts),
  );

  const service = new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: { name: args.objectName, namespace: args.namespace, labels },
      spec: {
        clusterIP: "None",
        selector: args.selector,
        ports: [{ name: args.engine, port: args.port, targetPort: args.engine, protocol: "TCP" }],
      },
    },
    childOf(parent, opts),
  );

  const statefulSet = new k8s.apps.v1.StatefulSet(
    `${name}-statefulset`,
    {
      metadata: { name: args.objectName, namespace: args.namespace, labels },
      spec: {
        serviceName: service.metadata.name,
        replicas: 1,
        selector: { matchLabels: args.selector },
        template: withPodOverrides({
          metadata: { labels, annotations: { "temporal-kit/init-script": initScript.metadata.name } },
          spec: {
            // As the image's own user from the start, the entrypoint skips its root-only chown and gosu.
            ...hardenedPod(args.imageUser),
            containers: [
              {
                name: args.engine,
                image: args.image,
                imagePullPolicy: "IfNotPresent",
                args: args.args,
                env: args.env,
                ports: [{ name: args.engine, containerPort: args.port, protocol: "TCP" }],
                startupProbe: { ...args.ready, periodSeconds: 5, failureThreshold: 60 },
                readinessProbe: { ...args.ready, periodSeconds: 10, timeoutSeconds: 5 },
                livenessProbe: { ...args.ready, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                resources: containerResources(args.resources),
                securityContext: restrictedContainerSecurity,
                volumeMounts: [
                  { name: SQL_SERVER_VOLUMES.data, mountPath: args.dataDir },
                  { name: SQL_SERVER_VOLUMES.init, mountPath: INIT_SCRIPT_DIR, readOnly: true },
                  socket.mount,
                  scratchTmp.mount,
                ],
              },
            ],
            volumes: [{ name: SQL_SERVER_VOLUMES.init, configMap: { name: initScript.metadata.name } }, socket.volume, scratchTmp.volume],
          },
        }, args.pod, { container: args.engine, selector: args.selector, claimTemplates: [SQL_SERVER_VOLUMES.data] }),
        volumeClaimTemplates: [dataVolumeClaim(labels, args.storageSize, args.storageClassName)],
      },
    },
    childOf(parent, opts),
  );
  return { service, statefulSet };
}
