/** Reading Kubernetes objects as policies see them: plain JSON of the object's manifest. */

export interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  volumeMounts?: { name: string; mountPath: string }[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}

const K8S = "kubernetes:";
/** Workload types whose pod template sits at spec.template (Pod and CronJob are handled below). */
const TEMPLATE_WORKLOADS = ["apps/v1:Deployment", "apps/v1:StatefulSet", "apps/v1:DaemonSet", "apps/v1:ReplicaSet", "batch/v1:Job"];
/** Workloads that run until replaced; Jobs run to completion and need no probes. */
const LONG_RUNNING = new Set(["apps/v1:Deployment", "apps/v1:StatefulSet", "apps/v1:DaemonSet", "apps/v1:ReplicaSet", "core/v1:Pod"]);

const kindOf = (type: string) => (type.startsWith(K8S) ? type.slice(K8S.length).split(":").slice(0, 2).join(":") : undefined);

/** The pod spec a workload runs, or undefined when the resource is no workload. */
export function podSpecOf(type: string, props: Record<string, any>): PodSpec | undefined {
  const kind = kindOf(type);
  if (!kind) return undefined;
  if (TEMPLATE_WORKLOADS.includes(kind)) return props.spec?.template?.spec ?? {};
  if (kind === "batch/v1:CronJob") return props.spec?.jobTemplate?.spec?.template?.spec ?? {};
  if (kind === "core/v1:Pod") return props.spec ?? {};
  return undefined;
}

export const isLongRunningWorkload = (type: string) => LONG_RUNNING.has(kindOf(type) ?? "");

export const isKubernetesType = (type: string, kind: string) => kindOf(type) === kind;

export interface ContainerOf {
  container: Container;
  init: boolean;
}

export function containersOf(spec: PodSpec): ContainerOf[] {
  return [
    ...(spec.initContainers ?? []).map((container) => ({ container, init: true })),
    ...(spec.containers ?? []).map((container) => ({ container, init: false })),
  ];
}

/** `namespace/name`, for messages that say which object is at fault. */
export function objectName(props: Record<string, any>): string {
  const metadata = props.metadata ?? {};
  return metadata.namespace ? `${metadata.namespace}/${metadata.name}` : String(metadata.name);
}

/** True when every `selector` label is among `labels` (an empty selector selects everything). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A full label selector (matchLabels and matchExpressions) applied to a pod's labels. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selects(selector?.matchLabels, labels)) return false;
  return (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In":
        return key in labels && values.includes(labels[key]);
      case "NotIn":
        return !(key in labels) || !values.includes(labels[key]);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
      default:
        return false;
    }
  });
}

/** The labels a workload's pods carry. */
export function podLabelsOf(type: string, props: Record<string, any>): Record<string, string> {
  if (isKubernetesType(type, "core/v1:Pod")) return props.metadata?.labels ?? {};
  if (isKubernetesType(type, "batch/v1:CronJob")) return props.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return props.spec?.template?.metadata?.labels ?? {};
}
