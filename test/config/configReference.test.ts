import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { stackConfigSchema } from "../../components/config/schema";
import { CONFIG_REFERENCE_PATH, REGENERATE_COMMAND, configReferenceText } from "../../tools/configReference/document";
import { configJsonSchema, configKeys, formatPath, type ConfigKey } from "../../tools/configReference/keys";

const committed = readFileSync(join(__dirname, "..", "..", CONFIG_REFERENCE_PATH), "utf8");

/**
 * Every key path the zod schema accepts, found by walking zod itself rather than the generator's
 * JSON Schema, so that a key the generator skipped is caught. Pod override blocks are documented
 * once per shape, so their keys are looked for relative to the block.
 */
function acceptedKeys(schema: z.core.$ZodType, path: string): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
      return acceptedKeys(def.innerType as z.core.$ZodType, path);
    case "pipe":
      return acceptedKeys(def.in as z.core.$ZodType, path);
    case "union":
      return (def.options as z.core.$ZodType[]).flatMap((option) => acceptedKeys(option, path));
    case "array": {
      const element = def.element as z.core.$ZodType;
      const inner = acceptedKeys(element, `${path}[]`);
      return inner.length === 1 && inner[0] === `${path}[]` ? [path] : [path, ...inner];
    }
    case "object":
      return Object.entries(def.shape as Record<string, z.core.$ZodType>).flatMap(([key, child]) => {
        const childPath = path ? `${path}.${key}` : key;
        if (key === "pod" || key === "adminToolsPod") return [childPath, ...acceptedKeys(child, "").map((inner) => `pod:${inner}`)];
        return acceptedKeys(child, childPath);
      });
    default:
      return [path];
  }
}

describe("the configuration reference", () => {
  it(`is committed as generated: run ${REGENERATE_COMMAND} after changing the schema, a preset or a rule`, () => {
    expect(committed === configReferenceText(), `${CONFIG_REFERENCE_PATH} is stale: run ${REGENERATE_COMMAND}`).toBe(true);
  });

  const keys = [...new Set(acceptedKeys(stackConfigSchema, ""))];

  it("finds the schema's keys", () => {
    expect(keys.length).toBeGreaterThan(200);
  });

  it.each(Object.keys(stackConfigSchema.shape))("describes the top-level key %s in the schema, where the reference and editors read it", (key) => {
    expect(z.globalRegistry.get(stackConfigSchema.shape[key as keyof typeof stackConfigSchema.shape])?.description).toBeTruthy();
  });

  it("describes every key, pod override keys included, so the reference and editors explain each one", () => {
    const named = (key: ConfigKey, prefix = "") =>
      `${prefix}${formatPath(key.path)}${key.variants.length ? ` (with ${key.variants.map((variant) => `${variant.union}.${variant.discriminator}: ${variant.value}`).join(", ")})` : ""}`;
    const keys = configKeys(configJsonSchema());
    const podKeys = keys
      .filter((key) => key.podBlock)
      .flatMap((block) => configKeys(block.podBlock).map((key) => ({ key, name: named(key, `${formatPath(block.path)}.`) })));
    const undescribed = [...keys.map((key) => ({ key, name: named(key) })), ...podKeys].filter(({ key }) => !key.schema.description).map(({ name }) => name);
    expect(
      undescribed,
      `${undescribed.length} keys have no description: ${undescribed.join("; ")}. Describe each with .meta({ description: "…" }) on its zod schema ` +
        "(components/config/*Schema.ts, a store's components/stores/<store>/config.ts, or components/config/podSchema.ts for a pod block's keys), " +
        `then run ${REGENERATE_COMMAND} and npm run config:schema`,
    ).toEqual([]);
  });

  it.each(keys)("documents %s", (key) => {
    expect(committed).toContain(key.startsWith("pod:") ? `| \`${key.slice(4)}\`` : `| \`${key}\``);
  });
});
