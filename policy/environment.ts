import type { PolicyConfigSchema, PolicyResource, StackValidationArgs } from "@pulumi/policy";

export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Lets a user name the environment when the stack does not say (or to check a stack as another). */
export const ENVIRONMENT_CONFIG: PolicyConfigSchema = {
  properties: { environment: { type: "string", enum: [...ENVIRONMENTS] } },
};

const STACK_TYPE = "pulumi:pulumi:Stack";
/** AWS tags allow `:` in keys, Azure tags do not; components/aws/tags.ts and components/azure/tags.ts. */
const ENVIRONMENT_TAGS = ["temporal-kit:environment", "temporal-kit-environment"];

const isEnvironment = (value: unknown): value is Environment => ENVIRONMENTS.includes(value as Environment);

/**
 * The environment a stack deploys, in order of trust: the policy's config, the stack's
 * `environment` output (every kit stack exports it), then the environment tag on any cloud
 * resource. A stack that says nothing is held to the production rules: a rule left out by a
 * missing label is worse than one applied too strictly.
 */
export function environmentOfStack(args: StackValidationArgs): Environment {
  const configured = args.getConfig<{ environment?: string }>().environment;
  if (isEnvironment(configured)) return configured;
  const stack = args.resources.find((resource) => resource.type === STACK_TYPE);
  if (isEnvironment(stack?.props.environment)) return stack.props.environment;
  for (const resource of args.resources) {
    const tagged = tagEnvironment(resource);
    if (tagged) return tagged;
  }
  return "production";
}

function tagEnvironment(resource: PolicyResource): Environment | undefined {
  const tags = resource.props.tags;
  if (!tags || typeof tags !== "object") return undefined;
  for (const key of ENVIRONMENT_TAGS) {
    if (isEnvironment(tags[key])) return tags[key];
  }
  return undefined;
}
