import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TASK_DEFINITION_TYPE } from "../ecs";
import { containersOf, isLongRunningWorkload, objectName, podSpecOf } from "../kubernetes";

export const probesAndResources: ResourceValidationPolicy = {
  name: "probes-and-resources",
  description:
    "Every container requests CPU and memory and has a memory limit; every long-running container also has readiness and liveness probes. ECS tasks set CPU and memory.",
  validateResource: (args, reportViolation) => {
    const spec = podSpecOf(args.type, args.props);
    if (spec) {
      const longRunning = isLongRunningWorkload(args.type);
      for (const { container, init } of containersOf(spec)) {
        const where = `${objectName(args.props)}: container "${container.name}"`;
        const { requests = {}, limits = {} } = container.resources ?? {};
        if (requests.cpu === undefined || requests.memory === undefined) reportViolation(`${where} does not request both cpu and memory.`);
        if (limits.memory === undefined) reportViolation(`${where} has no memory limit.`);
        // Init containers run to completion before the pod is ready: probes do not apply to them.
        if (longRunning && !init) {
          if (!container.readinessProbe) reportViolation(`${where} has no readinessProbe.`);
          if (!container.livenessProbe) reportViolation(`${where} has no livenessProbe.`);
        }
      }
      return;
    }
    if (args.type === TASK_DEFINITION_TYPE) {
      if (args.props.cpu === undefined || args.props.memory === undefined) {
        reportViolation(`task ${args.props.family} does not set both cpu and memory.`);
      }
      return;
    }
    return args.notApplicable("no containers");
  },
};
