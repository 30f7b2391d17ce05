import { describe, expect, it } from "vitest";
import { overlay } from "../../components/config/merge";

describe("overlay", () => {
  it("merges nested objects key by key", () => {
    expect(overlay({ a: { b: 1, c: 2 }, d: 3 }, { a: { c: 4 } })).toEqual({ a: { b: 1, c: 4 }, d: 3 });
  });

  it("replaces lists instead of merging them", () => {
    expect(overlay({ list: [1, 2, 3] }, { list: [4] })).toEqual({ list: [4] });
  });

  it("lets a scalar replace an object, so type errors surface in validation", () => {
    expect(overlay({ a: { b: 1 } }, { a: 5 })).toEqual({ a: 5 });
  });

  it("keeps keys the preset lacks, so unknown keys reach validation", () => {
    expect(overlay({ a: 1 }, { typo: 2 })).toEqual({ a: 1, typo: 2 });
  });

  it("does not modify the preset", () => {
    const preset = { a: { b: 1 } };
    overlay(preset, { a: { b: 2 } });
    expect(preset).toEqual({ a: { b: 1 } });
  });
});

describe("overlay of a different shape", () => {
  it("replaces the preset's object when the stack file picks another hosting", () => {
    const preset = { persistence: { hosting: "in-cluster", image: "mysql:8.4.6", user: "temporal" } };
    const override = { persistence: { hosting: "external", host: "db" } };
    expect(overlay(preset, override)).toEqual({ persistence: { hosting: "external", host: "db" } });
  });

  it("still merges when the stack file keeps the preset's hosting", () => {
    const preset = { persistence: { hosting: "in-cluster", image: "mysql:8.4.6" } };
    expect(overlay(preset, { persistence: { hosting: "in-cluster", storageSize: "1Gi" } })).toEqual({
      persistence: { hosting: "in-cluster", image: "mysql:8.4.6", storageSize: "1Gi" },
    });
  });
});
