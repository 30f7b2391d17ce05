import type { z } from "zod";
import { flexibleServerSkuProblem, managedCassandraSkuProblem, type FlexibleTier } from "./azureSkus";
import { aksVersionProblem, eksVersionProblem } from "./kubernetesVersions";
import { rdsEngineVersionProblem } from "../stores/rds/config";

interface Store {
  hosting?: unknown;
  engine?: unknown;
  engineVersion?: unknown;
  acceptExtendedSupport?: unknown;
  skuName?: unknown;
  tier?: unknown;
}

interface CreatedCluster {
  mode?: unknown;
  kubernetesVersion?: unknown;
}

interface CatalogRuleInput {
  environment?: string;
  platform?: unknown;
  persistence?: Store;
  visibility?: { store?: unknown; server?: Store };
  aws?: { eks?: CreatedCluster & { acceptExtendedSupport?: unknown } };
  azure?: { aks?: CreatedCluster };
}

const TIERS: FlexibleTier[] = ["Burstable", "GeneralPurpose", "MemoryOptimized"];

/**
 * Engine versions and compute sizes checked against what the managed services offer for a new
 * server (the dated lists in rdsEngineVersions.ts and azureSkus.ts), for the default store and a
 * separate visibility server alike, and the Kubernetes version of a cluster the kit creates against
 * what EKS or AKS creates (kubernetesVersions.ts). A value the schema already refuses for its shape
 * gets no second message here.
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
  for (const problem of clusterVersionProblems(config)) ctx.addIssue({ code: "custom", ...problem });
}

/**
 * The Kubernetes version of an EKS or AKS cluster the kit creates; an existing cluster's version is
 * its owner's, and a cluster block on the other platform already has its own message.
 */
function clusterVersionProblems(config: CatalogRuleInput): { path: string[]; input: string; message: string }[] {
  const clusters: [string[], CreatedCluster | undefined, (version: string) => string | undefined][] = [
    [
      ["aws", "eks"],
      config.platform === "aws-eks" ? config.aws?.eks : undefined,
      (version) => eksVersionProblem(version, String(config.environment), config.aws?.eks?.acceptExtendedSupport === true),
    ],
    [["azure", "aks"], config.platform === "azure-aks" ? config.azure?.aks : undefined, aksVersionProblem],
  ];
  return clusters.flatMap(([path, cluster, problemOf]) => {
    const version = cluster?.mode === "create" && typeof cluster.kubernetesVersion === "string" && /^1\.\d{2}$/.test(cluster.kubernetesVersion) ? cluster.kubernetesVersion : undefined;
    const message = version === undefined ? undefined : problemOf(version);
    return version !== undefined && message ? [{ path: [...path, "kubernetesVersion"], input: version, message }] : [];
  });
}

function storeProblem(store: Store | undefined): { key: string; given: string; message: string } | undefined {
  const problem = (key: string, given: string, message: string | undefined) => (message ? { key, given, message } : undefined);
  // The shapes the schema asks for; anything else already has its message.
  const skuName = typeof store?.skuName === "string" && /^Standard_[A-Za-z0-9_]+$/.test(store.skuName) ? store.skuName : undefined;
  switch (store?.hosting) {
    case "rds": {
      const { engine, engineVersion } = store;
      if ((engine !== "mysql8" && engine !== "postgres12") || typeof engineVersion !== "string" || !/^\d+(\.\d+){0,2}$/.test(engineVersion)) return undefined;
      return problem("engineVersion", engineVersion, rdsEngineVersionProblem(engine, engineVersion, store.acceptExtendedSupport === true));
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
