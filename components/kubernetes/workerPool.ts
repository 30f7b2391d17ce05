import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { WorkerConfig, WorkerProbeConfig } from "../config/schema";
import { plainEnv } from "./envVars";
import type { ClusterNames } from "./names";
import { containerResources, disruptionBudget, restrictedContainerSecurity, spreadAcrossZonesAndNodes } from "./podDefaults";

export interface WorkerPoolArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  config: WorkerConfig;
  frontendAddress: pulumi.Input<string>;
  highAvailability: boolean;
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

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: objectName, namespace: args.namespace, labels },
        spec: {
          replicas: config.replicas,
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: { labels },
            spec: {
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
                  ],
                  ...(config.probe ? workerProbes(config.probe) : {}),
                  resources: containerResources(config.resources),
                  securityContext: restrictedContainerSecurity,
                },
              ],
            },
          },
        },
      },
      childOf(this, opts),
    );

    if (args.highAvailability && config.replicas > 1) {
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
