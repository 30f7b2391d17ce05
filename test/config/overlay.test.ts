import { describe, expect, it } from "vitest";
import { z } from "zod";
import { overlay } from "../../components/config/merge";
import { PRESETS, presetFor } from "../../components/config/presets";
import { ENVIRONMENTS, PLATFORMS, stackConfigSchema } from "../../components/config/schema";
import { branchFor, schemaOfKey, switchKeyOf } from "../../components/config/unionSwitches";

describe("overlay", () => {
  it("merges nested objects key by key", () => {
    expect(overlay({ a: { b: 1, c: 2 }, d: 3 }, { a: { c: 4 } }, undefined)).toEqual({ a: { b: 1, c: 4 }, d: 3 });
  });

  it("replaces lists instead of merging them", () => {
    expect(overlay({ list: [1, 2, 3] }, { list: [4] }, undefined)).toEqual({ list: [4] });
  });

  it("lets a scalar replace an object, so type errors surface in validation", () => {
    expect(overlay({ a: { b: 1 } }, { a: 5 }, undefined)).toEqual({ a: 5 });
  });

  it("keeps keys the preset lacks, so unknown keys reach validation", () => {
    expect(overlay({ a: 1 }, { typo: 2 }, undefined)).toEqual({ a: 1, typo: 2 });
  });

  it("does not modify the preset", () => {
    const preset = { a: { b: 1 } };
    overlay(preset, { a: { b: 2 } }, undefined);
    expect(preset).toEqual({ a: { b: 1 } });
  });
});

/** The unions of the stack config and the key that switches each, as the schema declares them. */
function unionsOf(schema: z.core.$ZodType, value: unknown, path: string[] = []): string[] {
  const key = switchKeyOf(schema);
  const found = key ? [`${path.join(".")}:${key}`] : [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return found;
  const shape = branchFor(schema, value as Record<string, unknown>);
  return [...found, ...Object.entries(value).flatMap(([child, inner]) => {
    const childSchema = schemaOfKey(shape, child);
    return childSchema ? unionsOf(childSchema, inner, [...path, child]) : [];
  })];
}

describe("overlay of a union", () => {
  const persistence = z.discriminatedUnion("hosting", [
    z.strictObject({ hosting: z.literal("in-cluster"), image: z.string(), user: z.string() }),
    z.strictObject({ hosting: z.literal("external"), host: z.string() }),
  ]);
  const schema = z.strictObject({ persistence, job: z.strictObject({ mode: z.string(), store: z.string(), size: z.number() }) });

  it("replaces the preset's object when the stack file picks another branch", () => {
    const preset = { persistence: { hosting: "in-cluster", image: "mysql:8.4.6", user: "temporal" } };
    const override = { persistence: { hosting: "external", host: "db" } };
    expect(overlay(preset, override, schema)).toEqual({ persistence: { hosting: "external", host: "db" } });
  });

  it("merges on the picked branch's own defaults when there are some", () => {
    const preset = { persistence: { hosting: "in-cluster", image: "mysql:8.4.6", user: "temporal" } };
    const branches = { persistence: { external: { hosting: "external", host: "db.internal" } } };
    expect(overlay(preset, { persistence: { hosting: "external" } }, schema, branches)).toEqual({ persistence: { hosting: "external", host: "db.internal" } });
  });

  it("still merges when the stack file keeps the preset's branch", () => {
    const preset = { persistence: { hosting: "in-cluster", image: "mysql:8.4.6" } };
    expect(overlay(preset, { persistence: { hosting: "in-cluster", storageSize: "1Gi" } }, schema)).toEqual({
      persistence: { hosting: "in-cluster", image: "mysql:8.4.6", storageSize: "1Gi" },
    });
  });

  it("merges an object whose keys are merely named like switch keys", () => {
    const preset = { job: { mode: "fast", store: "a", size: 1 } };
    expect(overlay(preset, { job: { mode: "slow", store: "b" } }, schema)).toEqual({ job: { mode: "slow", store: "b", size: 1 } });
  });

  it("merges a map entry named like a switch key in the stack config", () => {
    const preset = { observability: { dashboards: { labels: { mode: "a", team: "x" } } } };
    const override = { observability: { dashboards: { labels: { mode: "b" } } } };
    expect(overlay(preset, override, stackConfigSchema)).toEqual({ observability: { dashboards: { labels: { mode: "b", team: "x" } } } });
  });

  it("switches a union nested in a union's branch (a Cosmos DB account's throughput)", () => {
    const preset = presetFor("dev", "azure-aks");
    const merged = overlay(preset.config, { persistence: { hosting: "azure-cosmos-cassandra", throughput: { mode: "manual", ru: 400 } } }, stackConfigSchema, preset.branches) as {
      persistence: { throughput: unknown; keyspace: unknown };
    };
    expect(merged.persistence.throughput).toEqual({ mode: "manual", ru: 400 });
    expect(merged.persistence.keyspace).toBe("temporal");
  });

  it("finds the stack config's unions and their switch keys in the schema", () => {
    const example = {
      ...PRESETS.dev,
      persistence: { hosting: "azure-cosmos-cassandra", throughput: { mode: "manual" } },
      visibility: { store: "sql-server", server: { hosting: "external" } },
      aws: { network: { mode: "create" }, eks: { mode: "create" } },
      azure: { aks: { mode: "create" } },
    };
    expect(unionsOf(stackConfigSchema, example).sort()).toEqual([
      "aws.eks:mode",
      "aws.network:mode",
      "azure.aks:mode",
      "persistence.throughput:mode",
      "persistence:hosting",
      "visibility.server:hosting",
      "visibility:store",
    ]);
  });

  it("keys every branch preset by a union's path and by the branch it is", () => {
    for (const environment of ENVIRONMENTS) {
      for (const platform of PLATFORMS) {
        for (const [path, presets] of Object.entries(presetFor(environment, platform).branches)) {
          const [first, ...rest] = path.split(".");
          const union = rest.reduce(
            (schema, key) => schemaOfKey(branchFor(schema, { hosting: "in-cluster", store: "sql-server" }), key),
            schemaOfKey(stackConfigSchema, first),
          );
          const key = switchKeyOf(union);
          expect(key, path).toBeDefined();
          for (const [value, preset] of Object.entries(presets)) expect((preset as Record<string, unknown>)[key!], `${path} ${value}`).toBe(value);
        }
      }
    }
  });
});
