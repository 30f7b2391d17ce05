import { ArchivalSpec, NamespaceArchival, NamespaceArchivalFlags, namespaceArchivalFlags } from "./archival";

/**
 * Creates a Temporal namespace, or brings an existing one's retention, description and archival
 * to what the stack says. Values arrive as environment variables so no name or description is
 * ever parsed as shell. There is no delete here: dropping a namespace from the stack file leaves
 * it, and its workflows, in place.
 */
export const NAMESPACE_SCRIPT = [
  "set -eu",
  // With mutual TLS on, every CLI call presents the mounted client certificate named by the SDKs' TEMPORAL_TLS_* variables.
  "temporal() {",
  '  if [ -n "${TEMPORAL_TLS_CLIENT_CERT_PATH:-}" ]; then',
  '    set -- "$@" --tls-cert-path "$TEMPORAL_TLS_CLIENT_CERT_PATH" --tls-key-path "$TEMPORAL_TLS_CLIENT_KEY_PATH" --tls-ca-path "$TEMPORAL_TLS_SERVER_CA_CERT_PATH" --tls-server-name "$TEMPORAL_TLS_SERVER_NAME"',
  "  fi",
  '  command temporal "$@"',
  "}",
  'set -- --namespace "$TEMPORAL_KIT_NAMESPACE" --retention "$TEMPORAL_KIT_RETENTION"',
  'if [ -n "${TEMPORAL_KIT_DESCRIPTION:-}" ]; then set -- "$@" --description "$TEMPORAL_KIT_DESCRIPTION"; fi',
  'if [ -n "${TEMPORAL_KIT_HISTORY_ARCHIVAL:-}" ]; then set -- "$@" --history-archival-state "$TEMPORAL_KIT_HISTORY_ARCHIVAL"; fi',
  'if [ -n "${TEMPORAL_KIT_HISTORY_URI:-}" ]; then set -- "$@" --history-uri "$TEMPORAL_KIT_HISTORY_URI"; fi',
  'if [ -n "${TEMPORAL_KIT_VISIBILITY_ARCHIVAL:-}" ]; then set -- "$@" --visibility-archival-state "$TEMPORAL_KIT_VISIBILITY_ARCHIVAL"; fi',
  'if [ -n "${TEMPORAL_KIT_VISIBILITY_URI:-}" ]; then set -- "$@" --visibility-uri "$TEMPORAL_KIT_VISIBILITY_URI"; fi',
  'if temporal operator namespace describe --namespace "$TEMPORAL_KIT_NAMESPACE" >/dev/null 2>&1; then',
  '  temporal operator namespace update "$@" || {',
  '    echo "temporal-kit: updating namespace $TEMPORAL_KIT_NAMESPACE failed; if the error is about the archival URI: Temporal never changes a URI once set (see docs/archival-and-namespaces.md)" >&2',
  "    exit 1",
  "  }",
  "else",
  '  temporal operator namespace create "$@"',
  "fi",
].join("\n");

export interface NamespaceSpec {
  name: string;
  retention: string;
  description?: string;
  /** Set when the cluster archives: every run states the namespace's archival in full. */
  archival?: NamespaceArchivalFlags;
}

/** The script's inputs for one namespace, besides the frontend address. */
export function namespaceScriptEnv(namespace: NamespaceSpec): Record<string, string> {
  const archival = namespace.archival;
  return {
    TEMPORAL_KIT_NAMESPACE: namespace.name,
    TEMPORAL_KIT_RETENTION: namespace.retention,
    ...(namespace.description ? { TEMPORAL_KIT_DESCRIPTION: namespace.description } : {}),
    ...(archival
      ? {
          TEMPORAL_KIT_HISTORY_ARCHIVAL: archival.historyState,
          ...(archival.historyUri ? { TEMPORAL_KIT_HISTORY_URI: archival.historyUri } : {}),
          TEMPORAL_KIT_VISIBILITY_ARCHIVAL: archival.visibilityState,
          ...(archival.visibilityUri ? { TEMPORAL_KIT_VISIBILITY_URI: archival.visibilityUri } : {}),
        }
      : {}),
  };
}

export function namespaceRegistrationEnv(namespace: NamespaceSpec, frontendAddress: string): Record<string, string> {
  return { TEMPORAL_ADDRESS: frontendAddress, ...namespaceScriptEnv(namespace) };
}

export interface DeclaredNamespace {
  name: string;
  retention: string;
  description?: string;
  archival?: NamespaceArchival;
}

/** The stack file's namespaces as the script takes them: the cluster's archive decides their URIs. */
export function declaredNamespaceSpecs(namespaces: DeclaredNamespace[], archival: ArchivalSpec | undefined): NamespaceSpec[] {
  return namespaces.map((declared) => {
    const flags = namespaceArchivalFlags(archival, declared.archival);
    return {
      name: declared.name,
      retention: declared.retention,
      ...(declared.description !== undefined ? { description: declared.description } : {}),
      ...(flags ? { archival: flags } : {}),
    };
  });
}
