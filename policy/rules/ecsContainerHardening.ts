import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TASK_DEFINITION_TYPE, ecsContainersOf, runsAsRoot } from "../ecs";
import { RUNS_AS_ROOT_LABEL } from "../../components/aws/ecs/containerHardening";

/**
 * The ECS counterpart of pod-hardening. Fargate has no runAsNonRoot, so the task definition must
 * name a non-root user itself. A root container is accepted only when it says why (the
 * RUNS_AS_ROOT_LABEL docker label) and is not essential, so it can never be what keeps a task up.
 */
export const ecsContainerHardening: ResourceValidationPolicy = {
  name: "ecs-container-hardening",
  description: "ECS containers run as a non-root user, are not privileged, and drop every Linux capability; a root container must be a non-essential helper that says why.",
  validateResource: (args, reportViolation) => {
    if (args.type !== TASK_DEFINITION_TYPE) return args.notApplicable("not an ECS task definition");
    const containers = ecsContainersOf(args.props);
    if (!containers) return args.notApplicable("container definitions not known yet");
    const family = args.props.family ?? args.name;
    for (const container of containers) {
      const where = `${family}: container "${container.name}"`;
      if (container.privileged === true) reportViolation(`${where} is privileged.`);
      if (!(container.linuxParameters?.capabilities?.drop ?? []).includes("ALL")) reportViolation(`${where} does not drop ALL capabilities.`);
      if (!runsAsRoot(container.user)) continue;
      const reason = container.dockerLabels?.[RUNS_AS_ROOT_LABEL];
      if (!reason) reportViolation(`${where} runs as root (user ${container.user === undefined ? "unset, so the image's" : `"${container.user}"`}) without a ${RUNS_AS_ROOT_LABEL} label saying why.`);
      else if (container.essential !== false) reportViolation(`${where} runs as root and is essential: only a non-essential helper may run as root.`);
    }
  },
};
