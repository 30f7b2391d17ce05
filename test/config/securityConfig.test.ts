import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { PRESETS } from "../../components/config/presets";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.test.yaml";
const JWKS = "https://idp.example.com/.well-known/jwks.json";

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE);

const authorizationOn = { enabled: true, jwksUris: [JWKS] };
const withInternalFrontend = { internalFrontend: { enabled: true } };
// Production on ECS with an internal console that needs no sign-in, so only the security keys are in question.
const ecsProduction = { environment: "production", platform: "aws-ecs", persistence: { hosting: "rds" }, webConsole: { allowUnauthenticated: true } };

describe("security presets", () => {
  it("leave dev in plaintext so the plain CLI works", () => {
    expect(PRESETS.dev.security.tls.certificates).toBe("off");
  });

  it("lock staging and production down with generated certificates", () => {
    expect(PRESETS.staging.security.tls.certificates).toBe("generated");
    expect(PRESETS.production.security.tls.certificates).toBe("generated");
  });

  it("keep authorization opt-in everywhere", () => {
    for (const preset of Object.values(PRESETS)) expect(preset.security.authorization.enabled).toBe(false);
  });

  it("lock production on ECS down with generated certificates too", () => {
    const config = parseStackConfig(ecsProduction, SOURCE);
    expect(config.security.tls.certificates).toBe("generated");
  });

  it("keep the other TLS defaults when a stack file switches to cert-manager", () => {
    const config = parseStackConfig({ environment: "production", security: { tls: { certificates: "cert-manager", issuer: { kind: "ClusterIssuer", name: "corp-ca" } } } }, SOURCE);
    expect(config.security.tls).toMatchObject({ certificates: "cert-manager", certificateValidityDays: 365, renewBeforeDays: 30, issuer: { kind: "ClusterIssuer", name: "corp-ca" } });
  });
});

