import type { DynamicResource } from "./manifests";

/**
 * Pulumi dynamic resources (pulumi-nodejs:dynamic/...) as `pulumi up` runs them, for the resources
 * the kit's Kubernetes objects wait on (the upgrade guard). The provider is the one serialized in
 * the resource's `__provider` input, loaded the way Pulumi's dynamic provider host loads it
 * (@pulumi/pulumi cmd/dynamic-provider/index.js: requireFromString(props.__provider).handler(),
 * `check` with the news' provider); the engine passes the inputs its state holds as `olds`, and
 * `{}` for a resource it has never created.
 */

// The host's own loader, a dependency of @pulumi/pulumi.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => { handler(): DynamicProvider };

const PROVIDER_KEY = "__provider";

interface DynamicProvider {
  check?(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs?: Record<string, unknown>; failures?: { property: string; reason: string }[] }>;
  diff?(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes?: boolean; replaces?: string[] }>;
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs?: Record<string, unknown> }>;
  update?(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs?: Record<string, unknown> }>;
}

/** What the stack's state keeps of a dynamic resource after a deploy. */
export interface DynamicState {
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface CheckFailure {
  resource: string;
  property: string;
  reason: string;
}

function providerOf(resource: DynamicResource): DynamicProvider {
  const code = resource.inputs[PROVIDER_KEY];
  if (typeof code !== "string") throw new Error(`${resource.urn}: no serialized provider in its ${PROVIDER_KEY} input`);
  return requireFromString(code).handler();
}

/** The provider's check, as the engine calls it at preview and before each step: the inputs to record, and its failures. */
export async function checkDynamic(resource: DynamicResource, state: DynamicState | undefined): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const provider = providerOf(resource);
  const news = resource.inputs;
  const result = provider.check ? await provider.check(state?.inputs ?? {}, news) : { inputs: news };
  return {
    inputs: { ...(result.inputs ?? news), [PROVIDER_KEY]: news[PROVIDER_KEY] },
    failures: (result.failures ?? []).map((failure) => ({ resource: resource.urn, ...failure })),
  };
}

/** Creates or updates the resource through its provider; returns the new state and what happened. */
export async function deployDynamic(resource: DynamicResource, state: DynamicState | undefined): Promise<{ state: DynamicState; step: "create" | "update" | "same" }> {
  const { inputs, failures } = await checkDynamic(resource, state);
  if (failures.length > 0) throw new CheckFailedError(failures);
  const provider = providerOf(resource);
  if (!state) {
    const created = await provider.create(inputs);
    return { state: { id: created.id, inputs, outputs: created.outs ?? {} }, step: "create" };
  }
  const diff = provider.diff ? await provider.diff(state.id, state.outputs, inputs) : { changes: true };
  if (diff.replaces?.length) throw new Error(`${resource.urn}: its provider asks to replace it (${diff.replaces.join(", ")}); the local runner does not replace dynamic resources`);
  if (!diff.changes) return { state: { ...state, inputs }, step: "same" };
  if (!provider.update) throw new Error(`${resource.urn}: its provider changed inputs but has no update`);
  const updated = await provider.update(state.id, state.outputs, inputs);
  return { state: { id: state.id, inputs, outputs: updated.outs ?? {} }, step: "update" };
}

/** A preview that stops the deploy, with the provider's messages as Pulumi prints them. */
export class CheckFailedError extends Error {
  constructor(readonly failures: CheckFailure[]) {
    super(`preview failed, nothing was changed:\n${failures.map((failure) => `  ${failure.resource}: ${failure.property}: ${failure.reason}`).join("\n")}`);
  }
}
