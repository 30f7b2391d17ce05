import type { ResourceRecord } from "./recorder";

/**
 * URNs as the Pulumi engine makes them, and the old URNs it would look a resource up under.
 *
 * A URN is `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is
 * the parent's whole qualified type, `$`, and the resource's own type; the root stack's type is
 * left out. So a resource's URN holds the TYPES of all its ancestors but none of their names
 * (engine: pkg/resource/deploy/deployment.go `generateURN`, sdk/go/common/resource/urn.go `NewURN`;
 * the Node.js SDK's own `createUrn` in sdk/nodejs/resource.ts agrees).
 *
 * Pulumi's mock monitor (runtime/mocks.js `newUrn`, @pulumi/pulumi 3.270.0) keeps only the LAST
 * type of the parent's chain, so the URNs the synth records (resources.json) are the engine's only
 * for the root's direct children; deeper down they lack the upper types. `engineUrns` rebuilds the
 * engine's from the recorded parent chain.
 */

const PREFIX = "urn:pulumi:";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface UrnParts {
  stack: string;
  project: string;
  /** The ancestors' types and the resource's own, joined by `$`. */
  qualifiedType: string;
  /** The resource's own type: the last of the qualified type. */
  type: string;
  name: string;
}

export function urnParts(urn: string): UrnParts {
  if (!urn.startsWith(PREFIX)) throw new Error(`not a URN: ${urn}`);
  // Like the engine (sdk/go/common/resource/urn.go), split into four: the name may hold "::".
  const rest = urn.slice(PREFIX.length);
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < 3; i++) {
    const at = rest.indexOf("::", from);
    if (at < 0) throw new Error(`not a URN: ${urn}`);
    parts.push(rest.slice(from, at));
    from = at + 2;
  }
  const [stack, project, qualifiedType] = parts;
  return { stack, project, qualifiedType, type: qualifiedType.split("$").pop()!, name: rest.slice(from) };
}

/** The engine's URN for a resource of `type` named `name` under `parent` (deployment.go `generateURN`). */
export function createUrn(stack: string, project: string, parent: string | null, type: string, name: string): string {
  const parentType = parent ? urnParts(parent).qualifiedType : "";
  const qualifiedType = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `${PREFIX}${stack}::${project}::${qualifiedType}::${name}`;
}

/**
 * Every record's URN as the engine would make it, by the recorded URN. The records come in the order
 * they were registered, so a parent comes before its children.
 */
export function engineUrns(records: readonly ResourceRecord[]): Map<string, string> {
  const byRecorded = new Map<string, string>();
  for (const record of records) {
    const { stack, project } = urnParts(record.urn);
    const parent = record.parent === null ? null : byRecorded.get(record.parent) ?? record.parent;
    byRecorded.set(record.urn, createUrn(stack, project, parent, record.type, record.name));
  }
  return byRecorded;
}

/**
 * The alias a child inherits from an alias its parent was found under: the parent alias's qualified
 * type, and the child's name with the parent's name prefix swapped for the alias's name, the
 * `${name}-detail` convention (engine: pkg/resource/deploy/step_generator.go `inheritedChildAlias`;
 * the Node.js SDK computes the same only when the monitor lacks alias specs, runtime/resource.js).
 */
export function inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string): string {
  const alias = urnParts(parentAlias);
  const name = childName.startsWith(parentName) ? alias.name + childName.slice(parentName.length) : childName;
  return `${PREFIX}${alias.stack}::${alias.project}::${alias.qualifiedType}$${childType}::${name}`;
}

/**
 * Every old URN the engine could find each resource's state under, besides its own URN: its own
 * aliases (resources.json, already resolved to URNs), and those it inherits when its parent was found
 * under one of the parent's (step_generator.go `generateAliases`: the parent's alias, multiplied out
 * with the child's own). The engine inherits only the one alias its parent actually matched in the
 * old state; taking every one the parent might match is the same for a state that holds the pinned
 * resources. Keyed by the engine URN.
 */
export function aliasCandidates(records: readonly ResourceRecord[]): Map<string, Set<string>> {
  const engine = engineUrns(records);
  const byRecorded = new Map(records.map((record) => [record.urn, record]));
  const byEngineUrn = new Map<string, Set<string>>();
  for (const record of records) {
    const own = record.aliases ?? [];
    const candidates = new Set(own);
    const parent = record.parent === null ? undefined : byRecorded.get(record.parent);
    for (const parentAlias of (parent && byEngineUrn.get(engine.get(parent.urn)!)) || []) {
      candidates.add(inheritedChildAlias(record.type, record.name, parent!.name, parentAlias));
      for (const alias of own) {
        const { stack, project, type, name } = urnParts(alias);
        candidates.add(inheritedChildAlias(type, name, parent!.name, parentAlias));
        // An alias that names its parent is taken under the parent's old URN (`collapseAliasToUrn`);
        // the Node.js SDK names the resource's parent in every alias spec that names none.
        candidates.add(createUrn(stack, project, parentAlias, type, name));
      }
    }
    byEngineUrn.set(engine.get(record.urn)!, candidates);
  }
  return byEngineUrn;
}
