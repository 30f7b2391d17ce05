import type { Workload } from "./fit";
import { AKS_OVERLAY_DEFAULT_MAX_PODS, AKS_PLATFORM, EKS_PLATFORM, type NodePool, aksAllocatable, eksAllocatable } from "./nodes";
import { type PodSpecLike, podRequest } from "./requests";

/**
 * Reads a synthesized stack (the records `npm run synth` writes to resources.json: each resource's
 * type, inputs and dependencies) into what the capacity check takes: the workloads, and the nodes
 * the stack creates. Plain data in, plain data out; nothing here talks to a cloud.
 */

export interface RecordLike {
  urn: string;
  type: string;
  custom: boolean;
  dependsOn: string[];
  inputs: Record<string, unknown>;
}

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    replicas?: number;
    parallelism?: number;
    completions?: number;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string } };
    template?: { spec: PodSpecLike };
    jobTemplate?: { spec: { parallelism?: number; completions?: number; template: { spec: PodSpecLike } } };
  };
}

const WORKLOAD_TYPES: Record<string, string> = {
  "kubernetes:apps/v1:Deployment": "Deployment",
  "kubernetes:apps/v1:StatefulSet": "StatefulSet",
  "kubernetes:apps/v1:DaemonSet": "DaemonSet",
  "kubernetes:batch/v1:Job": "Job",
  "kubernetes:batch/v1:CronJob": "CronJob",
  "kubernetes:core/v1:Pod": "Pod",
};

const nameOf = (manifest: Manifest) => `${manifest.kind} ${manifest.metadata.namespace ? `${manifest.metadata.namespace}/` : ""}${manifest.metadata.name}`;

/**
 * A Deployment's surge: maxSurge as a count, or as a percentage of replicas rounded up, 25% when
 * the strategy leaves it out; none under Recreate (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge).
 */
export function deploymentSurge(replicas: number, strategy: Manifest["spec"]["strategy"]): number {
  if (strategy?.type === "Recreate" || replicas === 0) return 0;
  const maxSurge = strategy?.rollingUpdate?.maxSurge ?? "25%";
  if (typeof maxSurge === "number") return maxSurge;
  const percent = /^([0-9]+)%$/.exec(maxSurge);
  if (!percent) throw new Error(`maxSurge ${maxSurge} is neither a count nor a percentage`);
  return Math.ceil((replicas * Number(percent[1])) / 100);
}

const jobPods = (spec: { parallelism?: number; completions?: number }) => Math.min(spec.parallelism ?? 1, spec.completions ?? Infinity);

/** One workload from its manifest, without its ordering. */
export function workloadOf(manifest: Manifest): Omit<Workload, "after"> {
  const name = nameOf(manifest);
  const spec = manifest.spec;
  switch (manifest.kind) {
    case "Deployment": {
      const replicas = spec.replicas ?? 1;
      return { name, pod: podRequest(spec.template!.spec), replicas, transient: deploymentSurge(replicas, spec.strategy) };
    }
    case "StatefulSet":
      // A StatefulSet replaces a pod in place (delete, then create), so it never runs more than its replicas.
      return { name, pod: podRequest(spec.template!.spec), replicas: spec.replicas ?? 1, transient: 0 };
    case "DaemonSet":
      return { name, pod: podRequest(spec.template!.spec), replicas: 1, transient: 0, perNode: true };
    case "Job":
      // A Job's pods are done once it completes; they count only while it runs.
      return { name, pod: podRequest(spec.template!.spec), replicas: 0, transient: jobPods(spec) };
    case "CronJob":
      return { name, pod: podRequest(spec.jobTemplate!.spec.template.spec), replicas: 0, transient: jobPods(spec.jobTemplate!.spec) };
    case "Pod":
      return { name, pod: podRequest(spec as PodSpecLike), replicas: 1, transient: 0 };
    default:
      throw new Error(`${name}: not a workload kind the capacity model reads`);
  }
}

interface Autoscaler {
  metadata: { namespace?: string };
  spec: { maxReplicas: number; scaleTargetRef: { kind: string; name: string } };
}

/** The most pods a HorizontalPodAutoscaler may scale each workload it targets to, by workload name. */
function autoscalerCeilings(records: RecordLike[]): Map<string, number> {
  const ceilings = new Map<string, number>();
  for (const record of records.filter((candidate) => candidate.custom && /^kubernetes:autoscaling\/v\d+:HorizontalPodAutoscaler$/.test(candidate.type))) {
    const autoscaler = record.inputs as unknown as Autoscaler;
    const target = autoscaler.spec.scaleTargetRef;
    ceilings.set(nameOf({ kind: target.kind, metadata: { name: target.name, namespace: autoscaler.metadata.namespace }, spec: {} }), autoscaler.spec.maxReplicas);
  }
  return ceilings;
}

