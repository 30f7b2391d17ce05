import type { z } from "zod";
import { branchFor, schemaOfKey, switchKeyOf } from "./unionSwitches";

type Json = unknown;

const isPlainObject = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The defaults of each union's branches, by the union's path (`persistence`, `visibility.server`)
 * and the value of its switch key: what a stack file that picks another branch than the preset's
 * starts from.
 */
export type BranchPresets = Record<string, Record<string, Json>>;

/**
 * Overlays a stack file on a preset: objects merge key by key, everything else (lists included)
 * replaces. Lists replace because "the namespaces of this stack" is one decision, not a patch.
 *
 * Where the schema has a union and the stack file picks another branch (its switch key, read from
 * the schema, differs from the preset's), the preset's keys would only be keys of the other
 * branch: the stack file's object then merges on that branch's own defaults instead, or on none.
 * An object that merely has a key named like a switch key (`mode`, `store`) merges as any other.
 */
export function overlay(preset: Json, override: Json, schema: z.core.$ZodType | undefined, branches: BranchPresets = {}, path: string[] = []): Json {
  if (override === undefined) return preset;
  if (!isPlainObject(override)) return override;
  const switchKey = switchKeyOf(schema);
  const switchesBranch = switchKey !== undefined && switchKey in override && (!isPlainObject(preset) || preset[switchKey] !== override[switchKey]);
  const base = switchesBranch ? (branches[path.join(".")]?.[String(override[switchKey])] ?? {}) : preset;
  if (!isPlainObject(base)) return override;
  const shape = branchFor(schema, { ...base, ...override });
  const merged: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = overlay(base[key], value, schemaOfKey(shape, key), branches, [...path, key]);
  }
  return merged;
}
