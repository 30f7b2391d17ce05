import * as pulumi from "@pulumi/pulumi";

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
}

export const SECRET_PLACEHOLDER = "[secret]";

/**
 * The mock monitor prefixes the stack's type onto the URN of every top-level resource; the real
 * engine does not. Written as the engine would, URNs here match what `pulumi preview` shows.
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
      if (response) record.urn = engineUrn(response.getUrn());
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
