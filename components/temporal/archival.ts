import type { RoleName } from "./roles";
/**
 * Temporal's archival settings for the S3 archiver (`s3store`), as pure data. Histories and
 * visibility records go under their own prefix of one bucket; the archiver adds the namespace id
 * beneath it, so namespaces never share keys.
 */

export type ArchivalKind = "history" | "visibility";
export type ArchivalState = "enabled" | "disabled";

export interface ArchivalSpec {
  bucket: string;
  region: string;
  history: boolean;
  visibility: boolean;
  /**
   * An S3-compatible service to call instead of Amazon S3 (http://host:port). Such services rarely
   * answer virtual-hosted names (bucket.host), so requests then put the bucket in the path.
   */
  endpoint?: string;
}

/** The URI of each kind's archives. Temporal never changes a namespace's URI once set, so these never change either. */
export function archivalUri(bucket: string, kind: ArchivalKind): string {
  return `s3://${bucket}/${kind}`;
}

const DISABLED = { state: "disabled" } as const;

/**
 * The `archival` and `namespaceDefaults` sections of the server config. A kind the cluster does
 * not archive has no provider and no default URI: Temporal refuses either without the other.
 * Namespaces created outside the stack file (with the CLI) archive what the cluster archives.
 */
export function archivalServerConfig(spec: ArchivalSpec | undefined): { archival: object; namespaceDefaults: object } {
  const provider = spec ? { s3store: { region: spec.region, ...(spec.endpoint ? { endpoint: spec.endpoint, s3ForcePathStyle: true } : {}) } } : undefined;
  const cluster = (kind: ArchivalKind) => (spec?.[kind] ? { state: "enabled", enableRead: true, provider } : DISABLED);
  const namespaceDefault = (kind: ArchivalKind) => (spec?.[kind] ? { state: "enabled", URI: archivalUri(spec.bucket, kind) } : DISABLED);
  return {
    archival: { history: cluster("history"), visibility: cluster("visibility") },
    namespaceDefaults: { archival: { history: namespaceDefault("history"), visibility: namespaceDefault("visibility") } },
  };
}

export interface NamespaceArchival {
  history?: ArchivalState;
  visibility?: ArchivalState;
}

/** What the namespace script passes for one namespace: each kind's state and, when enabled, its URI. */
export interface NamespaceArchivalFlags {
  historyState: ArchivalState;
  historyUri?: string;
  visibilityState: ArchivalState;
  visibilityUri?: string;
}

/**
 * A declared namespace's archival, stated in full on every run: `namespaceDefaults` only reach
 * namespaces created after archival was turned on, and `namespace update` would otherwise reset
 * the states to its own defaults. Nothing when the cluster archives nothing: there is nothing to set.
 */
export function namespaceArchivalFlags(spec: ArchivalSpec | undefined, declared: NamespaceArchival | undefined): NamespaceArchivalFlags | undefined {
  if (!spec || (!spec.history && !spec.visibility)) return undefined;
  const state = (kind: ArchivalKind): ArchivalState => (spec[kind] ? (declared?.[kind] ?? "enabled") : "disabled");
  const historyState = state("history");
  const visibilityState = state("visibility");
  return {
    historyState,
    ...(historyState === "enabled" ? { historyUri: archivalUri(spec.bucket, "history") } : {}),
    visibilityState,
    ...(visibilityState === "enabled" ? { visibilityUri: archivalUri(spec.bucket, "visibility") } : {}),
  };
}

/**
 * The roles that touch the archives: history writes them, the frontends read them back and check a
 * namespace's URI when it is set, and the system worker runs the archival workflows older servers
 * used. Matching never does, so it gets no access.
 */
export const ARCHIVAL_ROLES = ["frontend", "internal-frontend", "history", "worker"] as const;

export const isArchivalRole = (role: RoleName): boolean => (ARCHIVAL_ROLES as readonly RoleName[]).includes(role);
