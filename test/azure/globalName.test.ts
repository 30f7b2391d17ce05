import { describe, expect, it } from "vitest";
import { GLOBAL_NAME_RULES, globalName } from "../../components/azure/globalName";

const SEED = "00000000-0000-4000-8000-000000000001/temporal-prd/prd";

describe("globalName", () => {
  it("starts with the component's name and ends with eight hex characters of the seed's hash", () => {
    expect(globalName("prd", SEED, GLOBAL_NAME_RULES.keyVault)).toMatch(/^prd-[0-9a-f]{8}$/);
    expect(globalName("prd", SEED, GLOBAL_NAME_RULES.storageAccount)).toMatch(/^prd[0-9a-f]{8}$/);
  });

  it("gives the same name for the same seed and another for another subscription or resource group", () => {
    const name = globalName("prd", SEED, GLOBAL_NAME_RULES.cosmosAccount);
    expect(globalName("prd", SEED, GLOBAL_NAME_RULES.cosmosAccount)).toBe(name);
    expect(globalName("prd", SEED.replace("temporal-prd", "temporal-stg"), GLOBAL_NAME_RULES.cosmosAccount)).not.toBe(name);
  });

  it("keeps only the characters each service accepts, lower case, and no double hyphens", () => {
    expect(globalName("Temporal_Prod--EU", SEED, GLOBAL_NAME_RULES.keyVault)).toMatch(/^temporalprod-eu-[0-9a-f]{8}$/);
    expect(globalName("Temporal_Prod--EU", SEED, GLOBAL_NAME_RULES.storageAccount)).toMatch(/^temporalprodeu[0-9a-f]{8}$/);
  });

  it("starts with a letter, as Key Vault requires", () => {
    expect(globalName("2-prd", SEED, GLOBAL_NAME_RULES.keyVault)).toMatch(/^prd-[0-9a-f]{8}$/);
    expect(globalName("123", SEED, GLOBAL_NAME_RULES.keyVault)).toMatch(/^temporal-[0-9a-f]{8}$/);
  });

  it("shortens long names to each service's limit without leaving a hyphen before the suffix", () => {
    const long = "temporal-production-west-europe-archive";
    for (const rule of Object.values(GLOBAL_NAME_RULES)) {
      const name = globalName(long, SEED, rule);
      expect(name.length, name).toBeLessThanOrEqual(rule.maxLength);
      expect(name, name).not.toContain("--");
    }
    expect(globalName(long, SEED, GLOBAL_NAME_RULES.keyVault)).toMatch(/^temporal-produc-[0-9a-f]{8}$/);
    expect(globalName("temporal-produ-x", SEED, GLOBAL_NAME_RULES.keyVault)).toMatch(/^temporal-produ-[0-9a-f]{8}$/);
  });
});
