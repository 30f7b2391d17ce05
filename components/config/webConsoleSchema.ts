import { z } from "zod";
import { WEB_CONSOLE_POD, podOverrides } from "./podSchema";
import { dnsLabel, image, resources } from "./primitives";

/** The one config key that holds the OIDC client secret; set with `pulumi config set --secret`. */
export const WEB_CONSOLE_CLIENT_SECRET_KEY = "webConsoleClientSecret";

const httpsUrl = (what: string) =>
  z.string().url(`must be the ${what} as an https:// URL`).refine((value) => value.startsWith("https://"), { message: `must be the ${what} as an https:// URL` });

/**
 * Sign-in through an OpenID Connect provider (the UI server's `TEMPORAL_AUTH_*` settings). The
 * client secret is not here: it is the Pulumi secret `temporal-kit:webConsoleClientSecret`, so the
 * stack file only ever holds it encrypted.
 */
const auth = z.strictObject({
  enabled: z.boolean().meta({ description: "Require sign-in through the OIDC provider before the console shows anything." }),
  providerUrl: httpsUrl("OIDC issuer").optional().meta({ description: "The issuer URL; the UI server reads `<providerUrl>/.well-known/openid-configuration`." }),
  issuerUrl: httpsUrl("OIDC token issuer").optional().meta({ description: "When the issuer in the provider's tokens differs from providerUrl (some providers' tenants)." }),
  clientId: z.string().min(1).optional().meta({ description: "The client id the console is registered under at the OIDC provider." }),
  callbackUrl: z.string().url("must be the console's callback URL such as https://temporal.example.com/auth/sso/callback").optional().meta({ description: "Where the provider sends the browser back: `https://<console host>/auth/sso/callback`." }),
  scopes: z
    .array(z.string().regex(/^[^\s,]+$/, "must be one OAuth scope without spaces or commas")).min(1, "must list at least openid").meta({ description: "The OAuth scopes the console asks for; they must include openid." }),
});

const ingress = z.strictObject({
  enabled: z.boolean().meta({ description: "Create a Kubernetes Ingress with TLS for the console (Kubernetes platforms; on aws-ecs the load balancer is under aws.ecs.webConsole)." }),
  host: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS host name such as temporal.example.com")
    .optional().meta({ description: "The host name the Ingress serves the console on." }),
  className: z.string().min(1).optional().meta({ description: "The IngressClass of the Ingress; unset, the cluster's default." }),
  tlsSecretName: dnsLabel("a Kubernetes Secret").optional().meta({ description: "The Secret holding the TLS certificate (created by cert-manager when clusterIssuer is set)." }),
  clusterIssuer: z.string().min(1).optional().meta({ description: "A cert-manager ClusterIssuer that issues the certificate into tlsSecretName." }),
  annotations: z.record(z.string(), z.string()).meta({ description: "Annotations on the Ingress, for the ingress controller." }),
});

export const webConsole = z.strictObject({
  enabled: z.boolean().meta({ description: "Deploy Temporal's web UI." }),
  image: image.meta({ description: "The Temporal UI image." }),
  replicas: z.number().int().min(1).max(20).meta({ description: "How many console pods run; production needs at least 2 while the console is enabled." }),
  resources: resources.meta({ description: "The CPU and memory requests and limits of each console pod." }),
  corsOrigins: z.array(z.string().url()).meta({ description: "Origins allowed to call the console's server cross-origin; sets TEMPORAL_CORS_ORIGINS when not empty." }),
  auth: auth.meta({ description: "Sign-in through an OpenID Connect provider. The client secret is the Pulumi secret temporal-kit:webConsoleClientSecret, so the stack file only holds it encrypted." }),
  /** A Kubernetes Ingress with TLS; without it the console is reached by `kubectl port-forward`. */
  ingress,
  allowUnauthenticated: z.boolean().meta({ description: "Production refuses to expose a console without sign-in unless this says it is meant." }),
  pod: podOverrides(WEB_CONSOLE_POD).optional().meta({ description: "Scheduling, labels, pull secrets, extra env and volumes for the console's pods, added to what the kit sets (docs/pod-overrides.md)." }),
});
export type WebConsoleConfig = z.infer<typeof webConsole>;
export type WebConsoleAuthConfig = WebConsoleConfig["auth"];
export type WebConsoleIngressConfig = WebConsoleConfig["ingress"];

interface RuleInput {
  environment?: unknown;
  platform?: unknown;
  webConsole?: Partial<{ enabled: unknown; auth: Partial<WebConsoleAuthConfig>; ingress: Partial<WebConsoleIngressConfig>; allowUnauthenticated: unknown }>;
}

type Issue = (path: (string | number)[], input: unknown, message: string) => void;

/**
 * What the console needs to sign people in or be exposed, and the production rule: a console
 * reachable beyond `kubectl port-forward` (an Ingress on Kubernetes; the load balancer on ECS,
 * which always exists) must sign people in unless `allowUnauthenticated` says otherwise.
 */
export function webConsoleRules(config: RuleInput, ctx: z.RefinementCtx): void {
  const console = config.webConsole;
  if (!console || console.enabled !== true) return;
  const issue: Issue = (path, input, message) => ctx.addIssue({ code: "custom", path: ["webConsole", ...path], input, message });
  const auth = console.auth;
  const ingress = console.ingress;
  const onEcs = config.platform === "aws-ecs";

  if (auth?.enabled === true) {
    for (const key of ["providerUrl", "clientId", "callbackUrl"] as const) {
      if (auth[key] === undefined) issue(["auth", key], undefined, "is required when webConsole.auth.enabled is true");
    }
    if (Array.isArray(auth.scopes) && !auth.scopes.includes("openid")) {
      issue(["auth", "scopes"], auth.scopes, "must include openid: the UI server signs people in with OpenID Connect");
    }
  }

  if (ingress?.enabled === true) {
    if (onEcs) issue(["ingress", "enabled"], true, "must be false on aws-ecs: the console's load balancer is set under aws.ecs.webConsole");
    if (ingress.host === undefined) issue(["ingress", "host"], undefined, "is required when webConsole.ingress.enabled is true");
    if (ingress.tlsSecretName === undefined) {
      issue(["ingress", "tlsSecretName"], undefined, "is required when webConsole.ingress.enabled is true: the console is served over TLS only (set clusterIssuer too to have cert-manager fill it)");
    }
  } else if (ingress?.clusterIssuer !== undefined) {
    issue(["ingress", "clusterIssuer"], ingress.clusterIssuer, "is only used with webConsole.ingress.enabled: true");
  }

  const exposed = onEcs || ingress?.enabled === true;
  if (config.environment === "production" && exposed && auth?.enabled !== true && console.allowUnauthenticated !== true) {
    const exposure = onEcs ? "behind its load balancer (aws.ecs.webConsole)" : "through an Ingress (webConsole.ingress.enabled)";
    issue(
      ["auth", "enabled"],
      auth?.enabled,
      `must be true in production for a console reachable ${exposure}: set webConsole.auth (providerUrl, clientId, callbackUrl) and the secret temporal-kit:${WEB_CONSOLE_CLIENT_SECRET_KEY}, or set webConsole.allowUnauthenticated: true to accept a console without sign-in`,
    );
  }
}
