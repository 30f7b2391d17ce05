import { stringify } from "yaml";

export type DynamicConfigValues = Record<string, unknown>;

const isConstrainedList = (value: unknown): value is { value: unknown; constraints?: object }[] =>
  Array.isArray(value) && value.every((item) => item !== null && typeof item === "object" && "value" in item);

/**
 * Temporal's dynamic config file: every key maps to a list of values with optional constraints.
 * Stack config may give a bare value, which applies everywhere.
 */
export function buildDynamicConfig(values: DynamicConfigValues): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      isConstrainedList(value) ? value : [{ value, constraints: {} }],
    ]),
  );
}

export function renderDynamicConfig(values: DynamicConfigValues): string {
  return stringify(buildDynamicConfig(values), { lineWidth: 0 });
}
