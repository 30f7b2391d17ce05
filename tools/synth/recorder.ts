import * as pulumi from "@pulumi/pulumi";
import { SECRET_PLACEHOLDER } from "./secretPlaceholder";
import { createUrn, urnParts } from "./urns";

/** One registered resource as the engine would receive it. */
export interface ResourceRecord {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  /** Explicit dependsOn plus every resource an input Output came from. */
  dependsOn: string[];
  /** `urn::id` of the provider instance that manages it, when it is not the default provider. */
  provider: string | null;
  inputs: Record<string, unknown>;
  /** Present (true) only on resources a deploy may not delete: `protect` and `retainOnDelete`. */
  protect?: true;
  retainOnDelete?: true;
  /**
   * The old URNs the resource may be found under (its `aliases` option), each as the engine resolves
   * it; present only when it has some. Not listed: the aliases a provider SDK adds to every resource
   * for its other API versions (`isProviderVersionAlias`), and those it would inherit from a parent's
   * alias, which tools/synth/urns.ts `aliasCandidates` derives.
   */
  aliases?: string[];
}

/**
 * The mock monitor prefixes the stack's type onto the URN of every top-level resource; the real
 * engine does not. Written as the engine would, URNs here match what `pulumi preview` shows for the
 * stack, the root component and its direct children. Deeper down the mock monitor also drops the
 * upper types of the parent chain, which the engine keeps; tools/synth/urns.ts `engineUrns` rebuilds
 * those (the recorded URNs stay as they are: every test and artifact reads them).
 */
export function engineUrn(urn: string): string {
  return urn.replace("::pulumi:pulumi:Stack$", "::");
}

// Pulumi's wire signatures for special values (sdk/nodejs/runtime/rpc.ts).
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getProvider(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  /** Aliases as URNs or specs: what the SDK sends when the monitor supports alias specs, as the mock monitor does. */
  getAliasesList(): AliasMessage[];
  /** Aliases as URNs only: what the SDK sends to a monitor without alias specs. */
  getAliasurnsList(): string[];
}
interface AliasMessage {
  getUrn(): string;
  getSpec(): AliasSpecMessage | undefined;
}
interface AliasSpecMessage {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}
type Callback = (err: unknown, response?: { getUrn(): string }) => void;
interface RegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

export interface Recording {
  resources: ResourceRecord[];
  /**
   * Each resource's inputs with secrets shown, for the local pod runner only: the synth writes them
   * under a private directory that never reaches resources.json, logs or the repository.
   */
  revealedInputs: WeakMap<ResourceRecord, Record<string, unknown>>;
  /** Outputs each component (and the stack) registered, by URN, secrets scrubbed. */
  outputs: Map<string, Record<string, unknown>>;
}

/**
 * Taps the mock monitor so that every registration is recorded in the order the program makes it,
 * with the parent, dependencies and serialized inputs the real engine would see.
 */