describe("security config errors", () => {
  it("refuses cert-manager on ECS, which has no Kubernetes cluster to run it", () => {
    const issuer = { kind: "ClusterIssuer", name: "corp-ca" };
    expect(problemsOf({ ...ecsProduction, security: { tls: { certificates: "cert-manager", issuer } } })).toEqual([
      {
        key: "security.tls.certificates",
        given: "cert-manager",
        allowed:
          "must be off or generated with platform aws-ecs: cert-manager runs in a Kubernetes cluster, and ECS has none; generated certificates reach the tasks through Secrets Manager",
      },
    ]);
  });

  it("accepts plaintext on ECS when a stack opts out", () => {
    const config = parseStackConfig({ ...ecsProduction, security: { tls: { certificates: "off" } } }, SOURCE);
    expect(config.security.tls.certificates).toBe("off");
  });

  it("accepts JWT authorization on ECS with the internal frontend and TLS on", () => {
    const config = parseStackConfig({ ...ecsProduction, roles: withInternalFrontend, security: { authorization: authorizationOn } }, SOURCE);
    expect(config.security.authorization).toEqual({ enabled: true, jwksUris: [JWKS], permissionsClaimName: "permissions" });
    expect(config.roles.internalFrontend.enabled).toBe(true);
  });

  it("requires the internal frontend for JWT authorization on ECS, as on Kubernetes", () => {
    expect(problemsOf({ ...ecsProduction, security: { authorization: authorizationOn } })).toEqual([
      {
        key: "roles.internalFrontend.enabled",
        given: false,
        allowed:
          "must be true when security.authorization is enabled: the system worker and the kit's namespace jobs carry no JWT, and Temporal serves the internal frontend without the JWT authorizer, so they call it instead of the public frontend",
      },
    ]);
  });

  it("requires TLS and a JWKS URL for JWT authorization on ECS, as on Kubernetes", () => {
    const raw = { ...ecsProduction, roles: withInternalFrontend, security: { tls: { certificates: "off" }, authorization: { enabled: true, jwksUris: [] } } };
    expect(problemsOf(raw)).toEqual([
      { key: "security.authorization.jwksUris", given: [], allowed: "must list at least one JWKS URL when authorization is enabled: the frontend verifies tokens with those keys" },
      {
        key: "security.tls.certificates",
        given: "off",
        allowed:
          "must not be off when security.authorization is enabled: the internal frontend skips authorization, so only callers holding the internode certificate may reach it, and tokens must not cross the network in plain text",
      },
    ]);
  });

  it("names the allowed certificate sources", () => {
    expect(problemsOf({ environment: "staging", security: { tls: { certificates: "self-signed" } } })).toEqual([
      { key: "security.tls.certificates", given: "self-signed", allowed: 'allowed: invalid option: expected one of "off"|"generated"|"cert-manager"' },
    ]);
  });

  it("requires an issuer with cert-manager", () => {
    expect(problemsOf({ environment: "staging", security: { tls: { certificates: "cert-manager" } } })).toEqual([
      {
        key: "security.tls.issuer",
        given: undefined,
        allowed: "is required with certificates cert-manager: name the Issuer or ClusterIssuer (kind and name) that signs the frontend and client certificates",
      },
    ]);
  });

  it("refuses an issuer the generated certificates would ignore", () => {
    expect(problemsOf({ environment: "staging", security: { tls: { issuer: { kind: "Issuer", name: "ca" } } } })).toEqual([
      { key: "security.tls.issuer", given: { kind: "Issuer", name: "ca" }, allowed: "is only used with certificates cert-manager; this stack's security.tls.certificates is generated" },
    ]);
  });

  it("refuses a renewal window as long as the certificate's life", () => {
    expect(problemsOf({ environment: "staging", security: { tls: { certificateValidityDays: 30, renewBeforeDays: 30 } } })).toEqual([
      { key: "security.tls.renewBeforeDays", given: 30, allowed: "must be less than certificateValidityDays (30): a certificate would be renewed as soon as it is issued" },
    ]);
  });

  it("requires a JWKS URL for authorization", () => {
    expect(problemsOf({ environment: "staging", roles: withInternalFrontend, security: { authorization: { enabled: true } } })).toEqual([
      { key: "security.authorization.jwksUris", given: [], allowed: "must list at least one JWKS URL when authorization is enabled: the frontend verifies tokens with those keys" },
    ]);
  });

  it("accepts only https JWKS URLs", () => {
    expect(problemsOf({ environment: "staging", roles: withInternalFrontend, security: { authorization: { enabled: true, jwksUris: ["http://idp/jwks"] } } })).toEqual([
      { key: "security.authorization.jwksUris[0]", given: "http://idp/jwks", allowed: "must be an https URL" },
    ]);
  });

  it("accepts JWKS URLs on port 443 only, the one port the frontend's egress opens for HTTPS", () => {
    const withJwks = (uri: string) => problemsOf({ environment: "staging", roles: withInternalFrontend, security: { authorization: { enabled: true, jwksUris: [uri] } } });
    expect(withJwks("https://idp.example.com:8443/jwks")).toEqual([
      {
        key: "security.authorization.jwksUris[0]",
        given: "https://idp.example.com:8443/jwks",
        allowed: "must use port 443: the frontend's egress rules open HTTPS on 443 only, so a JWKS on another port could never be fetched",
      },
    ]);
    const accepted = parseStackConfig({ environment: "staging", roles: withInternalFrontend, security: { authorization: { enabled: true, jwksUris: ["https://idp.example.com:443/jwks"] } } }, SOURCE);
    expect(accepted.security.authorization.jwksUris).toEqual(["https://idp.example.com:443/jwks"]);
  });

  it("requires the internal frontend for authorization, so internal callers keep working", () => {
    expect(problemsOf({ environment: "staging", security: { authorization: authorizationOn } })).toEqual([
      {
        key: "roles.internalFrontend.enabled",
        given: false,
        allowed:
          "must be true when security.authorization is enabled: the system worker and the kit's namespace jobs carry no JWT, and Temporal serves the internal frontend without the JWT authorizer, so they call it instead of the public frontend",
      },
    ]);
  });

  it("requires TLS for authorization", () => {
    expect(problemsOf({ environment: "dev", roles: withInternalFrontend, security: { authorization: authorizationOn } })).toEqual([
      {
        key: "security.tls.certificates",
        given: "off",
        allowed:
          "must not be off when security.authorization is enabled: the internal frontend skips authorization, so only callers holding the internode certificate may reach it, and tokens must not cross the network in plain text",
      },
    ]);
  });

  it("accepts authorization with the internal frontend and TLS", () => {
    const config = parseStackConfig({ environment: "staging", roles: withInternalFrontend, security: { authorization: authorizationOn } }, SOURCE);
    expect(config.security.authorization).toEqual({ enabled: true, jwksUris: [JWKS], permissionsClaimName: "permissions" });
  });

  describe("worker pools under authorization", () => {
    const pool = {
      name: "orders",
      image: "registry.example.com/orders:1.0.0",
      replicas: 1,
      taskQueue: "orders",
      namespace: "default",
      env: {},
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      probe: { httpGet: { path: "/healthz", port: 8080 } },
    };
    const token = { name: "orders-temporal-token", key: "token" };
    const staging = (workers: unknown[], authorization: Record<string, unknown> = authorizationOn) => ({ environment: "staging", roles: withInternalFrontend, security: { authorization }, workers });

    it("refuses a pool without a token: its client certificate grants nothing, so every poll would be denied", () => {
      expect(problemsOf(staging([pool]))).toEqual([
        {
          key: "workers[0].apiKeySecret",
          given: undefined,
          allowed:
            "is required when security.authorization is enabled, unless the pool's code sends its own token (tokenFromCode: true): the frontend grants a caller only what its JWT's permissions claim says, the client certificate grants nothing, so name the Secret (name, key) holding the pool's token, with <namespace>:write in it (the default authorizer counts :worker as less than :read, and polls need write)",
        },
      ]);
    });

    it("accepts a pool whose token is in a Secret", () => {
      const config = parseStackConfig(staging([{ ...pool, apiKeySecret: token }]), SOURCE);
      expect(config.workers[0].apiKeySecret).toEqual(token);
    });

    it("refuses a token written into the pool's env", () => {
      expect(problemsOf(staging([{ ...pool, apiKeySecret: token, env: { TEMPORAL_API_KEY: "eyJ..." } }]))).toEqual([
        {
          key: "workers[0].env.TEMPORAL_API_KEY",
          given: "TEMPORAL_API_KEY",
          allowed: "must not be TEMPORAL_API_KEY: a token in the stack file is plain text to anyone who reads it; keep it in a Secret and name it in apiKeySecret",
        },
      ]);
    });

    it("refuses a Kubernetes Secret reference on ECS", () => {
      const problems = problemsOf({ ...ecsProduction, roles: withInternalFrontend, security: { authorization: authorizationOn }, workers: [{ ...pool, replicas: 2, user: "1000", apiKeySecret: token }] });
      expect(problems).toContainEqual({
        key: "workers[0].apiKeySecret",
        given: token,
        allowed: "is only wired on Kubernetes: it names a Kubernetes Secret, and ECS tasks have none; on aws-ecs the pool's code sends its own token (tokenFromCode: true)",
      });
    });

    it("accepts a pool whose code sends its own token, on Kubernetes and on ECS, and gives it none", () => {
      const config = parseStackConfig(staging([{ ...pool, tokenFromCode: true }]), SOURCE);
      expect(config.workers[0]).toMatchObject({ tokenFromCode: true });
      expect(config.workers[0].apiKeySecret).toBeUndefined();
      const ecs = { ...ecsProduction, roles: withInternalFrontend, security: { authorization: authorizationOn }, workers: [{ ...pool, replicas: 2, user: "1000", probe: { exec: ["/bin/healthy"] }, tokenFromCode: true }] };
      expect(parseStackConfig(ecs, SOURCE).workers[0]).toMatchObject({ tokenFromCode: true });
    });

    it("refuses both token sources on one pool, and either without authorization", () => {
      expect(problemsOf(staging([{ ...pool, apiKeySecret: token, tokenFromCode: true }]))).toEqual([
        { key: "workers[0].tokenFromCode", given: true, allowed: "must not be set beside apiKeySecret: the pool either gets its token from the Secret or sends its own, not both" },
      ]);
      expect(problemsOf({ environment: "staging", workers: [{ ...pool, apiKeySecret: token }] })).toEqual([
        { key: "workers[0].apiKeySecret", given: token, allowed: "is only used with security.authorization.enabled: true: without it the frontend reads no token" },
      ]);
    });
  });

  describe("the JWKS CA", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    it("is kept with authorization on", () => {
      const config = parseStackConfig({ environment: "staging", roles: withInternalFrontend, security: { authorization: { ...authorizationOn, jwksCaCertificates: pem } } }, SOURCE);
      expect(config.security.authorization.jwksCaCertificates).toBe(pem);
    });

    it("must be PEM", () => {
      expect(problemsOf({ environment: "staging", roles: withInternalFrontend, security: { authorization: { ...authorizationOn, jwksCaCertificates: "not a certificate" } } })).toEqual([
        { key: "security.authorization.jwksCaCertificates", given: "not a certificate", allowed: "must hold PEM certificates (-----BEGIN CERTIFICATE-----)" },
      ]);
    });

    it("must not carry a private key, and the refusal does not repeat the text", () => {
      const bundle = `${pem}-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n`;
      expect(problemsOf({ environment: "staging", roles: withInternalFrontend, security: { authorization: { ...authorizationOn, jwksCaCertificates: bundle } } })).toEqual([
        {
          key: "security.authorization.jwksCaCertificates",
          given: "(PEM)",
          allowed: "must hold CA certificates only, and this text holds a private key: it is stored in a ConfigMap and the stack's state in plain text. Remove the key and rotate it",
        },
      ]);
    });

    it("is refused without authorization, and on ECS", () => {
      expect(problemsOf({ environment: "staging", security: { authorization: { enabled: false, jwksCaCertificates: pem } } })).toEqual([
        { key: "security.authorization.jwksCaCertificates", given: "(PEM)", allowed: "is only used with security.authorization.enabled: true" },
      ]);
      expect(problemsOf({ ...ecsProduction, roles: withInternalFrontend, security: { authorization: { ...authorizationOn, jwksCaCertificates: pem } } })).toEqual([
        {
          key: "security.authorization.jwksCaCertificates",
          given: "(PEM)",
          allowed: "is only wired on Kubernetes: on aws-ecs the frontend task trusts its image's CA bundle alone, so serve the JWKS with a publicly trusted certificate",
        },
      ]);
    });
  });
});
