/**
 * How a console left without sign-in by an explicit `webConsole.allowUnauthenticated` is marked,
 * so the policy pack tells a recorded decision from an oversight: an annotation on Kubernetes, a
 * tag on ECS.
 */
export const SIGN_IN_WAIVER = { annotation: "temporal-kit/console-sign-in", tag: "temporal-kit:console-sign-in", value: "waived-by-config" } as const;

/** Whether the console runs without sign-in because the stack file said so. */
export const signInWaived = (console: { auth: { enabled: boolean }; allowUnauthenticated: boolean }) => !console.auth.enabled && console.allowUnauthenticated;

/** The variable the UI server reads its OIDC client secret from; platforms fill it from a secret store. */
export const CLIENT_SECRET_ENV = "TEMPORAL_AUTH_CLIENT_SECRET";

/** Sign-in through an OpenID Connect provider (the stack file's `webConsole.auth`). */
export interface WebConsoleSignIn {
  enabled: boolean;
  providerUrl?: string;
  /** When the issuer in the provider's tokens differs from providerUrl. */
  issuerUrl?: string;
  clientId?: string;
  callbackUrl?: string;
  scopes: string[];
}

/**
 * The UI server's sign-in settings as its environment variables (docs.temporal.io, "Temporal Web
 * UI environment variables reference"), all but the client secret, which never travels as plain text.
 */
export function webConsoleAuthEnv(auth: WebConsoleSignIn): Record<string, string> {
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
