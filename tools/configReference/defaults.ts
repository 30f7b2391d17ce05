import { ENVIRONMENTS, type Environment } from "../../components/config/schema";
import { PERSISTENCE_PRESETS, PRESETS, awsPresetFor } from "../../components/config/presets";
import { AZURE_PRESETS, VISIBILITY_PRESETS } from "../../components/config/storePresets";
import { formatPath, type ConfigKey } from "./keys";

/**
 * Each environment's defaults as the config loader picks them (load.ts, presetFor): the
 * environment preset, the AWS presets of both AWS platforms, the Azure preset, and per union
 * branch the preset of the store kind a stack file picks.
 */
function presetRoot(environment: Environment): Record<string, unknown> {
  const eks = awsPresetFor(environment, "aws-eks");
  const ecs = awsPresetFor(environment, "aws-ecs");
  return { ...PRESETS[environment], aws: { ...eks, ...ecs }, azure: AZURE_PRESETS[environment] };
}

/** Presets kept per union branch; other unions take the branch the environment preset sits in. */
function branchPreset(environment: Environment, union: string, value: string): unknown {
  switch (union) {
    case "persistence":
    case "visibility.server":
      return PERSISTENCE_PRESETS[environment][value as keyof (typeof PERSISTENCE_PRESETS)[Environment]];
    case "visibility":
      return value === "sql-server" ? { store: "sql-server" } : VISIBILITY_PRESETS[environment][value as keyof (typeof VISIBILITY_PRESETS)[Environment]];
    default:
      return undefined;
  }
}

export type Defaults = Record<Environment, unknown>;

/** The key's default per environment; undefined where the preset leaves it unset. */
export function defaultsOf(key: ConfigKey): Defaults {
  return Object.fromEntries(ENVIRONMENTS.map((environment) => [environment, defaultIn(environment, key)])) as Defaults;
}

function defaultIn(environment: Environment, key: ConfigKey): unknown {
  let value: unknown = presetRoot(environment);
  for (let depth = 0; depth < key.path.length; depth++) {
    const segment = key.path[depth];
    if (segment === "[]") return undefined;
    value = isObject(value) ? value[segment] : undefined;
    const variant = key.variants.find((candidate) => candidate.union === formatPath(key.path.slice(0, depth + 1)));
    if (variant) {
      const own = branchPreset(environment, variant.union, variant.value);
      value = own ?? (isObject(value) && value[variant.discriminator] === variant.value ? value : undefined);
    }
  }
  return value;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
