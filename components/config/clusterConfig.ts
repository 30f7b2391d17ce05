import { parseStackConfig } from "./parse";
import type { Environment, StackConfig } from "./schema";

/**
 * Every key optional, down to the leaves; lists stay whole because a list in a stack file replaces
 * the preset's instead of patching it (config/merge.ts).
 */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * What a stack file's `temporal-kit:` keys would hold, as a typed object: the environment, which
 * picks the preset, and whatever the program overrides of it.
 */
export type ClusterConfigInput = { environment: Environment } & DeepPartial<Omit<StackConfig, "environment">>;

/**
 * The config a `TemporalCluster` takes, made from typed arguments instead of a stack file: the
 * environment's preset overlaid with `input` and validated by the same parser the stack-file program
 * uses, so an invalid key is refused with a StackConfigError naming it. `source` names where the
 * arguments come from in those messages.
 */
export function clusterConfig(input: ClusterConfigInput, source = "clusterConfig()"): StackConfig {
  return parseStackConfig(input as Record<string, unknown>, source);
}
