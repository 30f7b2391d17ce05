import { ENVIRONMENTS, type Environment } from "../../components/config/schema";
import { presetFor } from "../../components/config/presets";
import { formatPath, type ConfigKey } from "./keys";

/**
 * Each environment's defaults through the one lookup the config loader uses (presetFor): the
 * environment's own, with the AWS defaults of both AWS platforms and the Azure defaults beside it.
 */
function presetRoot(environment: Environment): Record<string, unknown> {
  const eks = presetFor(environment, "aws-eks").config.aws;
  const ecs = presetFor(environment, "aws-ecs").config.aws;
  return { ...presetFor(environment).config, aws: { ...eks, ...ecs }, azure: presetFor(environment, "azure-aks").config.azure };
}

/** The defaults of a union branch a stack file picks; other unions take the branch the environment preset sits in. */
function branchPreset(environment: Environment, union: string, value: string): unknown {
  // A visibility server of its own has its defaults under visibility.server, by that server's hosting.
  if (union === "visibility" && value === "sql-server") return { store: "sql-server" };
  return presetFor(environment).branches[union]?.[value];
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
