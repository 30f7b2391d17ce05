import type { JsonSchema } from "./keys";

/** A key's type and allowed values in words, from its JSON Schema. */
export function typeText(schema: JsonSchema, meanings: Map<string, string>): string {
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((value) => `\`${String(value)}\``).join(", ")}`;
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches?.every((branch) => branch.const !== undefined)) return `one of ${branches.map((branch) => `\`${String(branch.const)}\``).join(", ")}`;
  if (branches) return branches.map((branch) => typeText(branch, meanings)).join(", or ");
  switch (schema.type) {
    case "string":
      return stringText(schema, meanings);
    case "integer":
    case "number":
      return [schema.type, ...range(schema)].join(" ");
    case "boolean":
      return "boolean";
    case "array": {
      const items = schema.items as JsonSchema | undefined;
      const of = items?.properties ? "objects (keys below)" : items ? typeText(items, meanings) : "anything";
      return [`list of ${of}`, ...counted(schema.minItems, schema.maxItems, "item")].join(", ");
    }
    case "object": {
      if (schema.properties) return `object with keys ${Object.keys(schema.properties).map((key) => `\`${key}\``).join(", ")}`;
      const keyRule = schema.propertyNames as JsonSchema | undefined;
      const keys = keyRule && (keyRule.pattern || keyRule.enum) ? ` (keys: ${typeText(keyRule, meanings)})` : "";
      const values = schema.additionalProperties as JsonSchema | undefined;
      return `map${keys} to ${values && typeof values === "object" ? typeText(values, meanings) : "anything"}`;
    }
    default:
      return "any value";
  }
}

// Formats a reader knows by name; zod's own (starts_with) repeat what the pattern says.
const NAMED_FORMATS = new Set(["uri", "uuid", "email", "date-time", "date", "time", "hostname", "ipv4", "ipv6"]);

function stringText(schema: JsonSchema, meanings: Map<string, string>): string {
  const meaning = typeof schema.pattern === "string" ? meanings.get(schema.pattern) : undefined;
  // The schema's own message says what the pattern allows, lengths included.
  if (meaning) return `string: ${meaning.replace(/^must be /, "")}`;
  const limits = counted(schema.minLength, schema.maxLength, "character");
  if (typeof schema.format === "string" && NAMED_FORMATS.has(schema.format)) limits.push(`format ${schema.format}`);
  if (typeof schema.pattern === "string") limits.push(`matching \`${schema.pattern}\``);
  return ["string", ...limits].join(", ");
}

function range(schema: JsonSchema): string[] {
  const { minimum: min, maximum: max } = schema as { minimum?: number; maximum?: number };
  const low = min === Number.MIN_SAFE_INTEGER ? undefined : min;
  const high = max === Number.MAX_SAFE_INTEGER ? undefined : max;
  if (low !== undefined && high !== undefined) return [`from ${low} to ${high}`];
  if (low !== undefined) return [`of at least ${low}`];
  if (high !== undefined) return [`of at most ${high}`];
  return [];
}

function counted(min: unknown, max: unknown, unit: string): string[] {
  const plural = (n: unknown) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (typeof min === "number" && typeof max === "number") return min === max ? [`exactly ${plural(min)}`] : [`${min} to ${plural(max)}`];
  if (typeof min === "number" && min > 0) return [`at least ${plural(min)}`];
  if (typeof max === "number") return [`at most ${plural(max)}`];
  return [];
}

/** A default as a stack file would write it. */
export function valueText(value: unknown): string {
  if (value === undefined) return "unset";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `\`${text}\``;
}

/** Text safe inside a Markdown table cell. */
export const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");
