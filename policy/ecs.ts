/** Reading ECS task definitions as policies see them. */

export interface EcsContainer {
  name: string;
  image?: string;
  environment?: { name: string; value?: string }[];
  secrets?: { name: string; valueFrom: string }[];
  memory?: number;
  memoryReservation?: number;
  healthCheck?: unknown;
  essential?: boolean;
  user?: string;
  readonlyRootFilesystem?: boolean;
  privileged?: boolean;
  linuxParameters?: { capabilities?: { add?: string[]; drop?: string[] } };
  dockerLabels?: Record<string, string>;
}

export const TASK_DEFINITION_TYPE = "aws:ecs/taskDefinition:TaskDefinition";
export const ECS_SERVICE_TYPE = "aws:ecs/service:Service";

/**
 * The container definitions of a task definition. The provider takes them as one JSON string;
 * before the string is known (a preview whose inputs are still outputs) there is nothing to read.
 */
export function ecsContainersOf(props: Record<string, any>): EcsContainer[] | undefined {
  const definitions = props.containerDefinitions;
  if (Array.isArray(definitions)) return definitions;
  if (typeof definitions !== "string") return undefined;
  try {
    const parsed = JSON.parse(definitions);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an ECS `user` ("name", "uid", "uid:gid", "name:group") is root, or unset and so the image's (unknown) user. */
export function runsAsRoot(user: string | undefined): boolean {
  if (user === undefined || user.trim() === "") return true;
  const name = user.split(":")[0].trim();
  return name === "0" || name === "root";
}
