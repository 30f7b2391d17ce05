type Json = unknown;

const isPlainObject = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Keys that select which shape an object has (`persistence.hosting`, `visibility.store`,
 * `aws.network.mode`, `aws.eks.mode`). When a stack file picks another shape than the preset,
 * merging the preset's keys in would only leave keys that belong to the other shape, so the stack
 * file's object replaces the preset's.
 */
const SHAPE_SELECTORS = ["hosting", "store", "mode"];

function selectsAnotherShape(preset: Record<string, Json>, override: Record<string, Json>): boolean {
  return SHAPE_SELECTORS.some((key) => key in override && key in preset && override[key] !== preset[key]);
}

/**
 * Overlays a stack file on a preset: objects merge key by key, everything else (lists included)
 * replaces. Lists replace because "the namespaces of this stack" is one decision, not a patch.
 */
export function overlay(preset: Json, override: Json): Json {
  if (override === undefined) return preset;
  if (!isPlainObject(preset) || !isPlainObject(override) || selectsAnotherShape(preset, override)) return override;
  const merged: Record<string, Json> = { ...preset };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = overlay(preset[key], value);
  }
  return merged;
}
