/**
 * How many history shards each history pod holds, and the memory that takes.
 *
 * The rule of thumb, in numbers a reader can check:
 * - A history pod keeps per-shard state in memory: the shard's events cache
 *   (`history.eventsCacheMaxSizeBytes`, 512 KiB by default), its task queue readers and the
 *   shard context. The kit budgets {@link MEMORY_PER_SHARD_MIB} for all of that per shard.
 * - On top, every pod needs {@link BASE_MEMORY_MIB} for the Go runtime, gRPC and the host-level
 *   mutable state cache's working set.
 * - Shards are spread evenly over the history pods; when one pod is down (a drain, which the
 *   PodDisruptionBudget allows one at a time, or a crash) its shards move to the others, so every
 *   pod must hold `shards / (replicas - 1)` shards, not just `shards / replicas`.
 *
 * Checked against Temporal's "Scaling Temporal: The Basics": 512 shards on two history pods of
 * 1 GiB ran; with one of them down the survivor holds all 512: 256 + 512 x 1.5 = 1,024 MiB, the
 * limit exactly. The production preset (512 shards, 3 pods of 4 GiB) needs 640 MiB each.
 *
 * History does not autoscale: every change in its pod count moves shards between pods (each
 * move closes and reloads the shard's state and pauses its workflows for a moment), so a CPU-driven
 * autoscaler would reshuffle shards at the very moment the cluster is busiest.
 */

export const BASE_MEMORY_MIB = 256;
export const MEMORY_PER_SHARD_MIB = 1.5;

export interface HistorySizing {
  /** Shards per pod with every pod up. */
  shardsPerPod: number;
  /** Shards per pod with one pod down (all of them when there is a single pod). */
  shardsPerPodOnePodDown: number;
  /** Memory a history pod needs to hold `shardsPerPodOnePodDown` shards, in MiB. */
  memoryNeededMiB: number;
}

export function historySizing(numHistoryShards: number, historyReplicas: number): HistorySizing {
  const survivors = Math.max(1, historyReplicas - 1);
  const shardsPerPodOnePodDown = Math.ceil(numHistoryShards / survivors);
  return {
    shardsPerPod: Math.ceil(numHistoryShards / historyReplicas),
    shardsPerPodOnePodDown,
    memoryNeededMiB: Math.ceil(BASE_MEMORY_MIB + shardsPerPodOnePodDown * MEMORY_PER_SHARD_MIB),
  };
}

/** The fewest history pods whose memory limit holds the shards with one pod down; undefined if none does. */
export function historyReplicasFor(numHistoryShards: number, memoryLimitMiB: number): number | undefined {
  const shardsThatFit = Math.floor((memoryLimitMiB - BASE_MEMORY_MIB) / MEMORY_PER_SHARD_MIB);
  if (shardsThatFit < 1) return undefined;
  const survivorsNeeded = Math.ceil(numHistoryShards / shardsThatFit);
  return survivorsNeeded === 1 ? 1 : survivorsNeeded + 1;
}

/** A problem with the history role's size, in words that say what to set. */
export interface SizingProblem {
  path: string[];
  given: number | string;
  message: string;
}

export function historySizingProblems(numHistoryShards: number, historyReplicas: number, memoryLimit: string): SizingProblem[] {
  if (historyReplicas > numHistoryShards) {
    return [
      {
        path: ["roles", "history", "replicas"],
        given: historyReplicas,
        message: `must be at most temporal.numHistoryShards (${numHistoryShards}): a history pod without a shard does no work`,
      },
    ];
  }
  const limitMiB = mebibytes(memoryLimit);
  if (limitMiB === undefined) return [];
  const sizing = historySizing(numHistoryShards, historyReplicas);
  if (sizing.memoryNeededMiB <= limitMiB) return [];
  const replicas = historyReplicasFor(numHistoryShards, limitMiB);
  const holding =
    historyReplicas === 1
      ? `on 1 history pod: it holds all ${numHistoryShards}`
      : `on ${historyReplicas} history pods: with one pod down each of the others holds ${sizing.shardsPerPodOnePodDown}`;
  const otherFix = replicas !== undefined && replicas <= numHistoryShards ? ` or roles.history.replicas to ${replicas}` : "";
  return [
    {
      path: ["roles", "history", "resources", "limits", "memory"],
      given: memoryLimit,
      message:
        `must be at least ${sizing.memoryNeededMiB}Mi for ${numHistoryShards} shards ${holding}, ` +
        `at ${BASE_MEMORY_MIB}Mi + ${MEMORY_PER_SHARD_MIB}Mi per shard; set it to ${sizing.memoryNeededMiB}Mi${otherFix}`,
    },
  ];
}

const MIB_PER_UNIT: Record<string, number> = {
  "": 1 / (1024 * 1024),
  k: 1e3 / (1024 * 1024),
  M: 1e6 / (1024 * 1024),
  G: 1e9 / (1024 * 1024),
  T: 1e12 / (1024 * 1024),
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
};

/** A Kubernetes memory quantity (512Mi, 4Gi, 4G) in MiB; undefined for a form the config check reports elsewhere. */
export function mebibytes(quantity: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * MIB_PER_UNIT[match[2] ?? ""];
}

/**
 * GOMEMLIMIT for a Temporal server container: the Go runtime otherwise sizes its heap by GOGC alone,
 * never looking at the container's limit, and is OOM-killed before it collects harder. 90% of the
 * limit leaves the rest for what the Go heap does not count (stacks, the runtime, cgo-free mmaps).
 * Whole MiB, in the unit syntax GOMEMLIMIT reads (runtime/debug.SetMemoryLimit).
 */
export function goMemoryLimit(memoryLimit: string): string | undefined {
  const limitMiB = mebibytes(memoryLimit);
  return limitMiB === undefined ? undefined : `${Math.floor(limitMiB * 0.9)}MiB`;
}

/** The GOMEMLIMIT variable for a server container, as every platform sets it. */
export function goMemoryLimitEnv(memoryLimit: string): { name: string; value: string }[] {
  const limit = goMemoryLimit(memoryLimit);
  return limit ? [{ name: "GOMEMLIMIT", value: limit }] : [];
}
