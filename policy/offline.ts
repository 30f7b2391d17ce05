import type {
  EnforcementLevel,
  Policies,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

const STACK_TYPE = "pulumi:pulumi:Stack";

/** What the engine would show for one violation. */
export interface Violation {
  policyName: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  urn?: string;
}

export interface OfflineReport {
  violations: Violation[];
  /** Rules that declared themselves not applicable, with the resource (or the stack) and why. */
  notApplicable: { policyName: string; urn?: string; reason?: string }[];
}

/**
 * One resource of `resources.json`, as far as the engine's policy arguments need it. The pack says
 * what it reads rather than importing the synth's recorder: the engine loads the pack without the
 * kit's tools.
 */
export interface SynthesizedResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  dependsOn: string[];
  inputs: Record<string, unknown>;
}

/** A synthesized stack: `resources.json` and `outputs.json` of `npm run synth`. */
export interface SynthesizedStack {
  resources: SynthesizedResource[];
  outputs: Record<string, unknown>;
}

export interface OfflineOptions {
  /** Per-policy config, shaped as for `pulumi preview --policy-pack-config`. */
  config?: PolicyPackConfig;
  /** The pack's default level, as index.ts gives it. */
  enforcementLevel?: EnforcementLevel;
}

class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

const isStackPolicy = (policy: Policies[number]): policy is StackValidationPolicy => "validateStack" in policy && typeof policy.validateStack === "function";

/** Same test the engine makes: the class's Pulumi type token against the resource's type. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = (resourceClass as { __pulumiType?: string }).__pulumiType;
  if (token) return token === type;
  const isInstance = (resourceClass as { isInstance?: (value: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function optionsOf(record: SynthesizedResource): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(record.parent ? { parent: record.parent } : {}),
  };
}

/** The engine hands a stack policy each resource's state: inputs here, the registered outputs for the stack itself. */
function propsOf(record: SynthesizedResource, stack: SynthesizedStack): Record<string, any> {
  return record.type === STACK_TYPE ? { ...stack.outputs } : record.inputs;
}

function configOf(config: PolicyPackConfig, policyName: string): { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> } {
  const entry = config[policyName];
  if (entry === undefined) return { properties: {} };
  if (typeof entry === "string") return { enforcementLevel: entry, properties: {} };
  const { enforcementLevel, ...properties } = entry;
  return { enforcementLevel, properties };
}

/**
 * Runs the pack's real `validateResource` and `validateStack` functions over a synthesized stack,
 * with arguments shaped as the Pulumi engine builds them (server.ts of @pulumi/policy): every
 * registered resource is analyzed on its own, then the whole stack once.
 */
export async function runPolicyPack(policies: Policies, stack: SynthesizedStack, options: OfflineOptions = {}): Promise<OfflineReport> {
  const config = options.config ?? {};
  const report: OfflineReport = { violations: [], notApplicable: [] };
  const stackTags: ReadonlyMap<string, string> = new Map();

  const policyResources = stack.resources.map((record) => {
    const props = propsOf(record, stack);
    const resource: PolicyResource = {
      type: record.type,
      props,
      urn: record.urn,
      name: record.name,
      opts: optionsOf(record),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(record.type, resourceClass),
      asType: ((resourceClass: unknown) => (isTypeOf(record.type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
    };
    return resource;
  });
  const byUrn = new Map(policyResources.map((resource) => [resource.urn, resource]));
  stack.resources.forEach((record, index) => {
    const resource = policyResources[index];
    if (record.parent && byUrn.has(record.parent)) resource.parent = byUrn.get(record.parent);
    resource.dependencies = record.dependsOn.map((urn) => byUrn.get(urn)).filter((dependency): dependency is PolicyResource => Boolean(dependency));
  });

  for (const policy of policies) {
    const { enforcementLevel: configured, properties } = configOf(config, policy.name);
    const level = configured ?? policy.enforcementLevel ?? options.enforcementLevel ?? "advisory";
    if (level === "disabled") continue;
    const reported: EnforcementLevel = level === "remediate" ? "mandatory" : level;
    const reporter =
      (fallbackUrn?: string): ReportViolation =>
      (message, urn) => {
        report.violations.push({ policyName: policy.name, enforcementLevel: reported, message, urn: urn ?? fallbackUrn });
      };
    const run = async (urn: string | undefined, call: () => void | Promise<void>) => {
      try {
        await call();
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw new Error(`policy ${policy.name} failed on ${urn ?? "the stack"}: ${(error as Error).message}`, { cause: error });
        report.notApplicable.push({ policyName: policy.name, urn, reason: error.reason });
      }
    };

    if (isStackPolicy(policy)) {
      const args: StackValidationArgs = { resources: policyResources, stackTags, getConfig: <T>() => properties as T, notApplicable };
      await run(undefined, () => policy.validateStack(args, reporter()));
      continue;
    }
    const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
    for (const resource of policyResources) {
      for (const validate of validations) {
        const args: ResourceValidationArgs = {
          type: resource.type,
          props: resource.type === STACK_TYPE ? {} : resource.props,
          urn: resource.urn,
          name: resource.name,
          opts: resource.opts,
          stackTags,
          isType: resource.isType,
          asType: resource.asType as ResourceValidationArgs["asType"],
          getConfig: <T>() => properties as T,
          notApplicable,
        };
        // A resource policy's violation always names the resource under validation.
        await run(resource.urn, () => validate(args, (message) => reporter(resource.urn)(message, resource.urn)));
      }
    }
  }
  return report;
}

export const mandatory = (report: OfflineReport) => report.violations.filter((violation) => violation.enforcementLevel === "mandatory");
