import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import { buildDynamicConfig, renderDynamicConfig } from "../../components/temporal/dynamicConfig";
import { isKnownDynamicConfigKey } from "../../components/temporal/dynamicConfigKeys";

describe("dynamic config", () => {
  it("wraps a bare value into Temporal's list-of-constrained-values form", () => {
    expect(buildDynamicConfig({ "frontend.rps": 1200 })).toEqual({ "frontend.rps": [{ value: 1200, constraints: {} }] });
  });

  it("passes constrained values through untouched", () => {
    const constrained = [{ value: 10, constraints: { namespace: "orders" } }, { value: 5 }];
    expect(buildDynamicConfig({ "frontend.namespaceRPS": constrained })).toEqual({ "frontend.namespaceRPS": constrained });
  });

  it("renders an empty file as an empty map, which the server accepts", () => {
    expect(parse(renderDynamicConfig({}))).toEqual({});
  });

  it("knows Temporal's keys and nothing else", () => {
    expect(isKnownDynamicConfigKey("frontend.rps")).toBe(true);
    expect(isKnownDynamicConfigKey("history.persistenceMaxQPS")).toBe(true);
    expect(isKnownDynamicConfigKey("frontend.rpz")).toBe(false);
  });

  it("only uses known keys in the presets", () => {
    for (const preset of Object.values(PRESETS)) {
      expect(Object.keys(preset.temporal.dynamicConfig).filter((key) => !isKnownDynamicConfigKey(key))).toEqual([]);
    }
  });
});
