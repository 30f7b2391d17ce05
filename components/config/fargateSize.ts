import type { ResourcesConfig } from "./schema";

/** A Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB. */
export interface FargateSize {
  cpu: number;
  memory: number;
}

/**
 * Fargate offers only these CPU sizes, each with its own memory range and step (MiB). Config holds
 * the table, like the other catalogs of what a cloud sells (rdsInstanceClasses.ts, azureSkus.ts), so
 * a task that fits no size fails in config, before any resource exists.
 */
const TIERS: { cpu: number; minMemory: number; maxMemory: number; step: number }[] = [
  { cpu: 256, minMemory: 512, maxMemory: 2048, step: 512 },
  { cpu: 512, minMemory: 1024, maxMemory: 4096, step: 1024 },
  { cpu: 1024, minMemory: 2048, maxMemory: 8192, step: 1024 },
  { cpu: 2048, minMemory: 4096, maxMemory: 16384, step: 1024 },
  { cpu: 4096, minMemory: 8192, maxMemory: 30720, step: 1024 },
  { cpu: 8192, minMemory: 16384, maxMemory: 61440, step: 4096 },
  { cpu: 16384, minMemory: 32768, maxMemory: 122880, step: 8192 },
];

const MEMORY_UNITS: Record<string, number> = {
  "": 1 / (1024 * 1024),
  k: 1000 / (1024 * 1024),
  M: 1e6 / (1024 * 1024),
  G: 1e9 / (1024 * 1024),
  T: 1e12 / (1024 * 1024),
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
};

/** A Kubernetes CPU quantity ("500m", "1", "1.5") in ECS CPU units. */
export function cpuUnits(quantity: string): number {
  const millis = /^([0-9.]+)m$/.exec(quantity);
  const cores = millis ? Number(millis[1]) / 1000 : Number(quantity);
  if (!Number.isFinite(cores) || cores <= 0) throw new Error(`cannot read CPU quantity ${quantity}`);
  return Math.ceil(cores * 1024);
}

/** A Kubernetes memory quantity ("512Mi", "2Gi", "1G") in MiB, rounded up. */
export function memoryMiB(quantity: string): number {
  const match = /^([0-9.]+)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  const factor = match ? MEMORY_UNITS[match[2] ?? ""] : undefined;
  if (!match || factor === undefined) throw new Error(`cannot read memory quantity ${quantity}`);
  return Math.ceil(Number(match[1]) * factor);
}

/**
 * The smallest Fargate size that holds a container sized like its Kubernetes counterpart: the CPU
 * request and the memory limit (the limit, because Fargate kills a task above its memory).
 */
export function fargateSize(resources: ResourcesConfig): FargateSize {
  const cpu = cpuUnits(resources.limits.cpu ?? resources.requests.cpu);
  const memory = memoryMiB(resources.limits.memory);
  const tier = TIERS.find((candidate) => candidate.cpu >= cpu && candidate.maxMemory >= memory);
  if (!tier) throw new Error(`no Fargate task size holds ${cpu} CPU units and ${memory} MiB`);
  const steps = Math.max(0, Math.ceil((memory - tier.minMemory) / tier.step));
  return { cpu: tier.cpu, memory: tier.minMemory + steps * tier.step };
}

/** Resources with room for a sidecar's hard memory limit on top, for sizing the Fargate task that holds both. */
export function withExtraMemory(resources: ResourcesConfig, mib: number): ResourcesConfig {
  return { ...resources, limits: { ...resources.limits, memory: `${memoryMiB(resources.limits.memory) + mib}Mi` } };
}
