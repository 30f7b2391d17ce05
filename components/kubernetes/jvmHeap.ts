import type { ResourcesConfig } from "../config/schema";

const MIB = 1024 * 1024;
const UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: MIB,
  Gi: 1024 * MIB,
  Ti: 1024 * 1024 * MIB,
};

/** A JVM heap size as the stack config spells it (512M, 4G), in MiB: the JVM reads M and G as binary. */
export function heapMebibytes(heapSize: string): number {
  const match = /^([1-9][0-9]*)([MG])$/.exec(heapSize);
  if (!match) throw new Error(`JVM heap size ${heapSize} must be a whole number of M or G, such as 512M or 4G`);
  return Number(match[1]) * (match[2] === "G" ? 1024 : 1);
}

/** A Kubernetes memory quantity (512Mi, 4Gi, 4G, 1e9) in bytes. */
export function memoryBytes(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(?:([kMGT]i?)|[eE]([0-9]+))?$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity} is not one this kit reads, such as 512Mi or 4Gi`);
  const [, number, unit, exponent] = match;
  return Number(number) * (exponent !== undefined ? 10 ** Number(exponent) : UNITS[unit ?? ""]);
}

/**
 * A JVM whose heap reaches the container's memory limit is OOM-killed as soon as it uses any memory
 * beside the heap (thread stacks, direct buffers, off-heap caches), so refuse that at deploy time.
 */
export function assertHeapFitsLimit(what: string, heapSize: string, resources: ResourcesConfig): void {
  if (heapMebibytes(heapSize) * MIB >= memoryBytes(resources.limits.memory)) {
    throw new Error(`${what}: the memory limit ${resources.limits.memory} must exceed the JVM heap ${heapSize}, with room for off-heap memory`);
  }
}
