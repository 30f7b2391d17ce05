import { z } from "zod";
import { historySizingProblems } from "../temporal/sizing";

/**
 * `roles.frontend.autoscaling`: the frontend is stateless and its load follows the clients, so it
 * scales on CPU between the bounds; `roles.frontend.replicas` is the count it starts with. Only the
 * frontend scales: history owns the shards (every pod count change moves shards and pauses their
 * workflows), and matching owns task queue partitions that move the same way.
 */
export const frontendAutoscaling = z
  .strictObject({
    enabled: z.boolean().meta({ description: "Scale the frontend on CPU: a HorizontalPodAutoscaler on Kubernetes, target tracking on ECS." }),
    minReplicas: z.number().int().min(1).max(100).meta({ description: "The fewest frontend pods; at least 2 in production." }),
    maxReplicas: z.number().int().min(1).max(100).meta({ description: "The most frontend pods; the clusters' node sizes are checked with the frontend at this ceiling." }),
    targetCpuUtilization: z.number().int().min(10).max(95).meta({ description: "The average CPU utilization, in percent, the autoscaler holds the frontend at." }),
  }).meta({ description: "Only the frontend scales: it is stateless and its load follows the clients; roles.frontend.replicas is the count it starts with." });
export type FrontendAutoscalingConfig = z.infer<typeof frontendAutoscaling>;

interface ScalingRuleInput {
  environment?: string;
  temporal?: { numHistoryShards?: unknown };
  roles?: {
    frontend?: { replicas?: unknown; autoscaling?: Partial<FrontendAutoscalingConfig> };
    history?: { replicas?: unknown; resources?: { limits?: { memory?: unknown } } };
  };
}

/** Frontend autoscaling bounds, and a history role sized for its shards (components/temporal/sizing.ts). */
export function scalingRules(config: ScalingRuleInput, ctx: z.RefinementCtx): void {
  const frontend = config.roles?.frontend;
  const scaling = frontend?.autoscaling;
  if (scaling?.enabled === true && typeof scaling.minReplicas === "number" && typeof scaling.maxReplicas === "number") {
    const replicas = frontend?.replicas;
    if (typeof replicas === "number" && !(scaling.minReplicas <= replicas && replicas <= scaling.maxReplicas)) {
      ctx.addIssue({
        code: "custom",
        path: ["roles", "frontend", "autoscaling"],
        input: { minReplicas: scaling.minReplicas, replicas, maxReplicas: scaling.maxReplicas },
        message: "must satisfy minReplicas <= roles.frontend.replicas <= maxReplicas",
      });
    }
    if (config.environment === "production" && scaling.minReplicas < 2) {
      ctx.addIssue({
        code: "custom",
        path: ["roles", "frontend", "autoscaling", "minReplicas"],
        input: scaling.minReplicas,
        message: "must be at least 2 in production so that one pod can be lost or rolled",
      });
    }
  }

  const shards = config.temporal?.numHistoryShards;
  const history = config.roles?.history;
  const memory = history?.resources?.limits?.memory;
  if (typeof shards === "number" && shards >= 1 && typeof history?.replicas === "number" && typeof memory === "string") {
    for (const problem of historySizingProblems(shards, history.replicas, memory)) {
      ctx.addIssue({ code: "custom", path: problem.path, input: problem.given, message: problem.message });
    }
  }
}
