import type { WebConsoleAuthConfig } from "../config/webConsoleSchema";

/** The variable the UI server reads its OIDC client secret from; platforms fill it from a secret store. */
export const CLIENT_SECRET_ENV = "TEMPORAL_AUTH_CLIENT_SECRET";

/**
 * The UI server's sign-in settings as its environment variables (docs.temporal.io, "Temporal Web
 * UI environment variables reference"), all but the client secret, which never travels as plain text.
 */
export function webConsoleAuthEnv(auth: WebConsoleAuthConfig): Record<string, string> {
  if (!auth.enabled) return {};
  if (!auth.providerUrl || !auth.clientId || !auth.callbackUrl) {
    throw new Error("web console sign-in needs providerUrl, clientId and callbackUrl");
  }
  return {
    TEMPORAL_AUTH_ENABLED: "true",
    TEMPORAL_AUTH_TYPE: "oidc",
    TEMPORAL_AUTH_PROVIDER_URL: auth.providerUrl,
    TEMPORAL_AUTH_ISSUER_URL: auth.issuerUrl ?? auth.providerUrl,
    TEMPORAL_AUTH_CLIENT_ID: auth.clientId,
    TEMPORAL_AUTH_CALLBACK_URL: auth.callbackUrl,
    TEMPORAL_AUTH_SCOPES: auth.scopes.join(","),
  };
}