/**
 * Every workload the stack renders, each with the workloads Pulumi finishes before it changes: those
 * it depends on, directly or through any other resource (a worker pool waits for its namespace's
 * registration Job, which waits for every role). A workload a HorizontalPodAutoscaler scales counts
 * at the autoscaler's maximum: the nodes must hold the pods the autoscaler may ask for, and a
 * rollout may start while it has.
 */
export function workloadsOf(records: RecordLike[]): Workload[] {
  const byUrn = new Map(records.map((record) => [record.urn, record]));
  const workloadRecords = records.filter((record) => record.custom && WORKLOAD_TYPES[record.type]);
  const workloadName = new Map(workloadRecords.map((record) => [record.urn, nameOf(record.inputs as unknown as Manifest)]));
  const ancestors = new Map<string, Set<string>>();
  const ancestorsOf = (urn: string): Set<string> => {
    const known = ancestors.get(urn);
    if (known) return known;
    const found = new Set<string>();
    ancestors.set(urn, found);
    for (const dependency of byUrn.get(urn)?.dependsOn ?? []) {
      if (workloadName.has(dependency)) found.add(dependency);
      for (const earlier of ancestorsOf(dependency)) found.add(earlier);
    }
    return found;
  };
  const ceilings = autoscalerCeilings(records);
  return workloadRecords.map((record) => {
    const manifest = record.inputs as unknown as Manifest;
    const ceiling = ceilings.get(nameOf(manifest));
    const scaled = ceiling === undefined ? manifest : { ...manifest, spec: { ...manifest.spec, replicas: Math.max(manifest.spec.replicas ?? 1, ceiling) } };
    return { ...workloadOf(scaled), after: [...ancestorsOf(record.urn)].map((urn) => workloadName.get(urn)!) };
  });
}

/** The nodes a stack declares, or why it has none the kit can check. */
export type DeclaredNodes = { kind: "nodes"; pool: NodePool } | { kind: "plain-kubernetes" } | { kind: "none"; reason: string };

export function declaredNodes(records: RecordLike[]): DeclaredNodes {
  const ofType = (type: string) => records.filter((record) => record.type === type);
  if (ofType("aws:ecs/cluster:Cluster").length > 0) {
    return { kind: "none", reason: "ECS Fargate runs each task on capacity of the task's own size: there are no nodes to fit (the config check holds every task to a Fargate size)" };
  }
  const nodeGroups = ofType("aws:eks/nodeGroup:NodeGroup");
  if (nodeGroups.length > 1) throw new Error("the capacity model reads one EKS node group; this stack has several");
  if (nodeGroups.length === 1) {
    const inputs = nodeGroups[0].inputs as { instanceTypes: string[]; scalingConfig: { desiredSize: number } };
    // The group may launch any of its types: the smallest is the one to fit.
    const [smallest] = inputs.instanceTypes
      .map((type) => ({ type, allocatable: eksAllocatable(type) }))
      .sort((a, b) => a.allocatable.cpu - b.allocatable.cpu || a.allocatable.memory - b.allocatable.memory);
    // No cluster autoscaler runs on the kit's EKS clusters: the desired size is what there is.
    return { kind: "nodes", pool: { label: `${inputs.scalingConfig.desiredSize} × ${smallest.type} (EKS node group)`, count: inputs.scalingConfig.desiredSize, allocatable: smallest.allocatable, platform: EKS_PLATFORM } };
  }
  const clusters = ofType("azure-native:containerservice:ManagedCluster");
  if (clusters.length === 1) {
    const pools = clusters[0].inputs.agentPoolProfiles as { vmSize: string; count: number; maxPods?: number }[];
    if (pools.length !== 1) throw new Error("the capacity model reads one AKS node pool; this cluster has several");
    const [pool] = pools;
    // The autoscaler adds nodes only after a pod has waited; the kit checks the nodes a deployment starts with.
    return {
      kind: "nodes",
      pool: { label: `${pool.count} × ${pool.vmSize} (AKS node pool)`, count: pool.count, allocatable: aksAllocatable(pool.vmSize, pool.maxPods ?? AKS_OVERLAY_DEFAULT_MAX_PODS), platform: AKS_PLATFORM },
    };
  }
  if (ofType("temporal-kit:aws:EksCluster").length > 0 || ofType("temporal-kit:azure:AksCluster").length > 0) {
    return { kind: "none", reason: "an existing cluster the kit looks up: its nodes are not the kit's to size" };
  }
  return { kind: "plain-kubernetes" };
}
