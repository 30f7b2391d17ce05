import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ENVIRONMENT_CONFIG, Environment, environmentOfStack } from "./environment";

export interface StackRule {
  name: string;
  description: string;
  environments: readonly Environment[];
  check(resources: PolicyResource[], reportViolation: ReportViolation, environment: Environment): void;
}

/** A stack policy that runs only in the given environments and says so when it does not apply. */
export function stackPolicy(rule: StackRule): StackValidationPolicy & { environments: readonly Environment[] } {
  return {
    name: rule.name,
    description: rule.description,
    environments: rule.environments,
    configSchema: ENVIRONMENT_CONFIG,
    validateStack: (args: StackValidationArgs, reportViolation) => {
      const environment = environmentOfStack(args);
      if (!rule.environments.includes(environment)) args.notApplicable(`applies to ${rule.environments.join(", ")}, not ${environment}`);
      rule.check(args.resources, reportViolation, environment);
    },
  };
}

export const ofType = (resources: PolicyResource[], type: string) => resources.filter((resource) => resource.type === type);
