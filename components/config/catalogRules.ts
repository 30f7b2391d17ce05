import type { z } from "zod";
import { flexibleServerSkuProblem, managedCassandraSkuProblem, type FlexibleTier } from "./azureSkus";
import { rdsEngineVersionProblem } from "./rdsEngineVersions";

interface Store {
  hosting?: unknown;
  engine?: unknown;
  engineVersion?: unknown;
  skuName?: unknown;
  tier?: unknown;
}

interface CatalogRuleInput {
  persistence?: Store;
  visibility?: { store?: unknown; server?: Store };
}

const TIERS: FlexibleTier[] = ["Burstable", "GeneralPurpose", "MemoryOptimized"];

/**
 * Engine versions and compute sizes checked against what the managed services offer for a new
 * server (the dated lists in rdsEngineVersions.ts and azureSkus.ts), for the default store and a
 * separate visibility server alike. A value the schema already refuses for its shape gets no
 * second message here.
 */
export function catalogRules(config: CatalogRuleInput, ctx: z.RefinementCtx): void {
  const stores: [(string | number)[], Store | undefined][] = [
    [["persistence"], config.persistence],
    [["visibility", "server"], config.visibility?.store === "sql-server" ? config.visibility.server : undefined],
  ];
  for (const [path, store] of stores) {
    const problem = storeProblem(store);
    if (problem) ctx.addIssue({ code: "custom", path: [...path, problem.key], input: problem.given, message: problem.message });
  }
}

function storeProblem(store: Store | undefined): { key: string; given: string; message: string } | undefined {
  const problem = (key: string, given: string, message: string | undefined) => (message ? { key, given, message } : undefined);
  // The shapes the schema asks for; anything else already has its message.
  const skuName = typeof store?.skuName === "string" && /^Standard_[A-Za-z0-9_]+$/.test(store.skuName) ? store.skuName : undefined;
  switch (store?.hosting) {
    case "rds": {
      const { engine, engineVersion } = store;
      if ((engine !== "mysql8" && engine !== "postgres12") || typeof engineVersion !== "string" || !/^\d+(\.\d+){0,2}$/.test(engineVersion)) return undefined;
      return problem("engineVersion", engineVersion, rdsEngineVersionProblem(engine, engineVersion));
    }
    case "azure-mysql":
    case "azure-postgres": {
      const tier = TIERS.find((candidate) => candidate === store.tier);
      if (!skuName || !tier) return undefined;
      return problem("skuName", skuName, flexibleServerSkuProblem(store.hosting === "azure-mysql" ? "mysql" : "postgres", tier, skuName));
    }
    case "azure-managed-cassandra":
      return skuName ? problem("skuName", skuName, managedCassandraSkuProblem(skuName)) : undefined;
    default:
      return undefined;
  }
}
