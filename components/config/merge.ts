type Json = unknown;

const isPlainObject = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Overlays a stack file on a preset: objects merge key by key, everything else (lists included)
 * replaces. Lists replace because "the namespaces of this stack" is one decision, not a patch.
 */
export function overlay(preset: Json, override: Json): Json {
  if (override === undefined) return preset;
  if (!isPlainObject(preset) || !isPlainObject(override)) return override;
  const merged: Record<string, Json> = { ...preset };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = overlay(preset[key], value);
  }
  return merged;
}
