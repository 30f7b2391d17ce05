import { z } from "zod";
import { dnsLabel } from "./primitives";

/**
 * `security`: mutual TLS between the Temporal roles and at the frontend, and the frontend's JWT
 * authorization. Certificates are either made by the kit (`generated`, kept as Pulumi secrets) or
 * issued by cert-manager from an issuer the cluster already has.
 */

export const TLS_MODES = ["off", "generated", "cert-manager"] as const;
export type TlsMode = (typeof TLS_MODES)[number];

const tls = z.strictObject({
  certificates: z.enum(TLS_MODES).meta({ description: "Where the certificates come from; off for plaintext gRPC." }),
  certificateValidityDays: z.number().int().min(7).max(825).meta({ description: "Lifetime of the leaf certificates (roles, frontend, the kit's client certificate)." }),
  renewBeforeDays: z.number().int().min(1).max(365).meta({ description: "A leaf certificate is reissued this long before it expires (on `pulumi up` when generated)." }),
  caValidityDays: z.number().int().min(30).max(7300).meta({ description: "Lifetime of the kit's own CAs (generated, and the internode CA under cert-manager)." }),
  rotation: z.number().int().min(1).meta({ description: "Bump to issue new keys and leaf certificates now; the CAs stay, so no client needs new trust." }),
  caRotation: z.number().int().min(1).meta({ description: "Bump to replace the generated CAs and every certificate they signed (clients must take the new CA)." }),
  issuer: z
    .strictObject({
      kind: z.enum(["Issuer", "ClusterIssuer"]).meta({ description: "Whether name is a cert-manager Issuer or a ClusterIssuer." }),
      name: dnsLabel("the cert-manager issuer").meta({ description: "The issuer's name. It must fill in ca.crt in the Secrets it writes, as CA and Vault issuers do and ACME issuers do not." }),
    })
    .optional().meta({ description: "The cert-manager issuer that signs the frontend and client certificates; only with certificates cert-manager." }),
});
export type TlsConfig = z.infer<typeof tls>;

const authorization = z.strictObject({
  enabled: z.boolean().meta({ description: "Temporal's default JWT claim mapper and authorizer on the public frontend." }),
  jwksUris: z.array(
    z
      .string()
      .url()
      .startsWith("https://", "must be an https URL")
      // The frontend's egress (its NetworkPolicy on Kubernetes, its security group on ECS) opens
      // TCP 443 only; any other port would be dropped silently and every token refused.
      .refine((uri) => !URL.canParse(uri) || ["", "443"].includes(new URL(uri).port), { message: "must use port 443: the frontend's egress rules open HTTPS on 443 only, so a JWKS on another port could never be fetched" }),
  ).meta({ description: "JWKS endpoints whose keys sign the tokens clients present." }),
  permissionsClaimName: z.string().regex(/^[A-Za-z0-9_:.\/-]+$/, "must be a JWT claim name").meta({ description: "The JWT claim that lists permissions such as `accounting:write` or `temporal-system:admin`." }),
  jwksCaCertificates: z
    .string()
    .refine((pem) => pem.includes("-----BEGIN CERTIFICATE-----"), { message: "must hold PEM certificates (-----BEGIN CERTIFICATE-----)" })
    .optional().meta({ description: "PEM CA certificates the frontend trusts, besides its image's bundle, when it fetches the JWKS: for an identity provider whose HTTPS certificate a private CA signed (Keycloak or Dex in house). Temporal fetches with Go's default HTTP client (go.temporal.io/server@v1.31.2 common/authorization/default_token_key_provider.go: http.Get), so only the system roots count." }),
});
export type AuthorizationConfig = z.infer<typeof authorization>;

export const security = z.strictObject({
  tls: tls.meta({ description: "Mutual TLS for internode traffic and at the frontend; see docs/tls-and-authorization.md." }),
  authorization: authorization.meta({ description: "Temporal's JWT authorizer and claim mapper on the public frontend; needs TLS, the internal frontend and a token for every worker pool." }),
});
export type SecurityConfig = z.infer<typeof security>;

export const SECURITY_PRESETS = {
  // Dev stays easy to poke at with the plain CLI; staging and production are locked down.
  off: securityPreset("off"),
  locked: securityPreset("generated"),
};

function securityPreset(mode: TlsMode): SecurityConfig {
  return {
    tls: { certificates: mode, certificateValidityDays: 365, renewBeforeDays: 30, caValidityDays: 3650, rotation: 1, caRotation: 1 },
    authorization: { enabled: false, jwksUris: [], permissionsClaimName: "permissions" },
  };
}

interface SecurityRuleInput {
  platform?: unknown;
  roles?: { internalFrontend?: { enabled?: unknown } };
  workers?: ({ apiKeySecret?: unknown; tokenFromCode?: unknown } | undefined)[];
  security?: { tls?: Partial<TlsConfig>; authorization?: Partial<AuthorizationConfig> };
}

