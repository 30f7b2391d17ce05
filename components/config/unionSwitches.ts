import type { z } from "zod";

/**
 * Reads the parts of the zod schema the overlay walks beside the config: where a union is and
 * which key switches it. The schema is the one declaration; `z.discriminatedUnion("hosting", …)`
 * says both that `persistence` is a union and that `hosting` picks its branch, so no table of
 * switch keys has to be kept in step with it.
 */

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef & {
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
  shape?: Record<string, Schema>;
  valueType?: Schema;
  discriminator?: string;
  options?: Schema[];
};

const defOf = (schema: Schema): Def => schema._zod.def as Def;

/** The schema under wrappers that do not change an object's keys (optional, nullable, pipes, lazy). */
function unwrap(schema: Schema): Schema {
  const def = defOf(schema);
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === "pipe" && def.in) return unwrap(def.in);
  if (def.type === "lazy" && def.getter) return unwrap(def.getter());
  return schema;
}

/** The key that picks a branch of this union, or undefined when the schema is no discriminated union. */
export function switchKeyOf(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  return def.type === "union" ? def.discriminator : undefined;
}

/** The branch of a union that `value` picks, or the schema itself when it is no union; undefined when no branch matches. */
export function branchFor(schema: Schema | undefined, value: Record<string, unknown>): Schema | undefined {
  if (!schema) return undefined;
  const inner = unwrap(schema);
  const key = switchKeyOf(inner);
  if (key === undefined) return inner;
  return defOf(inner).options?.find((option) => unwrap(option)._zod.propValues?.[key]?.has(value[key] as never));
}

/** The schema of an object's key (or of a map's values); undefined where the schema says nothing. */
export function schemaOfKey(schema: Schema | undefined, key: string): Schema | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  if (def.type === "object") return def.shape?.[key];
  if (def.type === "record") return def.valueType;
  return undefined;
}
