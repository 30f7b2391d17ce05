import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { presetFor } from "../../components/config/presets";
import { ENVIRONMENTS, PLATFORMS, stackConfigSchema } from "../../components/config/schema";

/** Every schema under `schema`, with the path of keys that reaches it. */
function* schemasIn(schema: z.core.$ZodType, path: string[] = []): Generator<[string, z.core.$ZodType]> {
  yield [path.join("."), schema];
  const def = schema._zod.def as unknown as Record<string, unknown>;
  const children: [string[], unknown][] = [
    ...Object.entries((def.shape as Record<string, unknown>) ?? {}).map(([key, child]): [string[], unknown] => [[...path, key], child]),
    ...((def.options as unknown[]) ?? []).map((child): [string[], unknown] => [path, child]),
    ...(["innerType", "in", "out", "element", "valueType", "keyType", "left", "right"] as const).map((key): [string[], unknown] => [path, def[key]]),
  ];
  for (const [childPath, child] of children) {
    if (child && typeof child === "object" && "_zod" in child) yield* schemasIn(child as z.core.$ZodType, childPath);
  }
}

/**
 * The presets are the one source of defaults (presets.ts). The schema has no `.default()` of its
 * own: a key the preset supplies would have its default stated twice, and the two could disagree;
 * the only keys a preset cannot reach are inside lists (a stack file's list replaces the preset's
 * whole), and those are optional, their meaning stated where they are read (workerEgressOf).
 */
describe("one source of defaults", () => {
  it("the schema declares no default, prefault or catch", () => {
    const withDefault = [...schemasIn(stackConfigSchema)].filter(([, schema]) => ["default", "prefault", "catch"].includes(schema._zod.def.type));
    expect(withDefault.map(([path]) => path)).toEqual([]);
  });

  it("the walk reaches the whole schema, unions' branches and map values included", () => {
    const paths = new Set([...schemasIn(stackConfigSchema)].map(([path]) => path));
    for (const path of ["persistence.throughput", "visibility.server.storageSize", "aws.eks.nodeGroup.instanceTypes", "temporal.dynamicConfig", "workers.egress"]) expect(paths).toContain(path);
  });

  it.each(ENVIRONMENTS)("the %s preset of every platform has every key the schema requires", (environment) => {
    for (const platform of PLATFORMS) {
      const result = stackConfigSchema.safeParse(presetFor(environment, platform).config);
      // Cross-key rules may still ask for a decision only the stack file can make (who may reach an API); a missing key is invalid_type.
      const missing = result.success ? [] : result.error.issues.filter((issue) => issue.code === "invalid_type");
      expect(missing, platform).toEqual([]);
    }
  });
});
