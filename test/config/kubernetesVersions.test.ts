import { describe, expect, it } from "vitest";
import {
  KUBERNETES_VERSIONS_READ_ON,
  PRESET_KUBERNETES_VERSION,
  aksSupportOf,
  aksVersionProblem,
  aksVersions,
  eksSupportOf,
  eksVersionProblem,
  eksVersions,
  kubernetesMinorOf,
} from "../../components/config/kubernetesVersions";
import { presetFor } from "../../components/config/presets";
import { ENVIRONMENTS } from "../../components/config/schema";

const versionsOf = (entries: { version: string }[]) => entries.map((entry) => entry.version);
const EKS_STANDARD = "the Kubernetes versions under EKS standard support: 1.35, 1.36 (the Amazon EKS Kubernetes release calendar, read 2026-12-03)";
const AKS_COMMUNITY = "the Kubernetes versions AKS creates clusters on under community support: 1.35, 1.36, 1.37 (the AKS Kubernetes release calendar, read 2026-12-03)";

describe("the EKS version list", () => {
  it("lists what the release calendar gave on 2026-12-03", () => {
    expect(KUBERNETES_VERSIONS_READ_ON).toBe("2026-12-03");
    expect(versionsOf(eksVersions("standard"))).toEqual(["1.35", "1.36"]);
    expect(versionsOf(eksVersions("extended"))).toEqual(["1.32", "1.33", "1.34"]);
    expect(versionsOf(eksVersions("ended"))).toEqual(["1.29", "1.30", "1.31"]);
  });

  it("keeps each version's dates in order: 14 months of standard support, then 12 of extended support", () => {
    for (const entry of eksVersions()) {
      expect(entry.standardSupportEnds < entry.extendedSupportEnds, entry.version).toBe(true);
      const [year, month, day] = entry.standardSupportEnds.split("-").map(Number);
      expect(entry.extendedSupportEnds, entry.version).toBe(`${year + 1}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`);
    }
  });

  it("is ordered oldest first, one minor after another, with later versions leaving support later", () => {
    const entries = eksVersions();
    entries.slice(1).forEach((entry, index) => {
      expect(kubernetesMinorOf(entry.version)).toBe(kubernetesMinorOf(entries[index].version)! + 1);
      expect(entry.standardSupportEnds > entries[index].standardSupportEnds).toBe(true);
    });
  });

  it("classifies by the day the list was read: the end of standard support is the first day billed as extended", () => {
    expect(eksSupportOf({ version: "1.34", standardSupportEnds: KUBERNETES_VERSIONS_READ_ON, extendedSupportEnds: "2027-12-03" })).toBe("extended");
    expect(eksSupportOf({ version: "1.31", standardSupportEnds: "2025-12-03", extendedSupportEnds: KUBERNETES_VERSIONS_READ_ON })).toBe("ended");
  });
});

describe("the AKS version list", () => {
  it("lists what the release calendar gave on 2026-12-03", () => {
    expect(versionsOf(aksVersions("community"))).toEqual(["1.35", "1.36", "1.37"]);
    expect(versionsOf(aksVersions("long-term"))).toEqual(["1.32", "1.33", "1.34"]);
    expect(versionsOf(aksVersions("ended"))).toEqual(["1.29", "1.30", "1.31"]);
  });

  it("supports three minor versions in community support, as AKS's N-2 policy has it", () => {
    expect(aksVersions("community")).toHaveLength(3);
  });

  it("keeps each version's dates in order: GA before the read date, end of life, then a year of LTS", () => {
    for (const entry of aksVersions()) {
      expect(entry.generallyAvailable < KUBERNETES_VERSIONS_READ_ON, entry.version).toBe(true);
      expect(entry.generallyAvailable < entry.endOfLife && entry.endOfLife < entry.ltsEndOfLife, entry.version).toBe(true);
      expect(Number(entry.ltsEndOfLife.slice(0, 4)) - Number(entry.endOfLife.slice(0, 4)), entry.version).toBe(1);
      expect(aksSupportOf(entry)).toBe(KUBERNETES_VERSIONS_READ_ON < entry.endOfLife ? "community" : KUBERNETES_VERSIONS_READ_ON < entry.ltsEndOfLife ? "long-term" : "ended");
    }
  });

  it("is ordered oldest first, one minor after another", () => {
    const minors = aksVersions().map((entry) => kubernetesMinorOf(entry.version)!);
    expect(minors).toEqual(minors.map((_, index) => minors[0] + index));
  });
});

