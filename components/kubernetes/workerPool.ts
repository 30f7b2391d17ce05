import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { WORKER_API_KEY_ENV, type WorkerConfig, type WorkerProbeConfig } from "../config/schema";
import { plainEnv } from "./envVars";
import { withPodOverrides } from "./podOverrides";
import type { PodTls } from "./podTls";
import type { ClusterNames } from "./names";
import { parseUser } from "../imageUsers";
import { containerResources, disruptionBudget, hardenedPod, needsDisruptionBudget, restrictedContainerSecurity, scratchTmp, spreadAcrossZonesAndNodes } from "./podDefaults";

export interface WorkerPoolArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  config: WorkerConfig;
  frontendAddress: pulumi.Input<string>;
  highAvailability: boolean;
  /** A cloud identity the pods act as for the worker's own cloud calls (an IAM role through IRSA on EKS). */
  identity?: { serviceAccountAnnotations: Record<string, pulumi.Input<string>> };
  /** The kit's client certificate and the frontend's trust, when the frontend requires mutual TLS. */
  frontendTls?: PodTls;
}

/**
 * The user's workflow and activity workers: a Deployment of their image, told where the frontend
 * is, which Temporal namespace and which task queue to poll. Workers are stateless, so they spread
 * across zones and nodes and tolerate losing any one pod.
 */
export class WorkerPool extends pulumi.ComponentResource {
  readonly deployment: k8s.apps.v1.Deployment;

  constructor(name: string, args: WorkerPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:WorkerPool", name, {}, opts);
    const { names, config } = args;
    const objectName = names.workerPool(config.name);
    const component = `worker-${config.name}`;
    const labels = names.labels(component);
    const selector = names.selector(component);

    // A pool without cloud access runs as the namespace's default account, which carries no identity.
    const serviceAccount = args.identity
      ? new k8s.core.v1.ServiceAccount(
          `${name}-identity`,
          {
            metadata: {
              name: objectName,
              namespace: args.namespace,
              labels,
              annotations: args.identity.serviceAccountAnnotations,
            },
          },
          childOf(this, opts),
        )
      : undefined;

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: objectName, namespace: args.namespace, labels },
        spec: {
          replicas: config.replicas,
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: withPodOverrides({
            metadata: { labels },
            spec: {
              // The image is the user's: it declares a numeric non-root USER, or the pool's `user` names one.
              ...hardenedPod(),
              ...(serviceAccount ? { serviceAccountName: serviceAccount.metadata.name } : {}),
              ...(args.highAvailability ? { topologySpreadConstraints: spreadAcrossZonesAndNodes(selector) } : {}),
              containers: [
                {
                  name: "worker",
                  image: config.image,
                  imagePullPolicy: "IfNotPresent",
                  ...(config.command ? { command: config.command } : {}),
                  ...(config.args ? { args: config.args } : {}),
                  env: [
                    ...plainEnv(config.env),
                    { name: "TEMPORAL_ADDRESS", value: args.frontendAddress },
                    { name: "TEMPORAL_NAMESPACE", value: config.namespace },
                    { name: "TEMPORAL_TASK_QUEUE", value: config.taskQueue },
                    ...(args.frontendTls?.env ?? []),
                    // From the Secret, never as a value: the token stays out of the Deployment object.
                    ...(config.apiKeySecret ? [{ name: WORKER_API_KEY_ENV, valueFrom: { secretKeyRef: { name: config.apiKeySecret.name, key: config.apiKeySecret.key } } }] : []),
                  ],
                  ...(config.probe ? workerProbes(config.probe) : {}),
                  resources: containerResources(config.resources),
                  securityContext: { ...restrictedContainerSecurity, ...runAs(config.user) },
                  volumeMounts: [scratchTmp.mount, ...(args.frontendTls?.mounts ?? [])],
                },
              ],
              volumes: [scratchTmp.volume, ...(args.frontendTls?.volumes ?? [])],
            },
          }, config.pod, { container: "worker", selector }),
        },
      },
      // With autoscaling on, the autoscaler owns the count; a deploy must not reset it.
      { ...childOf(this, opts), ...(config.autoscaling ? { ignoreChanges: ["spec.replicas"] } : {}) },
    );

    if (config.autoscaling) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-autoscaler`,
        {
          metadata: { name: objectName, namespace: args.namespace, labels },
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
            minReplicas: config.autoscaling.minReplicas,
            maxReplicas: config.autoscaling.maxReplicas,
            metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: config.autoscaling.targetCpuUtilization } } }],
            // Scale in slowly: a worker stopped mid-activity makes Temporal retry it elsewhere.
            behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
          },
        },
        childOf(this, opts),
      );
    }

    if (needsDisruptionBudget(config.replicas, config.autoscaling?.maxReplicas)) {
      disruptionBudget(objectName, args.namespace, labels, selector, childOf(this, opts));
    }

    this.registerOutputs({ deploymentName: this.deployment.metadata.name });
  }
}

function workerProbes(probe: WorkerProbeConfig): Pick<k8s.types.input.core.v1.Container, "readinessProbe" | "livenessProbe"> {
  const check = "httpGet" in probe ? { httpGet: probe.httpGet } : { exec: { command: probe.exec } };
  return {
    readinessProbe: { ...check, periodSeconds: 10 },
    livenessProbe: { ...check, periodSeconds: 20, failureThreshold: 3 },
  };
}

/** The pool's configured user, which overrides the image's USER. */
function runAs(user: string | undefined): Pick<k8s.types.input.core.v1.SecurityContext, "runAsUser" | "runAsGroup"> {
  if (!user) return {};
  const { uid, gid } = parseUser(user);
  return gid === undefined ? { runAsUser: uid } : { runAsUser: uid, runAsGroup: gid };
}
