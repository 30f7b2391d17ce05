import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { JobPodOverridesConfig } from "../config/podSchema";
import { type KitPodTemplate, withPodOverrides } from "./podOverrides";

export interface RetryingJobArgs {
  name: pulumi.Input<string>;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  pod: Omit<k8s.types.input.core.v1.PodSpec, "restartPolicy">;
  /** Where the Job's pod schedules and the pull secrets of a private registry (temporal.adminToolsPod). */
  podOverrides?: JobPodOverridesConfig;
}

/**
 * A run-to-completion Job that the deploy waits on. What it talks to (the database, the frontend)
 * may still be starting, so it retries with back-off rather than fail the deploy; and one that
 * failed for good is replaced on the next `pulumi up` instead of being waited on again.
 */
export function retryingJob(resourceName: string, args: RetryingJobArgs, opts: pulumi.CustomResourceOptions): k8s.batch.v1.Job {
  return new k8s.batch.v1.Job(
    resourceName,
    {
      metadata: {
        name: args.name,
        namespace: args.namespace,
        labels: args.labels,
        annotations: { "pulumi.com/replaceUnready": "true" },
      },
      spec: {
        backoffLimit: 10,
        // The Job's overrides touch no container, so the pod spec's Outputs (init containers) pass through.
        template: withPodOverrides(
          { metadata: { labels: args.labels }, spec: { restartPolicy: "OnFailure", ...args.pod } } as KitPodTemplate,
          args.podOverrides,
          { selector: args.labels },
        ),
      },
    },
    opts,
  );
}
