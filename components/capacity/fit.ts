import type { NodePool, PlatformPod } from "./nodes";
import { type Resources, add, describe, fitsIn, subtract, sum, times } from "./requests";

/**
 * Whether a stack's pods fit its nodes, at rest and while it changes: the question Pulumi's mocks
 * cannot answer, and the one that turns a config change into a rollout that hangs on a Pending pod.
 *
 * Each workload has pods that always run (`replicas`) and pods that exist only while it changes
 * (`transient`: a Deployment's rolling-update surge, a Job's pods while it runs). Two workloads
 * change at the same time unless one only starts after the other has finished (`after`: Pulumi
 * updates a resource only once everything it depends on is done, and waits for rollouts and Jobs).
 * So the worst moments are the sets of workloads none of which waits for another; the check places
 * the steady pods and then each such set's extra pods, and a stack fits when every pod finds a node.
 *
 * Placement is per node, since a pod must fit on one: the platform's pods first, then the kit's,
 * largest first, each on the node with the most room left (kube-scheduler's default scoring leans
 * that way, NodeResourcesFit LeastAllocated), and the changing workloads' extra pods on top without
 * moving anything, as the scheduler never moves a running pod.
 */

export interface Workload {
  /** "Deployment temporal/temporal-history". */
  name: string;
  /** One pod's effective request. */
  pod: Resources;
  /** Pods that run all the time (on every node, for a DaemonSet). */
  replicas: number;
  /** Extra pods while it rolls out or runs. */
  transient: number;
  /** A DaemonSet: one pod on every node. */
  perNode?: boolean;
  /** Names of workloads that must be done before this one starts changing. */
  after: string[];
}

export interface CapacityInput {
  nodes: NodePool;
  workloads: Workload[];
}

export interface Unplaced {
  pod: string;
  request: Resources;
}

export interface ScenarioResult {
  /** The workloads changing at once; empty for the steady state. */
  changing: string[];
  fits: boolean;
  unplaced: Unplaced[];
  /** All requests of the scenario, platform pods included. */
  requested: Resources;
  /** Largest free CPU and largest free memory left on any one node after placement. */
  mostRoom: Resources;
}

export interface CapacityReport {
  fits: boolean;
  nodes: NodePool;
  /** One node's room for the platform's cluster pods and the kit's, after the platform's node agents and the kit's DaemonSets. */
  perNode: Resources;
  steady: ScenarioResult;
  changes: ScenarioResult[];
  /** What to tell someone reading a failure. */
  problems: string[];
}

interface Pod {
  name: string;
  request: Resources;
}

const expand = (name: string, request: Resources, count: number): Pod[] => Array.from({ length: count }, (_, index) => ({ name: count > 1 ? `${name} #${index + 1}` : name, request }));
const platformPods = (pods: PlatformPod[]): Pod[] => pods.flatMap((pod) => expand(pod.name, pod.request, pod.count));

/** Every workload's transitive `after`, so "X after Y after Z" makes X wait for Z too. */
function closeAfter(workloads: Workload[]): Map<string, Set<string>> {
  const byName = new Map(workloads.map((workload) => [workload.name, workload]));
  const closed = new Map<string, Set<string>>();
  const visit = (name: string, trail: Set<string>): Set<string> => {
    const known = closed.get(name);
    if (known) return known;
    if (trail.has(name)) throw new Error(`workloads wait for each other in a cycle through ${name}`);
    const before = new Set<string>();
    for (const dependency of byName.get(name)?.after ?? []) {
      before.add(dependency);
      for (const earlier of visit(dependency, new Set([...trail, name]))) before.add(earlier);
    }
    closed.set(name, before);
    return before;
  };
  workloads.forEach((workload) => visit(workload.name, new Set()));
  return closed;
}

/**
 * The largest sets of changing workloads none of which waits for another (maximal antichains of the
 * `after` order), by Bron–Kerbosch on the "may run together" graph. The kit's stacks have a dozen
 * such workloads at most.
 */
export function concurrentChanges(workloads: Workload[]): string[][] {
  const changing = workloads.filter((workload) => workload.transient > 0 && !workload.perNode).map((workload) => workload.name);
  const before = closeAfter(workloads);
  const together = (a: string, b: string) => a !== b && !before.get(a)!.has(b) && !before.get(b)!.has(a);
  const sets: string[][] = [];
  const grow = (chosen: string[], candidates: string[], excluded: string[]) => {
    if (candidates.length === 0 && excluded.length === 0) {
      sets.push(chosen);
      return;
    }
    let remaining = [...candidates];
    let done = [...excluded];
    for (const name of candidates) {
      grow(
        [...chosen, name],
        remaining.filter((other) => together(name, other)),
        done.filter((other) => together(name, other)),
      );
      remaining = remaining.filter((other) => other !== name);
      done = [...done, name];
    }
  };
  if (changing.length > 0) grow([], changing, []);
  return sets;
}

