import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policies } from "../../policy/policies";

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

describe("the policy pack", () => {
  it("gives every rule a unique name the Pulumi engine accepts", () => {
    const names = policies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(?!all$)[a-z0-9-]+$/);
  });

  it("keeps enforcementLevel out of every config schema, as the engine requires", () => {
    for (const policy of policies) expect(policy.configSchema?.properties.enforcementLevel, policy.name).toBeUndefined();
  });

  it("has a rule file and a test file for every rule", () => {
    for (const policy of policies) {
      expect(existsSync(join(__dirname, "..", "..", "policy", "rules", `${camelCase(policy.name)}.ts`)), policy.name).toBe(true);
      expect(existsSync(join(__dirname, "rules", `${camelCase(policy.name)}.test.ts`)), policy.name).toBe(true);
    }
  });
});