describe("eksVersionProblem", () => {
  it.each(ENVIRONMENTS)("accepts every version under standard support in %s", (environment) => {
    for (const { version } of eksVersions("standard")) expect(eksVersionProblem(version, environment)).toBeUndefined();
  });

  it("accepts a version in extended support in dev only, naming the price outside it", () => {
    expect(eksVersionProblem("1.33", "dev")).toBeUndefined();
    expect(eksVersionProblem("1.33", "production")).toBe(
      `must be one of ${EKS_STANDARD}; EKS 1.33 left standard support on 2026-07-29: a cluster on it runs under EKS extended support (until 2027-07-29), ` +
        'billed at $0.60 per cluster hour instead of $0.10 (AWS Containers blog "Amazon EKS extended support for Kubernetes versions pricing", ' +
        "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/, and https://aws.amazon.com/eks/pricing/), which only dev accepts " +
        "unless aws.eks.acceptExtendedSupport is true (for a cluster that must climb to a supported version one minor at a time, as EKS upgrades)",
    );
    expect(eksVersionProblem("1.34", "staging")).toContain("EKS 1.34 left standard support on 2026-12-02");
    expect(eksVersionProblem("1.34", "staging", true)).toBeUndefined();
  });

  it("refuses a version past extended support everywhere, naming in dev the versions extended support still offers", () => {
    expect(eksVersionProblem("1.31", "staging")).toBe(`must be one of ${EKS_STANDARD}; EKS no longer creates clusters on 1.31: its extended support ended on 2026-11-26`);
    expect(eksVersionProblem("1.31", "dev")).toBe(
      "must be one of the Kubernetes versions EKS creates clusters on: 1.35, 1.36 under standard support, 1.32, 1.33, 1.34 under extended support at $0.60 per cluster hour instead of $0.10 " +
        '(AWS Containers blog "Amazon EKS extended support for Kubernetes versions pricing", https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/, and https://aws.amazon.com/eks/pricing/) ' +
        "(the Amazon EKS Kubernetes release calendar, read 2026-12-03); EKS no longer creates clusters on 1.31: its extended support ended on 2026-11-26",
    );
  });

  it("refuses versions the list does not know, pointing at the list for a newer one", () => {
    expect(eksVersionProblem("1.28", "production")).toBe(`must be one of ${EKS_STANDARD}`);
    expect(eksVersionProblem("1.37", "production")).toBe(
      `must be one of ${EKS_STANDARD}; 1.37 is newer than any version on the EKS release calendar when this list was read; if EKS creates clusters on it now, add it with its dates to components/config/kubernetesVersions.ts`,
    );
  });
});

describe("aksVersionProblem", () => {
  it("accepts every version in community support", () => {
    for (const { version } of aksVersions("community")) expect(aksVersionProblem(version)).toBeUndefined();
  });

  it("refuses a version past its end of life: AKS creates it only with long-term support, on the Premium tier the kit does not use", () => {
    expect(aksVersionProblem("1.33")).toBe(
      `must be one of ${AKS_COMMUNITY}; AKS 1.33 reached its end of life on 2026-07-31, and AKS creates a cluster on it only with long-term support (until 2027-07-31), ` +
        "which needs the Premium tier, billed per cluster hour (https://azure.microsoft.com/pricing/details/kubernetes-service/), and the AKSLongTermSupport plan: " +
        "the kit's clusters are on the Free or Standard tier, where AKS refuses it (K8sVersionNotSupported)",
    );
    expect(aksVersionProblem("1.34")).toContain("AKS 1.34 reached its end of life on 2026-11-30");
  });

  it("refuses a version past long-term support and one the list does not know", () => {
    expect(aksVersionProblem("1.31")).toBe(`must be one of ${AKS_COMMUNITY}; AKS no longer creates clusters on 1.31: its long-term support ended on 2026-11-30`);
    expect(aksVersionProblem("1.26")).toBe(`must be one of ${AKS_COMMUNITY}`);
    expect(aksVersionProblem("1.38")).toContain("1.38 is newer than any version on the AKS release calendar when this list was read");
  });
});

describe("the EKS and AKS presets", () => {
  it("share the newest version both EKS standard support and AKS community support offer", () => {
    const eks = new Set(versionsOf(eksVersions("standard")));
    const common = versionsOf(aksVersions("community")).filter((version) => eks.has(version));
    expect(PRESET_KUBERNETES_VERSION).toBe(common.at(-1));
    expect(PRESET_KUBERNETES_VERSION).toBe("1.36");
  });

  it.each(ENVIRONMENTS)("%s: creates clusters on it", (environment) => {
    expect(presetFor(environment, "aws-eks").config.aws?.eks).toMatchObject({ mode: "create", kubernetesVersion: PRESET_KUBERNETES_VERSION });
    expect(presetFor(environment, "azure-aks").config.azure?.aks).toMatchObject({ mode: "create", kubernetesVersion: PRESET_KUBERNETES_VERSION });
    expect(eksVersionProblem(PRESET_KUBERNETES_VERSION, environment)).toBeUndefined();
    expect(aksVersionProblem(PRESET_KUBERNETES_VERSION)).toBeUndefined();
  });
});
