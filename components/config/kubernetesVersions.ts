/**
 * The Kubernetes minor versions EKS and AKS create a cluster on, kept as data so that a version a
 * service no longer creates (EKS 1.31, AKS 1.34 on the kit's tiers) or creates only at a surcharge
 * (EKS 1.33 and 1.34) fails in config, not halfway through a deploy: Pulumi's mocks accept any string.
 *
 * Read 2026-12-03. Sources:
 * - EKS: "Amazon EKS Kubernetes release calendar",
 *   https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar
 *   (awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc). The newest stored
 *   copy read here (commit 01385604) reaches 1.34, with the same dates as below for 1.29 to 1.34; 1.35
 *   and 1.36 come from awslabs/aws-service-eol-data data/eol.json (lastUpdated 2026-09-13, commit
 *   f10afaf9), which cites that page for every EKS entry. No source read here lists an EKS 1.37.
 *   "End of standard support" is the day billing for extended support starts (00:00 UTC, says the
 *   page); from "end of extended support" on, EKS creates no cluster on the version and upgrades
 *   existing ones. EKS creates clusters on every version in standard or extended support ("You can
 *   create new Amazon EKS clusters on any version offered in standard or extended support"), and a
 *   cluster in extended support costs $0.60 per cluster hour instead of $0.10 (EKS_EXTENDED_SUPPORT_PRICE).
 * - AKS: "Supported Kubernetes versions in Azure Kubernetes Service (AKS)",
 *   https://learn.microsoft.com/azure/aks/supported-kubernetes-versions (MicrosoftDocs/azure-aks-docs
 *   articles/aks/supported-kubernetes-versions.md, ms.date 08/05/2026): the release calendar and its
 *   LTS table. A month without a day there means the month's last day. AKS supports the three newest
 *   GA minors (community support); the one before them gets "platform support", under which cluster
 *   creation is not supported, and every version up to its LTS end of life is created only with
 *   long-term support, which "requires moving your cluster to the Premium tier and explicitly
 *   selecting the LTS support plan" (articles/aks/long-term-support.md, 06/10/2025). The kit's AKS
 *   clusters are on the Free or Standard tier with the default KubernetesOfficial plan
 *   (components/azure/aksCluster.ts), on which AKS refuses such a version ("K8sVersionNotSupported:
 *   ... which is only available for Long-Term Support (LTS)"). That page was written before 1.37's
 *   GA, which its calendar plans for October 2026.
 *
 * Statuses are those of the day the list was read, not of the day a stack is deployed, so that a
 * stack file's validity does not change with the clock. Update this list from the calendars when a
 * version is added or leaves support; the unit tests check it stays consistent with its own date.
 */

export const KUBERNETES_VERSIONS_READ_ON = "2026-12-03";
export const EKS_VERSIONS_SOURCE = "the Amazon EKS Kubernetes release calendar, read 2026-12-03";
export const AKS_VERSIONS_SOURCE = "the AKS Kubernetes release calendar, read 2026-12-03";

/** What a cluster in EKS extended support costs, against standard support, and where AWS says so. */
export const EKS_EXTENDED_SUPPORT_PRICE =
  '$0.60 per cluster hour instead of $0.10 (AWS Containers blog "Amazon EKS extended support for Kubernetes versions pricing", ' +
  "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/, and https://aws.amazon.com/eks/pricing/)";
/** Where AKS prices the Premium tier that long-term support needs; the stored documentation gives no figure. */
export const AKS_PREMIUM_TIER_PRICING = "https://azure.microsoft.com/pricing/details/kubernetes-service/";

/**
 * The version the EKS and AKS presets create clusters on: the newest that EKS has under standard
 * support and AKS under community support on the day the list was read (AKS's 1.37 was only planned
 * when its page was written; EKS had none), and the one whose API the whole-stack tests validate
 * every manifest against (test/stacks/kubernetesSchemas.test.ts: kubernetes-models 5, generated from
 * Kubernetes v1.36.0). A newer preset needs newer schemas there first.
 */
export const PRESET_KUBERNETES_VERSION = "1.36";

