import { z } from "zod";

/**
 * Archival of closed workflows' histories and visibility records to Amazon S3 (on Azure, to Blob
 * Storage through an S3 gateway in the cluster), before the namespace retention deletes them from
 * the data store. Off by default: archives cost storage for as long as they are kept.
 */

// S3's rules for bucket names (no dots: a dotted name breaks virtual-hosted TLS).
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Storage classes GetObject reads at once; Glacier Flexible Retrieval and Deep Archive need a restore Temporal cannot do. */
const lifecycle = z.strictObject({
  infrequentAccessAfterDays: z.number().int().min(30, "must be at least 30: S3 moves objects to Standard-IA no sooner").optional().meta({ description: "Move archives to S3 Standard-IA after this many days (S3's minimum is 30)." }),
  glacierInstantRetrievalAfterDays: z.number().int().min(1).optional().meta({ description: "Move archives to S3 Glacier Instant Retrieval after this many days." }),
  expireAfterDays: z.number().int().min(1).optional().meta({ description: "Delete archives this many days after they were written; without it they are kept until someone deletes them." }),
});

export const archival = z.strictObject({
  enabled: z.boolean().meta({ description: "Archive closed workflows before retention deletes them; needs platform aws-eks, aws-ecs or azure-aks." }),
  history: z.boolean().meta({ description: "Archive the event histories of closed workflows." }),
  visibility: z.boolean().meta({ description: "Archive their visibility records, so `temporal workflow list --archived` finds them." }),
  existingBucket: z.string().regex(BUCKET_NAME, "must be an S3 bucket name: 3-63 lower-case letters, digits and '-'").optional().meta({ description: "An existing bucket the kit only grants access to; without it the kit creates and secures one." }),
  lifecycle: lifecycle.meta({ description: "When archives move to cheaper S3 storage classes and when they expire (S3 only)." }),
});
export type ArchivalConfig = z.infer<typeof archival>;

const state = z.enum(["enabled", "disabled"], { message: "must be enabled or disabled" });
export const namespaceArchival = z.strictObject({
  history: state.optional().meta({ description: "Whether this namespace archives its histories; it can be enabled only while archival.history is on, and unset it follows archival.history." }),
  visibility: state.optional().meta({ description: "Whether this namespace archives its visibility records; it can be enabled only while archival.visibility is on, and unset it follows archival.visibility." }),
});
export type NamespaceArchivalConfig = z.infer<typeof namespaceArchival>;

/**
 * The platforms where the kit can give the server's S3 archiver a store without a long-lived cloud
 * key: S3 through an IAM role on AWS; on AKS, Blob Storage behind an in-cluster S3 gateway that
 * signs in with workload identity (Temporal has no Blob archiver, temporalio/temporal#5516).
 */
export const ARCHIVAL_PLATFORMS = ["aws-eks", "aws-ecs", "azure-aks"];

const REFUSED_PLATFORM: Record<string, string> = {
  kubernetes:
    "must be false with platform kubernetes: the kit archives to cloud storage through an identity it creates for the server (an IAM role, or an AKS workload identity), which needs platform aws-eks, aws-ecs or azure-aks",
};

/** S3-only settings the Blob Storage path cannot honour; the account's own tiering and expiry stand in. */
const NOT_ON_AZURE: Record<string, { path: string[]; why: string }> = {
  existingBucket: {
    path: ["archival", "existingBucket"],
    why: "the kit creates the storage account and its container, and grants the gateway's identity access to that container alone",
  },
  infrequentAccessAfterDays: {
    path: ["archival", "lifecycle", "infrequentAccessAfterDays"],
    why: "S3 storage classes do not exist in Blob Storage; the account already stores archives in the cool tier",
  },
  glacierInstantRetrievalAfterDays: {
    path: ["archival", "lifecycle", "glacierInstantRetrievalAfterDays"],
    why: "S3 storage classes do not exist in Blob Storage; the account already stores archives in the cool tier",
  },
};

interface ArchivalRuleInput {
  platform?: unknown;
  archival?: Partial<ArchivalConfig>;
  namespaces?: unknown;
}

/** Archival only where an archiver can write, and a namespace archives only what the cluster does. */
export function archivalRules(config: ArchivalRuleInput, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  const cluster = config.archival;
  const platform = String(config.platform);
  const enabled = cluster?.enabled === true;

  if (enabled && !ARCHIVAL_PLATFORMS.includes(platform)) {
    issue(["archival", "enabled"], true, REFUSED_PLATFORM[platform] ?? `must be false with platform ${platform}: archival needs platform ${ARCHIVAL_PLATFORMS.join(" or ")}`);
  }
  if (enabled && platform === "azure-aks") {
    const given: Record<string, unknown> = { existingBucket: cluster?.existingBucket, ...cluster?.lifecycle };
    for (const [key, { path, why }] of Object.entries(NOT_ON_AZURE)) {
      if (given[key] !== undefined) issue(path, given[key], `must be left out with platform azure-aks: ${why}`);
    }
  }
  if (enabled && cluster?.history === false && cluster?.visibility === false) {
    issue(["archival"], { history: false, visibility: false }, "must archive history, visibility or both when enabled (or set enabled: false)");
  }

  const { infrequentAccessAfterDays: ia, glacierInstantRetrievalAfterDays: glacier, expireAfterDays: expire } = cluster?.lifecycle ?? {};
  if (typeof ia === "number" && typeof glacier === "number" && glacier < ia + 30) {
    issue(["archival", "lifecycle", "glacierInstantRetrievalAfterDays"], glacier, `must be at least 30 days after infrequentAccessAfterDays (${ia}): S3 keeps objects in Standard-IA that long`);
  }
  const lastTransition = Math.max(...[ia, glacier].filter((days): days is number => typeof days === "number"));
  if (typeof expire === "number" && Number.isFinite(lastTransition) && expire <= lastTransition) {
    issue(["archival", "lifecycle", "expireAfterDays"], expire, `must be later than the last transition (day ${lastTransition})`);
  }

  const namespaces = Array.isArray(config.namespaces) ? (config.namespaces as { archival?: Partial<Record<"history" | "visibility", unknown>> }[]) : [];
  namespaces.forEach((declared, index) => {
    for (const kind of ["history", "visibility"] as const) {
      if (declared?.archival?.[kind] !== "enabled") continue;
      if (!enabled || cluster?.[kind] !== true) {
        issue(
          ["namespaces", index, "archival", kind],
          "enabled",
          `must be disabled unless the cluster archives ${kind}: set archival.enabled and archival.${kind} to true`,
        );
      }
    }
  });
}