/** How large a pod is next to a node: its larger share of the node's CPU or memory. */
const share = (request: Resources, node: Resources) => Math.max(node.cpu > 0 ? request.cpu / node.cpu : Infinity, node.memory > 0 ? request.memory / node.memory : Infinity);

/** Places pods onto nodes' free room, in place; returns the pods that found no node. */
function place(pods: Pod[], free: Resources[], capacity: Resources): Unplaced[] {
  const unplaced: Unplaced[] = [];
  const ordered = [...pods].sort((a, b) => share(b.request, capacity) - share(a.request, capacity) || a.name.localeCompare(b.name));
  for (const pod of ordered) {
    let best = -1;
    let bestScore = -Infinity;
    free.forEach((room, index) => {
      if (!fitsIn(pod.request, room)) return;
      // LeastAllocated: the mean free fraction left after placing the pod.
      const score = ((room.cpu - pod.request.cpu) / capacity.cpu + (room.memory - pod.request.memory) / capacity.memory) / 2;
      if (score > bestScore) {
        best = index;
        bestScore = score;
      }
    });
    if (best === -1) unplaced.push({ pod: pod.name, request: pod.request });
    else free[best] = subtract(free[best], pod.request);
  }
  return unplaced;
}

function scenario(changing: string[], steady: Pod[], workloads: Workload[], perNode: Resources, count: number): ScenarioResult {
  const free = Array.from({ length: count }, () => ({ ...perNode }));
  const unplaced = place(steady, free, perNode);
  const extra = workloads
    .filter((workload) => changing.includes(workload.name))
    .flatMap((workload) => expand(`${workload.name} (while it changes)`, workload.pod, workload.transient));
  unplaced.push(...place(extra, free, perNode));
  const requested = sum([...steady, ...extra].map((pod) => pod.request));
  const mostRoom = free.reduce((most, room) => ({ cpu: Math.max(most.cpu, room.cpu), memory: Math.max(most.memory, room.memory) }), { cpu: -Infinity, memory: -Infinity });
  return { changing, fits: unplaced.length === 0, unplaced, requested, mostRoom };
}

export function checkCapacity({ nodes, workloads }: CapacityInput): CapacityReport {
  const daemonSets = workloads.filter((workload) => workload.perNode);
  const nodeAgents = add(
    sum(nodes.platform.perNode.map((pod) => times(pod.request, pod.count))),
    sum(daemonSets.map((workload) => times(workload.pod, workload.replicas))),
  );
  const perNode = subtract(nodes.allocatable, nodeAgents);
  const problems: string[] = [];
  if (perNode.cpu < 0 || perNode.memory < 0) {
    problems.push(`${nodes.label}: the node agents alone (${describe(nodeAgents)}) exceed a node's allocatable ${describe(nodes.allocatable)}`);
  }
  const steadyPods = [
    ...platformPods(nodes.platform.cluster),
    ...workloads.filter((workload) => !workload.perNode).flatMap((workload) => expand(workload.name, workload.pod, workload.replicas)),
  ];
  const steady = scenario([], steadyPods, workloads, perNode, nodes.count);
  const changes = concurrentChanges(workloads).map((changing) => scenario(changing, steadyPods, workloads, perNode, nodes.count));

  const room = `${nodes.label}: each node has ${describe(perNode)} for pods after the platform's reservations and node agents`;
  if (!steady.fits) {
    problems.push(`${room}; at rest, ${unplacedText(steady)} (requests ${describe(steady.requested)} in all)`);
  } else {
    for (const change of changes.filter((result) => !result.fits)) {
      problems.push(`${room}; while ${change.changing.join(" and ")} change${change.changing.length === 1 ? "s" : ""}, ${unplacedText(change)} (requests ${describe(change.requested)} in all)`);
    }
  }
  return { fits: problems.length === 0, nodes, perNode, steady, changes, problems };
}

function unplacedText(result: ScenarioResult): string {
  const pods = result.unplaced.map((pod) => `${pod.pod} (${describe(pod.request)})`);
  const most = `the most left on any node is ${describe({ cpu: Math.max(0, result.mostRoom.cpu), memory: Math.max(0, result.mostRoom.memory) })}`;
  return `${pods.join(", ")} ${pods.length === 1 ? "finds" : "find"} no node: ${most}`;
}
