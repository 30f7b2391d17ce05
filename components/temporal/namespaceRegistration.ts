/**
 * Creates a Temporal namespace, or brings an existing one's retention and description to what the
 * stack says. Values arrive as environment variables so no name or description is ever parsed as
 * shell.
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
  'if temporal operator namespace describe --namespace "$TEMPORAL_KIT_NAMESPACE" >/dev/null 2>&1; then',
  '  temporal operator namespace update "$@"',
  "else",
  '  temporal operator namespace create "$@"',
  "fi",
].join("\n");

export interface NamespaceSpec {
  name: string;
  retention: string;
  description?: string;
}

export function namespaceRegistrationEnv(namespace: NamespaceSpec, frontendAddress: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: frontendAddress,
    TEMPORAL_KIT_NAMESPACE: namespace.name,
    TEMPORAL_KIT_RETENTION: namespace.retention,
    ...(namespace.description ? { TEMPORAL_KIT_DESCRIPTION: namespace.description } : {}),
  };
}
