import type { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, objectName, podSpecOf } from "../kubernetes";

export const podHardening: ResourceValidationPolicy = {
  name: "pod-hardening",
  description:
    "Pods run as non-root, without privilege escalation, with every capability dropped, and without a mounted service-account token.",
  validateResource: (args, reportViolation) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("no pod template");
    const name = objectName(args.props);
    if (spec.automountServiceAccountToken !== false) reportViolation(`${name}: pod does not set automountServiceAccountToken: false.`);
    const podRunsAsNonRoot = spec.securityContext?.runAsNonRoot === true;
    for (const { container } of containersOf(spec)) {
      const where = `${name}: container "${container.name}"`;
      const context = container.securityContext ?? {};
      // A container-level false overrides a pod-level true.
      const runsAsNonRoot = context.runAsNonRoot ?? podRunsAsNonRoot;
      if (runsAsNonRoot !== true) reportViolation(`${where} does not set runAsNonRoot: true (on the container or the pod).`);
      if (context.privileged === true) reportViolation(`${where} is privileged.`);
      if (context.allowPrivilegeEscalation !== false) reportViolation(`${where} does not set allowPrivilegeEscalation: false.`);
      if (!(context.capabilities?.drop ?? []).includes("ALL")) reportViolation(`${where} does not drop ALL capabilities.`);
    }
  },
};
