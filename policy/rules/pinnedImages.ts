import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TASK_DEFINITION_TYPE, ecsContainersOf } from "../ecs";
import { containersOf, objectName, podSpecOf } from "../kubernetes";

/** Why an image reference is not pinned, or undefined when it is (a tag other than latest, or a digest). */
export function unpinnedReason(image: string | undefined): string | undefined {
  if (!image) return "has no image";
  if (image.includes("@sha256:")) return undefined;
  // The tag follows the last colon after the last slash; a colon before it is a registry port.
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return `uses image "${image}" without a tag`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === "" || tag === "latest") return `uses image "${image}" with the floating tag "latest"`;
  return undefined;
}

export const pinnedImages: ResourceValidationPolicy = {
  name: "pinned-images",
  description: "Every container image is pinned to a version tag or digest (no `:latest`, no tagless image).",
  validateResource: (args, reportViolation) => {
    const spec = podSpecOf(args.type, args.props);
    if (spec) {
      for (const { container } of containersOf(spec)) {
        const reason = unpinnedReason(container.image);
        if (reason) reportViolation(`${objectName(args.props)}: container "${container.name}" ${reason}.`);
      }
      return;
    }
    if (args.type === TASK_DEFINITION_TYPE) {
      for (const container of ecsContainersOf(args.props) ?? []) {
        const reason = unpinnedReason(container.image);
        if (reason) reportViolation(`task ${args.props.family}: container "${container.name}" ${reason}.`);
      }
      return;
    }
    return args.notApplicable("no container images");
  },
};