/** Where to add a version the calendars gained since the list was read. */
const LIST_FILE = "components/config/kubernetesVersions.ts";

export interface EksVersion {
  version: string;
  /** The calendar's "End of standard support": extended support, billed extra, from this day on. */
  standardSupportEnds: string;
  /** The calendar's "End of extended support": EKS creates no cluster on the version from this day on. */
  extendedSupportEnds: string;
}

export interface AksVersion {
  version: string;
  /** The calendar's "AKS GA", a month. */
  generallyAvailable: string;
  /** The calendar's "End of life": community support ends; only long-term support remains. */
  endOfLife: string;
  /** The LTS table's "LTS End of life": AKS creates no cluster on the version from this day on. */
  ltsEndOfLife: string;
}

/** Oldest first. */
const EKS_VERSIONS: EksVersion[] = [
  { version: "1.29", standardSupportEnds: "2025-03-23", extendedSupportEnds: "2026-03-23" },
  { version: "1.30", standardSupportEnds: "2025-07-23", extendedSupportEnds: "2026-07-23" },
  { version: "1.31", standardSupportEnds: "2025-11-26", extendedSupportEnds: "2026-11-26" },
  { version: "1.32", standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23" },
  { version: "1.33", standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
  { version: "1.34", standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
  { version: "1.35", standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
  { version: "1.36", standardSupportEnds: "2027-08-02", extendedSupportEnds: "2028-08-02" },
];

/** Oldest first; months without a day are written as their last day. */
const AKS_VERSIONS: AksVersion[] = [
  { version: "1.29", generallyAvailable: "2024-03", endOfLife: "2025-03-31", ltsEndOfLife: "2026-04-30" },
  { version: "1.30", generallyAvailable: "2024-07", endOfLife: "2025-08-22", ltsEndOfLife: "2026-07-31" },
  { version: "1.31", generallyAvailable: "2024-11", endOfLife: "2025-11-01", ltsEndOfLife: "2026-11-30" },
  { version: "1.32", generallyAvailable: "2025-04", endOfLife: "2026-03-31", ltsEndOfLife: "2027-03-31" },
  { version: "1.33", generallyAvailable: "2025-06", endOfLife: "2026-07-31", ltsEndOfLife: "2027-07-31" },
  { version: "1.34", generallyAvailable: "2025-11", endOfLife: "2026-11-30", ltsEndOfLife: "2027-11-30" },
  { version: "1.35", generallyAvailable: "2026-03", endOfLife: "2027-03-31", ltsEndOfLife: "2028-03-31" },
  { version: "1.36", generallyAvailable: "2026-06", endOfLife: "2027-06-30", ltsEndOfLife: "2028-06-30" },
  { version: "1.37", generallyAvailable: "2026-10", endOfLife: "2027-10-31", ltsEndOfLife: "2028-10-31" },
];

export type EksSupport = "standard" | "extended" | "ended";
export type AksSupport = "community" | "long-term" | "ended";

export function eksSupportOf(entry: EksVersion): EksSupport {
  if (KUBERNETES_VERSIONS_READ_ON < entry.standardSupportEnds) return "standard";
  return KUBERNETES_VERSIONS_READ_ON < entry.extendedSupportEnds ? "extended" : "ended";
}

export function aksSupportOf(entry: AksVersion): AksSupport {
  if (KUBERNETES_VERSIONS_READ_ON < entry.endOfLife) return "community";
  return KUBERNETES_VERSIONS_READ_ON < entry.ltsEndOfLife ? "long-term" : "ended";
}

/** Every EKS version the list knows, oldest first, or those with the given support. */
export function eksVersions(support?: EksSupport): EksVersion[] {
  return EKS_VERSIONS.filter((entry) => support === undefined || eksSupportOf(entry) === support);
}

/** Every AKS version the list knows, oldest first, or those with the given support. */
export function aksVersions(support?: AksSupport): AksVersion[] {
  return AKS_VERSIONS.filter((entry) => support === undefined || aksSupportOf(entry) === support);
}

/** The minor of a `1.NN` version, for ordering; undefined for anything else. */
export function kubernetesMinorOf(version: string): number | undefined {
  const match = /^1\.(\d+)$/.exec(version);
  return match ? Number(match[1]) : undefined;
}

const names = (entries: { version: string }[]) => entries.map((entry) => entry.version).join(", ");

/** Why a version newer than every listed one is refused: the list may be behind the service. */
function newerThanListed(service: string, version: string, known: { version: string }[]): string | undefined {
  const minor = kubernetesMinorOf(version);
  const newest = kubernetesMinorOf(known.at(-1)!.version)!;
  if (minor === undefined || minor <= newest) return undefined;
  return `${version} is newer than any version on the ${service} release calendar when this list was read; if ${service} creates clusters on it now, add it with its dates to ${LIST_FILE}`;
}

/**
 * Why the kit should not create an EKS cluster on `version` in `environment`, or undefined when it
 * may: EKS creates none on a version past extended support, and one in extended support costs six
 * times the standard cluster fee, which only dev accepts. The reason names the versions allowed.
 */
export function eksVersionProblem(version: string, environment: string, acceptExtendedSupport = false): string | undefined {
  const standard = eksVersions("standard");
  const extended = eksVersions("extended");
  const mayPay = environment === "dev" || acceptExtendedSupport;
  const allowed = mayPay
    ? `the Kubernetes versions EKS creates clusters on: ${names(standard)} under standard support, ${names(extended)} under extended support at ${EKS_EXTENDED_SUPPORT_PRICE} (${EKS_VERSIONS_SOURCE})`
    : `the Kubernetes versions under EKS standard support: ${names(standard)} (${EKS_VERSIONS_SOURCE})`;
  const entry = EKS_VERSIONS.find((candidate) => candidate.version === version);
  const support = entry ? eksSupportOf(entry) : undefined;
  if (support === "standard" || (support === "extended" && mayPay)) return undefined;
  if (entry && support === "extended") {
    return (
      `must be one of ${allowed}; EKS ${version} left standard support on ${entry.standardSupportEnds}: a cluster on it runs under EKS extended support (until ${entry.extendedSupportEnds}), ` +
      `billed at ${EKS_EXTENDED_SUPPORT_PRICE}, which only dev accepts unless aws.eks.acceptExtendedSupport is true ` +
      "(for a cluster that must climb to a supported version one minor at a time, as EKS upgrades)"
    );
  }
  if (entry) return `must be one of ${allowed}; EKS no longer creates clusters on ${version}: its extended support ended on ${entry.extendedSupportEnds}`;
  const newer = newerThanListed("EKS", version, EKS_VERSIONS);
  return newer ? `must be one of ${allowed}; ${newer}` : `must be one of ${allowed}`;
}

/**
 * Why the kit cannot create an AKS cluster on `version`, or undefined when it can: past its end of
 * life AKS creates a cluster on a version only with long-term support on the Premium tier, which
 * the kit's clusters do not use, so the answer is the same in every environment.
 */
export function aksVersionProblem(version: string): string | undefined {
  const allowed = `the Kubernetes versions AKS creates clusters on under community support: ${names(aksVersions("community"))} (${AKS_VERSIONS_SOURCE})`;
  const entry = AKS_VERSIONS.find((candidate) => candidate.version === version);
  const support = entry ? aksSupportOf(entry) : undefined;
  if (support === "community") return undefined;
  if (entry && support === "long-term") {
    return (
      `must be one of ${allowed}; AKS ${version} reached its end of life on ${entry.endOfLife}, and AKS creates a cluster on it only with long-term support (until ${entry.ltsEndOfLife}), ` +
      `which needs the Premium tier, billed per cluster hour (${AKS_PREMIUM_TIER_PRICING}), and the AKSLongTermSupport plan: ` +
      "the kit's clusters are on the Free or Standard tier, where AKS refuses it (K8sVersionNotSupported)"
    );
  }
  if (entry) return `must be one of ${allowed}; AKS no longer creates clusters on ${version}: its long-term support ended on ${entry.ltsEndOfLife}`;
  const newer = newerThanListed("AKS", version, AKS_VERSIONS);
  return newer ? `must be one of ${allowed}; ${newer}` : `must be one of ${allowed}`;
}