/** Rules between the certificate source, the platform, the internal frontend and authorization. */
export function securityRules(config: SecurityRuleInput, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  const platform = String(config.platform);
  const tlsConfig = config.security?.tls;
  const mode = tlsConfig?.certificates;

  if (platform === "aws-ecs" && mode === "cert-manager") {
    issue(
      ["security", "tls", "certificates"],
      mode,
      "must be off or generated with platform aws-ecs: cert-manager runs in a Kubernetes cluster, and ECS has none; generated certificates reach the tasks through Secrets Manager",
    );
  }
  if (mode === "cert-manager" && tlsConfig?.issuer === undefined) {
    issue(["security", "tls", "issuer"], undefined, "is required with certificates cert-manager: name the Issuer or ClusterIssuer (kind and name) that signs the frontend and client certificates");
  }
  if (mode !== undefined && mode !== "cert-manager" && tlsConfig?.issuer !== undefined) {
    issue(["security", "tls", "issuer"], tlsConfig.issuer, `is only used with certificates cert-manager; this stack's security.tls.certificates is ${mode}`);
  }
  const validity = tlsConfig?.certificateValidityDays;
  const renewBefore = tlsConfig?.renewBeforeDays;
  if (typeof validity === "number" && typeof renewBefore === "number" && renewBefore >= validity) {
    issue(["security", "tls", "renewBeforeDays"], renewBefore, `must be less than certificateValidityDays (${validity}): a certificate would be renewed as soon as it is issued`);
  }

  const authz = config.security?.authorization;
  const workers = Array.isArray(config.workers) ? config.workers : [];
  // It lands in a ConfigMap and the stack's state in plain text, so a pasted bundle must not carry a
  // key; the message shows "(PEM)", never the text.
  if (typeof authz?.jwksCaCertificates === "string" && authz.jwksCaCertificates.includes("PRIVATE KEY-----")) {
    issue(["security", "authorization", "jwksCaCertificates"], "(PEM)", "must hold CA certificates only, and this text holds a private key: it is stored in a ConfigMap and the stack's state in plain text. Remove the key and rotate it");
  }
  if (platform === "aws-ecs") {
    if (authz?.jwksCaCertificates !== undefined) {
      issue(["security", "authorization", "jwksCaCertificates"], "(PEM)", "is only wired on Kubernetes: on aws-ecs the frontend task trusts its image's CA bundle alone, so serve the JWKS with a publicly trusted certificate");
    }
    workers.forEach((pool, index) => {
      if (pool?.apiKeySecret !== undefined) {
        issue(["workers", index, "apiKeySecret"], pool.apiKeySecret, "is only wired on Kubernetes: it names a Kubernetes Secret, and ECS tasks have none; on aws-ecs the pool's code sends its own token (tokenFromCode: true)");
      }
    });
  }
  // The same rules on every platform: on ECS the internal frontend is one more Fargate service.
  if (authz?.enabled !== true) {
    if (authz?.jwksCaCertificates !== undefined) {
      issue(["security", "authorization", "jwksCaCertificates"], "(PEM)", "is only used with security.authorization.enabled: true");
    }
    workers.forEach((pool, index) => {
      for (const key of ["apiKeySecret", "tokenFromCode"] as const) {
        if (pool?.[key] !== undefined) issue(["workers", index, key], pool[key], "is only used with security.authorization.enabled: true: without it the frontend reads no token");
      }
    });
    return;
  }
  // Temporal's default claim mapper reads the bearer token alone and ignores the client certificate
  // (go.temporal.io/server@v1.31.2 common/authorization/default_jwt_claim_mapper.go, GetClaims), and
  // the default authorizer denies every call but health checks to claims without a role
  // (default_authorizer.go): a pool holding only the kit's certificate could not even poll. Polls
  // need write access, which only :write or :admin give (roles.go: worker 1 < reader 2 < writer 4,
  // compared as numbers), not :worker.
  workers.forEach((pool, index) => {
    if (!pool || typeof pool !== "object") return;
    if (pool.apiKeySecret === undefined && pool.tokenFromCode === undefined) {
      issue(
        ["workers", index, "apiKeySecret"],
        undefined,
        "is required when security.authorization is enabled, unless the pool's code sends its own token (tokenFromCode: true): the frontend grants a caller only what its JWT's permissions claim says, the client certificate grants nothing, so name the Secret (name, key) holding the pool's token, with <namespace>:write in it (the default authorizer counts :worker as less than :read, and polls need write)",
      );
    } else if (pool.apiKeySecret !== undefined && pool.tokenFromCode !== undefined) {
      issue(["workers", index, "tokenFromCode"], pool.tokenFromCode, "must not be set beside apiKeySecret: the pool either gets its token from the Secret or sends its own, not both");
    }
  });
  if (Array.isArray(authz.jwksUris) && authz.jwksUris.length === 0) {
    issue(["security", "authorization", "jwksUris"], [], "must list at least one JWKS URL when authorization is enabled: the frontend verifies tokens with those keys");
  }
  if (config.roles?.internalFrontend?.enabled !== true) {
    issue(
      ["roles", "internalFrontend", "enabled"],
      config.roles?.internalFrontend?.enabled,
      "must be true when security.authorization is enabled: the system worker and the kit's namespace jobs carry no JWT, and Temporal serves the internal frontend without the JWT authorizer, so they call it instead of the public frontend",
    );
  }
  if (mode === "off") {
    issue(
      ["security", "tls", "certificates"],
      mode,
      "must not be off when security.authorization is enabled: the internal frontend skips authorization, so only callers holding the internode certificate may reach it, and tokens must not cross the network in plain text",
    );
  }
}
