import type { PolicyResource } from "@pulumi/policy";
import { ECS_SERVICE_TYPE } from "../ecs";
import { objectName } from "../kubernetes";
import { ofType, stackPolicy } from "../stackRule";

export const MIN_REPLICAS = 2;
export const REPLICATED_KINDS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];
const HPA_TYPES = ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:autoscaling/v1:HorizontalPodAutoscaler"];
const ECS_SCALING_TARGET = "aws:appautoscaling/target:Target";

/** The fewest replicas a workload runs: an autoscaler's minReplicas when one drives it, else spec.replicas (default 1). */
export function minimumReplicas(workload: PolicyResource, resources: PolicyResource[]): number {
  const kind = workload.props.kind;
  const name = workload.props.metadata?.name;
  const namespace = workload.props.metadata?.namespace;
  const autoscaler = HPA_TYPES.flatMap((type) => ofType(resources, type)).find(
    (hpa) =>
      hpa.props.spec?.scaleTargetRef?.kind === kind &&
      hpa.props.spec?.scaleTargetRef?.name === name &&
      hpa.props.metadata?.namespace === namespace,
  );
  if (autoscaler) return Number(autoscaler.props.spec?.minReplicas ?? 1);
  return Number(workload.props.spec?.replicas ?? 1);
}

function minimumTasks(service: PolicyResource, resources: PolicyResource[]): number {
  const target = ofType(resources, ECS_SCALING_TARGET).find((candidate) => candidate.dependencies.some((dependency) => dependency.urn === service.urn));
  if (target) return Number(target.props.minCapacity ?? 0);
  return Number(service.props.desiredCount ?? 0);
}

export const productionReplicas = stackPolicy({
  name: "production-replicas",
  description: `In production every Deployment and StatefulSet runs at least ${MIN_REPLICAS} replicas and every ECS service at least ${MIN_REPLICAS} tasks (autoscaler minimums count).`,
  environments: ["production"],
  check: (resources, reportViolation) => {
    for (const workload of REPLICATED_KINDS.flatMap((type) => ofType(resources, type))) {
      const replicas = minimumReplicas(workload, resources);
      if (replicas < MIN_REPLICAS) reportViolation(`${objectName(workload.props)} runs ${replicas} replica(s), at least ${MIN_REPLICAS} required.`, workload.urn);
    }
    for (const service of ofType(resources, ECS_SERVICE_TYPE)) {
      const tasks = minimumTasks(service, resources);
      if (tasks < MIN_REPLICAS) reportViolation(`${service.name} runs ${tasks} task(s), at least ${MIN_REPLICAS} required.`, service.urn);
    }
  },
});
