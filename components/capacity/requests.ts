import { mebibytes } from "../temporal/sizing";

/** CPU in millicores and memory in MiB: what the scheduler adds up. */
export interface Resources {
  cpu: number;
  memory: number;
}

export const ZERO: Resources = { cpu: 0, memory: 0 };

export const add = (a: Resources, b: Resources): Resources => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });
export const subtract = (a: Resources, b: Resources): Resources => ({ cpu: a.cpu - b.cpu, memory: a.memory - b.memory });
export const times = (a: Resources, n: number): Resources => ({ cpu: a.cpu * n, memory: a.memory * n });
export const max = (a: Resources, b: Resources): Resources => ({ cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) });
export const fitsIn = (pod: Resources, free: Resources): boolean => pod.cpu <= free.cpu && pod.memory <= free.memory;
export const sum = (all: Resources[]): Resources => all.reduce(add, ZERO);

/** A Kubernetes CPU quantity (100m, 1, 0.5, 2000m) in millicores; undefined for a form this model does not read. */
export function millicores(quantity: string | number): number | undefined {
  if (typeof quantity === "number") return quantity * 1000;
  const match = /^([0-9]+(?:\.[0-9]+)?)(m)?$/.exec(quantity);
  if (!match) return undefined;
  return match[2] ? Number(match[1]) : Number(match[1]) * 1000;
}

interface ContainerLike {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
}

export interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: Record<string, string | number>;
}

/**
 * One container's request. A container that sets a limit but no request gets the limit as its
 * request (the API server's defaulting), and one that sets neither asks for nothing.
 */
export function containerRequest(container: ContainerLike): Resources {
  const pick = (resource: "cpu" | "memory") => container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
  const cpu = pick("cpu");
  const memory = pick("memory");
  const cpuMillis = cpu === undefined ? 0 : millicores(cpu);
  const memoryMiB = memory === undefined ? 0 : mebibytes(String(memory));
  if (cpuMillis === undefined || memoryMiB === undefined) {
    throw new Error(`container ${container.name ?? "(unnamed)"}: cannot read its requests ${JSON.stringify(container.resources)}`);
  }
  return { cpu: cpuMillis, memory: memoryMiB };
}

/**
 * The request the scheduler places a pod by, per Kubernetes' rule for init containers and sidecars
 * (https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 * and https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers,
 * read 2026-12-03): init containers run one at a time, each beside the sidecars (init containers
 * with `restartPolicy: Always`) started before it, so the init phase needs the largest of those
 * sums; the pod then needs the larger of that and its app containers plus every sidecar, plus the
 * RuntimeClass overhead if the spec carries one. Per resource, independently.
 */
export function podRequest(spec: PodSpecLike): Resources {
  let sidecars = ZERO;
  let initPhase = ZERO;
  for (const container of spec.initContainers ?? []) {
    const request = containerRequest(container);
    if (container.restartPolicy === "Always") {
      sidecars = add(sidecars, request);
      initPhase = max(initPhase, sidecars);
    } else {
      initPhase = max(initPhase, add(request, sidecars));
    }
  }
  const running = add(sum((spec.containers ?? []).map(containerRequest)), sidecars);
  const overhead = spec.overhead ? containerRequest({ name: "overhead", resources: { requests: spec.overhead } }) : ZERO;
  return add(max(initPhase, running), overhead);
}

/** 1,930m CPU / 6.60 GiB: for messages a reader compares with `kubectl describe node`. */
export function describe(resources: Resources): string {
  const cpu = `${Math.round(resources.cpu).toLocaleString("en-US")}m CPU`;
  const memory = resources.memory >= 1024 ? `${(resources.memory / 1024).toFixed(2)} GiB` : `${Math.round(resources.memory)} MiB`;
  return `${cpu} / ${memory}`;
}