export function recordRegistrations(): Recording {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterResourceRequest, callback: Callback): void;
    registerResourceOutputs(req: RegisterOutputsRequest, callback: (err: unknown, response?: unknown) => void): void;
  };
  const records: ResourceRecord[] = [];
  const revealedInputs = new WeakMap<ResourceRecord, Record<string, unknown>>();
  const outputs = new Map<string, Record<string, unknown>>();
  // The engine's URN of each resource by the mock monitor's, which lacks the upper parent types (urns.ts).
  const engineUrnOf = new Map<string, string>();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const record: ResourceRecord = {
      urn: "",
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() ? engineUrn(req.getParent()) : null,
      custom: req.getCustom(),
      dependsOn: [...new Set(req.getDependenciesList().map(engineUrn))],
      provider: req.getProvider() ? engineUrn(req.getProvider()) : null,
      inputs: scrub(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      ...(req.getProtect() ? { protect: true as const } : {}),
      ...(req.getRetainondelete() ? { retainOnDelete: true as const } : {}),
    };
    records.push(record);
    revealedInputs.set(record, reveal(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>);
    register(req, (err, response) => {
      if (response) {
        record.urn = engineUrn(response.getUrn());
        const { stack, project } = urnParts(record.urn);
        const parent = req.getParent() ? (engineUrnOf.get(req.getParent()) ?? engineUrn(req.getParent())) : null;
        engineUrnOf.set(response.getUrn(), createUrn(stack, project, parent, record.type, record.name));
        const aliases = aliasUrns(req, { stack, project, parent, type: record.type, name: record.name }, engineUrnOf);
        if (aliases.length > 0) record.aliases = aliases;
      }
      callback(err, response);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    outputs.set(engineUrn(req.getUrn()), scrub(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
    registerOutputs(req, callback);
  };
  return { resources: records, revealedInputs, outputs };
}

interface Goal {
  stack: string;
  project: string;
  /** The engine's URN of the resource's parent. */
  parent: string | null;
  type: string;
  name: string;
}

/**
 * A registration's aliases as the URNs the engine resolves them to (pkg/resource/deploy/
 * step_generator.go `collapseAliasToUrn`): a URN alias as it is; a spec's name, type, project and
 * stack default to the resource's own, its parent to the resource's parent (the Node.js SDK fills
 * that in itself, runtime/resource.js `mapAliasesForRequest`), none when it says `noParent` or the
 * parent is the root stack. One part is left out: when the alias's parent was itself found under an
 * alias, the engine takes that parent's old URN, known only from a deploy's state (urns.ts
 * `aliasCandidates` covers it).
 */
function aliasUrns(req: RegisterResourceRequest, goal: Goal, engineUrnOf: Map<string, string>): string[] {
  const urns = req.getAliasesList().flatMap((alias) => {
    const spec = alias.getSpec();
    if (!spec) return [alias.getUrn()];
    if (isProviderVersionAlias(spec, req.getParent(), goal.type)) return [];
    const parentUrn = spec.getParenturn();
    const parent = spec.getNoparent() ? null : parentUrn ? (engineUrnOf.get(parentUrn) ?? engineUrn(parentUrn)) : goal.parent;
    return [createUrn(spec.getStack() || goal.stack, spec.getProject() || goal.project, parent, spec.getType() || goal.type, spec.getName() || goal.name)];
  });
  return [...new Set([...urns, ...req.getAliasurnsList()])];
}

/**
 * The provider SDKs alias every resource to the same kind in each of the provider's other API
 * versions (@pulumi/kubernetes: `kubernetes:apps/v1beta1:Deployment` for an `apps/v1` one;
 * @pulumi/azure-native: a type per dated API version, dozens for some). They do not follow the
 * kit's code and would grow resources.json by half on Azure, so they are left out: only a type
 * change, and the same package and kind.
 */
function isProviderVersionAlias(spec: AliasSpecMessage, parent: string, type: string): boolean {
  const onlyType = !spec.getName() && !spec.getStack() && !spec.getProject() && !spec.getNoparent() && (!spec.getParenturn() || spec.getParenturn() === parent);
  const [aliasPackage, , aliasKind] = spec.getType().split(":");
  const [ownPackage, , ownKind] = type.split(":");
  return onlyType && spec.getType() !== "" && aliasPackage === ownPackage && aliasKind === ownKind;
}

/**
 * Replaces every secret value with a placeholder and every resource reference with its URN. A
 * secret that wraps a whole map (a Kubernetes Secret's `stringData`) keeps its keys, so the
 * object keeps its shape; only the values are hidden.
 */
export function scrub(value: unknown, insideSecret = false): unknown {
  if (value === UNKNOWN_VALUE) return "[unknown]";
  if (Array.isArray(value)) return value.map((item) => scrub(item, insideSecret));
  if (value === null || typeof value !== "object") return insideSecret ? SECRET_PLACEHOLDER : value;
  const object = value as Record<string, unknown>;
  if (object[SPECIAL_SIG_KEY] === SECRET_SIG) return scrub(object.value, true);
  if (object[SPECIAL_SIG_KEY] === RESOURCE_REFERENCE_SIG) return object.urn;
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, scrub(item, insideSecret)]));
}

/** Like scrub, but secrets keep their values: what a real deploy would hand the cluster. */
export function reveal(value: unknown): unknown {
  if (value === UNKNOWN_VALUE) return "[unknown]";
  if (Array.isArray(value)) return value.map((item) => reveal(item));
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if (object[SPECIAL_SIG_KEY] === SECRET_SIG) return reveal(object.value);
  if (object[SPECIAL_SIG_KEY] === RESOURCE_REFERENCE_SIG) return object.urn;
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, reveal(item)]));
}
