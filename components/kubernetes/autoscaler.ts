import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface CpuScaling {
  minReplicas: number;
  maxReplicas: number;
  targetCpuUtilization: number;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) that keeps a Deployment's average CPU near the target.
 * The Deployment it scales must ignore changes to `spec.replicas` (see {@link replicasOwnedByAutoscaler}).
 */
export function cpuAutoscaler(
  name: string,
  args: {
    objectName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    deploymentName: pulumi.Input<string>;
    scaling: CpuScaling;
  },
  opts: pulumi.CustomResourceOptions,
): k8s.autoscaling.v2.HorizontalPodAutoscaler {
  return new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    name,
    {
      metadata: { name: args.objectName, namespace: args.namespace, labels: args.labels },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: args.deploymentName },
        minReplicas: args.scaling.minReplicas,
        maxReplicas: args.scaling.maxReplicas,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: args.scaling.targetCpuUtilization } } }],
        // Scale in slowly: clients reconnect when a pod goes, and a burst often comes back.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    },
    opts,
  );
}

/**
 * Options for a Deployment whose count an autoscaler owns: `spec.replicas` is still sent on create
 * (so a new Deployment starts at the configured count, not Kubernetes' default of 1), but later
 * deploys leave it alone instead of resetting what the autoscaler chose.
 */
export function replicasOwnedByAutoscaler(scaling: CpuScaling | undefined): pulumi.CustomResourceOptions {
  return scaling ? { ignoreChanges: ["spec.replicas"] } : {};
}
