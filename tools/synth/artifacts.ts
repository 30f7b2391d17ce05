import { stringify } from "yaml";
import type { ResourceRecord } from "./recorder";

import { RENDERED_CONFIG_LABEL } from "../../components/temporal/roles";

type KubernetesObject = { apiVersion: string; kind: string; metadata?: { name?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

/** Every Kubernetes object the program registered, as it would be applied. */
export function kubernetesObjects(resources: ResourceRecord[], inputsOf: (record: ResourceRecord) => Record<string, unknown> = (record) => record.inputs): KubernetesObject[] {
  return resources
    .filter((record) => record.custom && record.type.startsWith("kubernetes:"))
    .map((record) => inputsOf(record) as KubernetesObject);
}

export function kubernetesYaml(objects: KubernetesObject[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join("---\n");
}

/** Temporal's own config files, taken from the ConfigMaps that carry them. */
export function temporalFiles(objects: KubernetesObject[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const object of objects) {
    if (object.kind !== "ConfigMap" || !object.metadata?.labels?.[RENDERED_CONFIG_LABEL]) continue;
    Object.assign(files, object.data as Record<string, string>);
  }
  return files;
}

/** Container definitions of every ECS task definition, by task family. */
export function ecsTaskDefinitions(resources: ResourceRecord[]): Record<string, EcsContainer[]> {
  return Object.fromEntries(
    resources
      .filter((record) => record.type === "aws:ecs/taskDefinition:TaskDefinition")
      .map((record) => [String(record.inputs.family), JSON.parse(String(record.inputs.containerDefinitions)) as EcsContainer[]]),
  );
}

type EcsContainer = { name: string; environment?: { name: string; value: string }[] } & Record<string, unknown>;

/** Files an ECS container receives as base64 variables (see components/aws/ecs/bootstrap.ts). */
const ECS_FILE_VARIABLES: Record<string, string> = {
  TEMPORAL_KIT_SERVER_CONFIG_B64: "temporal.yaml",
};

/** Temporal's config files as the ECS tasks write them out; every role carries the same. */
export function ecsTemporalFiles(taskDefinitions: Record<string, EcsContainer[]>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const container of Object.values(taskDefinitions).flat()) {
    for (const variable of container.environment ?? []) {
      const file = ECS_FILE_VARIABLES[variable.name];
      if (file) files[file] = Buffer.from(variable.value, "base64").toString("utf8");
    }
  }
  return files;
}

/** Files ECS tasks fetch at run time from a Parameter Store parameter tagged with the file's name. */
export function ecsParameterFiles(resources: ResourceRecord[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const record of resources.filter((resource) => resource.type === "aws:ssm/parameter:Parameter")) {
    const file = (record.inputs.tags as Record<string, string> | undefined)?.[RENDERED_CONFIG_LABEL];
    if (file) files[file] = String(record.inputs.insecureValue);
  }
  return files;
}

/** The component tree, each component with the number of resources beneath it. */
export function resourceTree(resources: ResourceRecord[]): string {
  const children = new Map<string | null, ResourceRecord[]>();
  for (const record of resources) {
    const siblings = children.get(record.parent) ?? [];
    siblings.push(record);
    children.set(record.parent, siblings);
  }
  const count = (record: ResourceRecord): number =>
    (children.get(record.urn) ?? []).reduce((sum, child) => sum + 1 + count(child), 0);

  const lines: string[] = [];
  const walk = (record: ResourceRecord, prefix: string, isLast: boolean, isRoot: boolean) => {
    const below = count(record);
    const label = `${record.type} ${record.name}${record.custom ? "" : ` (${below} resource${below === 1 ? "" : "s"})`}`;
    lines.push(isRoot ? label : `${prefix}${isLast ? "└─ " : "├─ "}${label}`);
    const kids = children.get(record.urn) ?? [];
    const childPrefix = isRoot ? "" : `${prefix}${isLast ? "   " : "│  "}`;
    kids.forEach((kid, index) => walk(kid, childPrefix, index === kids.length - 1, false));
  };
  for (const root of children.get(null) ?? []) walk(root, "", true, true);
  return lines.join("\n");
}
