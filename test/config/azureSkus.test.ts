import { describe, expect, it } from "vitest";
import {
  AZURE_SKUS_READ_ON,
  flexibleServerSkuProblem,
  flexibleServerSkus,
  managedCassandraSkuProblem,
  managedCassandraSkus,
  type FlexibleService,
  type FlexibleTier,
} from "../../components/config/azureSkus";
import { PERSISTENCE_PRESETS } from "../../components/config/storePresets";
import { ENVIRONMENTS } from "../../components/config/schema";

const SERVICES: FlexibleService[] = ["mysql", "postgres"];
const TIERS: FlexibleTier[] = ["Burstable", "GeneralPurpose", "MemoryOptimized"];

describe("the Flexible Server size lists", () => {
  it("are dated", () => expect(AZURE_SKUS_READ_ON).toBe("2026-12-03"));

  it.each(SERVICES)("%s: Burstable is B-series, General Purpose D-series, Memory Optimized E-series, with no size in two tiers", (service) => {
    const prefixes: Record<FlexibleTier, RegExp> = { Burstable: /^Standard_B\d+m?s$/, GeneralPurpose: /^Standard_D\d+/, MemoryOptimized: /^Standard_E\d+/ };
    const seen = new Set<string>();
    for (const tier of TIERS) {
      const skus = flexibleServerSkus(service, tier);
      expect(skus.length).toBeGreaterThan(0);
      for (const sku of skus) {
        expect(sku).toMatch(prefixes[tier]);
        expect(seen.has(sku)).toBe(false);
        seen.add(sku);
      }
    }
  });

  it("has the sizes the pages list, and not Standard_D4ds_v5 on MySQL", () => {
    expect(flexibleServerSkus("mysql", "Burstable")).toEqual([
      "Standard_B1ms",
      "Standard_B2s",
      "Standard_B2ms",
      "Standard_B4ms",
      "Standard_B8ms",
      "Standard_B12ms",
      "Standard_B16ms",
      "Standard_B20ms",
    ]);
    expect(flexibleServerSkus("mysql", "GeneralPurpose")).toEqual(expect.arrayContaining(["Standard_D2ads_v5", "Standard_D4ads_v5", "Standard_D96ads_v5", "Standard_D64ds_v4"]));
    expect(flexibleServerSkus("mysql", "GeneralPurpose")).not.toContain("Standard_D4ds_v5");
    expect(flexibleServerSkus("mysql", "GeneralPurpose")).toHaveLength(15);
    expect(flexibleServerSkus("mysql", "MemoryOptimized")).toEqual(expect.arrayContaining(["Standard_E2ds_v4", "Standard_E4ads_v5", "Standard_E64ds_v5", "Standard_E80ids_v4", "Standard_E96ads_v5"]));
    expect(flexibleServerSkus("postgres", "GeneralPurpose")).toEqual(
      expect.arrayContaining(["Standard_D4ds_v5", "Standard_D4ads_v5", "Standard_D2s_v3", "Standard_D192ds_v6", "Standard_D96ads_v6"]),
    );
    expect(flexibleServerSkus("postgres", "MemoryOptimized")).toEqual(expect.arrayContaining(["Standard_E20ds_v4", "Standard_E64ads_v5", "Standard_E32ads_v5", "Standard_E192ds_v6"]));
    expect(flexibleServerSkus("postgres", "MemoryOptimized")).not.toContain("Standard_E20s_v3");
  });
});

describe("flexibleServerSkuProblem", () => {
  it("accepts every listed size on its own tier", () => {
    for (const service of SERVICES) for (const tier of TIERS) for (const sku of flexibleServerSkus(service, tier)) expect(flexibleServerSkuProblem(service, tier, sku)).toBeUndefined();
  });

  it("refuses PostgreSQL's Standard_D4ds_v5 on MySQL, naming the sizes MySQL offers", () => {
    expect(flexibleServerSkuProblem("mysql", "GeneralPurpose", "Standard_D4ds_v5")).toBe(
      "must be one of the GeneralPurpose sizes Azure Database for MySQL Flexible Server offers: Standard_D{2,4,8,16,32,48,64,96}ads_v5, Standard_D{2,4,8,16,32,48,64}ds_v4 " +
        '(Microsoft Learn "Azure Database for MySQL - Flexible Server service tiers", read 2026-12-03); Standard_D4ds_v5 is a size of Azure Database for PostgreSQL Flexible Server only',
    );
  });

  it("points a size on the wrong tier at its own tier", () => {
    expect(flexibleServerSkuProblem("postgres", "GeneralPurpose", "Standard_B2ms")).toMatch(/^is a Burstable size, not GeneralPurpose: set tier: Burstable, or pick one of the GeneralPurpose sizes/);
    expect(flexibleServerSkuProblem("mysql", "Burstable", "Standard_E4ads_v5")).toMatch(/^is a MemoryOptimized size, not Burstable/);
  });

  it("refuses sizes neither service sells", () => {
    expect(flexibleServerSkuProblem("postgres", "GeneralPurpose", "Standard_D4s_v5")).toMatch(/^must be one of the GeneralPurpose sizes Azure Database for PostgreSQL Flexible Server offers: .*Standard_D\{2,4,8,16,32,48,64\}s_v3 \(/);
  });
});

describe("the Managed Instance for Apache Cassandra size list", () => {
  it("is the E-series v5 list the CLI quickstart gives for new data centers", () => {
    expect(managedCassandraSkus()).toEqual(["Standard_E8s_v5", "Standard_E16s_v5", "Standard_E20s_v5", "Standard_E32s_v5"]);
  });

  it("refuses the D-series the presets used to pick, naming the sizes offered", () => {
    expect(managedCassandraSkuProblem("Standard_D8s_v5")).toBe(
      "must be one of the VM sizes Azure Managed Instance for Apache Cassandra offers for a new data center: Standard_E8s_v5, Standard_E16s_v5, Standard_E20s_v5, Standard_E32s_v5 " +
        '(Microsoft Learn "Create an Azure Managed Instance for Apache Cassandra cluster using Azure CLI", read 2026-12-03)',
    );
    expect(managedCassandraSkuProblem("Standard_E8s_v5")).toBeUndefined();
  });
});

describe("the Azure store presets", () => {
  it.each(ENVIRONMENTS)("%s: use sizes their services offer on their tier", (environment) => {
    for (const hosting of ["azure-mysql", "azure-postgres"] as const) {
      const preset = PERSISTENCE_PRESETS[environment][hosting];
      if (preset?.hosting !== hosting) throw new Error(`no ${hosting} preset`);
      expect(flexibleServerSkuProblem(hosting === "azure-mysql" ? "mysql" : "postgres", preset.tier, preset.skuName)).toBeUndefined();
    }
    const cassandra = PERSISTENCE_PRESETS[environment]["azure-managed-cassandra"];
    if (cassandra?.hosting !== "azure-managed-cassandra") throw new Error("no managed Cassandra preset");
    expect(managedCassandraSkuProblem(cassandra.skuName)).toBeUndefined();
  });
});
