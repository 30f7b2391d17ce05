import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TASK_DEFINITION_TYPE, ecsContainersOf } from "../ecs";
import { containersOf, objectName, podSpecOf } from "../kubernetes";

/**
 * Advisory: some images (databases, tools that write to their own directories) cannot run with a
 * read-only root; where one can, it should.
 */
export const readOnlyRootFilesystem: ResourceValidationPolicy = {
  name: "read-only-root-filesystem",
  description: "Containers mount their root filesystem read-only where the image allows it.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type === TASK_DEFINITION_TYPE) {
      for (const container of ecsContainersOf(args.props) ?? []) {
        if (container.readonlyRootFilesystem !== true) reportViolation(`${args.props.family ?? args.name}: container "${container.name}" has a writable root filesystem.`);
      }
      return;
    }
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("no pod template or task definition");
    for (const { container } of containersOf(spec)) {
      if (container.securityContext?.readOnlyRootFilesystem !== true) {
        reportViolation(`${objectName(args.props)}: container "${container.name}" has a writable root filesystem.`);
      }
    }
  },
};
