import { IMAGE_USERS, ecsUser } from "../../imageUsers";
import { awsLogs } from "./awsLogs";
import type { ContainerDefinition, LogTarget } from "./containerDefinitions";

/**
 * Least privilege for the containers the kit runs on Fargate, as close to the Kubernetes pods'
 * as ECS allows: a numeric non-root user, every Linux capability dropped, and a read-only root
 * filesystem with writable scratch directories mounted where the image must write.
 *
 * Fargate's scratch space is a bind mount that ECS creates owned by root with mode 0755
 * (aws/containers-roadmap#938), so a non-root user cannot write into it. A short init container,
 * the only root container of a task, opens the scratch directories (mode 1777, like /tmp) and
 * exits; the task's other containers start only once it has succeeded. It runs with no
 * capabilities and a read-only root: as the directories' owner it needs none to chmod them.
 */

export const SCRATCH_INIT_CONTAINER = "scratch-permissions";

/**
 * The label a container that runs as root carries, saying why; the policy pack accepts a root
 * container only with it, and only when the container is not essential to its task.
 */
export const RUNS_AS_ROOT_LABEL = "temporal-kit.dev/runs-as-root";

/** A writable directory on a read-only root filesystem: a task volume and where it is mounted. */
export interface ScratchDir {
  volume: string;
  path: string;
}

/** /tmp: where the kit's shell preludes write config files and certificates, and runtimes expect to write. */
export const SCRATCH_TMP: ScratchDir = { volume: "tmp", path: "/tmp" };


/** The image-declared users of the kit's own images; a worker's comes from its pool's `user`. */
export const ECS_USERS = {
  temporal: ecsUser(IMAGE_USERS.temporal),
  ui: ecsUser(IMAGE_USERS.ui),
} as const satisfies Record<string, string>;

export type HardenedFields = Required<Pick<ContainerDefinition, "user" | "readonlyRootFilesystem" | "linuxParameters" | "mountPoints" | "dependsOn">>;

/** Hardening for one container: runs as `user`, writes only into `scratch`, starts after the init container. */
export function hardening(user: string, scratch: ScratchDir[]): HardenedFields {
  return {
    user,
    readonlyRootFilesystem: true,
    linuxParameters: { capabilities: { drop: ["ALL"] } },
    mountPoints: scratch.map((dir) => ({ sourceVolume: dir.volume, containerPath: dir.path, readOnly: false })),
    dependsOn: [{ containerName: SCRATCH_INIT_CONTAINER, condition: "SUCCESS" }],
  };
}

/** The init container that makes `scratch` writable for the task's non-root containers. */
export function scratchInitContainer(image: string, scratch: ScratchDir[], log: LogTarget): ContainerDefinition {
  return {
    name: SCRATCH_INIT_CONTAINER,
    image,
    // Its work is done when it exits; the containers that need it wait for its success.
    essential: false,
    user: "0",
    readonlyRootFilesystem: true,
    linuxParameters: { capabilities: { drop: ["ALL"] } },
    entryPoint: ["chmod", "1777", ...scratch.map((dir) => dir.path)],
    environment: [],
    secrets: [],
    portMappings: [],
    mountPoints: scratch.map((dir) => ({ sourceVolume: dir.volume, containerPath: dir.path, readOnly: false })),
    dockerLabels: { [RUNS_AS_ROOT_LABEL]: "Fargate creates scratch volumes owned by root (mode 0755); opens them for the non-root containers, then exits" },
    // No memory of its own: it exits before the others start, and a hard limit here would count against the task's size.
    logConfiguration: awsLogs(log, SCRATCH_INIT_CONTAINER),
  };
}

/** Every scratch directory the given containers mount, once each. */
function scratchOf(containers: ContainerDefinition[]): ScratchDir[] {
  const byVolume = new Map<string, ScratchDir>();
  for (const mount of containers.flatMap((container) => (container.dependsOn?.some((dep) => dep.containerName === SCRATCH_INIT_CONTAINER) ? (container.mountPoints ?? []) : []))) {
    byVolume.set(mount.sourceVolume, { volume: mount.sourceVolume, path: mount.containerPath });
  }
  return [...byVolume.values()];
}

/**
 * A task's containers, with the init container when any of them waits for it. The init
 * container uses the Temporal server image: pinned by the kit, and it has `chmod` (a worker's own
 * image may have no shell tools at all).
 */
export function withScratchInit(containers: ContainerDefinition[], initImage: string, log: LogTarget): ContainerDefinition[] {
  const scratch = scratchOf(containers);
  // Order means nothing to ECS (dependsOn does): the task's own containers stay first, where readers look.
  return scratch.length ? [...containers, scratchInitContainer(initImage, scratch, log)] : containers;
}
