import { z } from "zod";
import { stackConfigSchema } from "../../components/config/schema";

/** A JSON Schema node as z.toJSONSchema writes it. */
export type JsonSchema = { [keyword: string]: unknown };

/** A union branch picked by the value of its discriminator, such as `persistence` with `hosting: rds`. */
export interface Variant {
  /** The union's path, such as `persistence` or `visibility.server`. */
  union: string;
  discriminator: string;
  value: string;
}

/** One key a stack file may set, in the variant of every union on its way. */
export interface ConfigKey {
  /** Path segments; `[]` stands for every item of a list. */
  path: string[];
  variants: Variant[];
  schema: JsonSchema;
  /** The key, or an object holding it, may be left out: no preset sets it (the schema's `.optional()`). */
  optional: boolean;
  /** Set when the key holds a pod override block, documented once as a shape of its own. */
  podBlock?: JsonSchema;
}

/** Keys holding pod override blocks: scheduling, labels and volumes in Kubernetes' own shape, documented once each. */
const POD_BLOCK_KEYS = new Set(["pod", "adminToolsPod"]);

/** The merged config's JSON Schema, its descriptions written once beside the zod schema. */
export function configJsonSchema(): JsonSchema {
  return z.toJSONSchema(stackConfigSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as JsonSchema;
}

export const formatPath = (path: string[]) => path.join(".").replace(/\.\[\]/g, "[]");

/** Every key of the schema, objects flattened into their keys, unions into their branches. */
export function configKeys(schema: JsonSchema = configJsonSchema()): ConfigKey[] {
  const keys: ConfigKey[] = [];
  walkObject(schema, [], [], keys);
  return keys;
}

const PLATFORM_BLOCKS = new Set(["aws", "azure", "aws.eks", "aws.ecs"]);

function walkObject(schema: JsonSchema, path: string[], variants: Variant[], keys: ConfigKey[], inOptional = false): void {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  for (const [key, child] of Object.entries(properties)) {
    // Optional only because their platforms alone use them; their presets fill them there.
    const optional = inOptional || (!required.has(key) && !PLATFORM_BLOCKS.has(formatPath([...path, key])));
    walkValue(child, [...path, key], variants, optional, keys);
  }
}

function walkValue(schema: JsonSchema, path: string[], variants: Variant[], optional: boolean, keys: ConfigKey[]): void {
  const key = path.at(-1)!;
  if (POD_BLOCK_KEYS.has(key) && schema.properties) {
    keys.push({ path, variants, schema, optional, podBlock: schema });
    return;
  }
  if (schema.properties) {
    walkObject(schema, path, variants, keys, optional);
    return;
  }
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches && branches.every((branch) => branch.properties)) {
    const discriminator = discriminatorOf(branches);
    for (const branch of branches) {
      const value = discriminator ? constOf((branch.properties as Record<string, JsonSchema>)[discriminator]) : undefined;
      const variant = discriminator && value !== undefined ? [{ union: formatPath(path), discriminator, value }] : [];
      walkObject(branch, path, [...variants, ...variant], keys, optional);
    }
    return;
  }
  const items = schema.items as JsonSchema | undefined;
  if (schema.type === "array" && items?.properties) {
    keys.push({ path, variants, schema, optional });
    walkObject(items, [...path, "[]"], variants, keys);
    return;
  }
  keys.push({ path, variants, schema, optional });
}

/** The key every branch fixes to a value of its own (zod's discriminatedUnion). */
function discriminatorOf(branches: JsonSchema[]): string | undefined {
  const first = Object.keys(branches[0].properties as object);
  return first.find((candidate) => {
    const values = branches.map((branch) => constOf((branch.properties as Record<string, JsonSchema>)[candidate]));
    return values.every((value) => value !== undefined) && new Set(values).size === values.length;
  });
}

function constOf(schema: JsonSchema | undefined): string | undefined {
  if (schema === undefined) return undefined;
  if (typeof schema.const === "string") return schema.const;
  // A branch may accept several values of its discriminator (`engine: postgres12 | postgres12_pgx`); the first names it.
  return undefined;
}
