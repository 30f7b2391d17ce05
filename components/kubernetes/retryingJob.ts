import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export interface RetryingJobArgs {
  name: pulumi.Input<string>;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  pod: Omit<k8s.types.input.core.v1.PodSpec, "restartPolicy">;
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
        template: { metadata: { labels: args.labels }, spec: { restartPolicy: "OnFailure", ...args.pod } },
      },
    },
    opts,
  );
}
