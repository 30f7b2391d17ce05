import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { readStackSecrets } from "../../components/config/load";
import { kitConfigOf, parseStackConfig } from "../../components/config/parse";
import { promiseOf } from "../helpers/mockRuntime";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.test.yaml";
const SIGN_IN = {
  enabled: true,
  providerUrl: "https://login.example.com/realms/ops",
  clientId: "temporal-ui",
  callbackUrl: "https://temporal.example.com/auth/sso/callback",
};
const INGRESS = { enabled: true, host: "temporal.example.com", tlsSecretName: "temporal-web-tls" };

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE);
const problemAt = (raw: Record<string, unknown>, key: string) => problemsOf(raw).find((problem) => problem.key === key);

describe("web console config", () => {
  it("leaves sign-in and the Ingress off by default, with the standard OIDC scopes", () => {
    const { webConsole } = parseStackConfig({ environment: "production" }, SOURCE);
    expect(webConsole.auth).toEqual({ enabled: false, scopes: ["openid", "profile", "email"] });
    expect(webConsole.ingress).toEqual({ enabled: false, annotations: {} });
    expect(webConsole.allowUnauthenticated).toBe(false);
  });

  it("refuses to expose a production console through an Ingress without sign-in, naming the keys that fix it", () => {
    const problem = problemAt({ environment: "production", webConsole: { ingress: INGRESS } }, "webConsole.auth.enabled");
    expect(problem?.allowed).toBe(
      "must be true in production for a console reachable through an Ingress (webConsole.ingress.enabled): set webConsole.auth (providerUrl, clientId, callbackUrl) and the secret temporal-kit:webConsoleClientSecret, or set webConsole.allowUnauthenticated: true to accept a console without sign-in",
    );
  });

  it("refuses a production console behind its ECS load balancer without sign-in", () => {
    const problem = problemAt({ environment: "production", platform: "aws-ecs", persistence: { hosting: "rds" } }, "webConsole.auth.enabled");
    expect(problem?.allowed).toContain("reachable behind its load balancer (aws.ecs.webConsole)");
  });

  it("accepts an exposed production console without sign-in when allowUnauthenticated says so", () => {
    const config = parseStackConfig({ environment: "production", webConsole: { ingress: INGRESS, allowUnauthenticated: true } }, SOURCE);
    expect(config.webConsole.ingress.enabled).toBe(true);
  });

  it("accepts an exposed production console that signs people in", () => {
    const config = parseStackConfig({ environment: "production", webConsole: { ingress: INGRESS, auth: SIGN_IN } }, SOURCE);
    expect(config.webConsole.auth).toMatchObject({ ...SIGN_IN, scopes: ["openid", "profile", "email"] });
  });

  it("lets dev and staging expose the console without sign-in", () => {
    for (const environment of ["dev", "staging"]) {
      expect(parseStackConfig({ environment, webConsole: { ingress: INGRESS } }, SOURCE).webConsole.ingress.host).toBe("temporal.example.com");
    }
  });

  it("does not count a production console reached by port-forward as exposed", () => {
    expect(parseStackConfig({ environment: "production" }, SOURCE).webConsole.auth.enabled).toBe(false);
  });

  it("needs the provider, client and callback once sign-in is on", () => {
    const keys = problemsOf({ environment: "dev", webConsole: { auth: { enabled: true } } }).map((problem) => [problem.key, problem.allowed]);
    expect(keys).toEqual([
      ["webConsole.auth.providerUrl", "is required when webConsole.auth.enabled is true"],
      ["webConsole.auth.clientId", "is required when webConsole.auth.enabled is true"],
      ["webConsole.auth.callbackUrl", "is required when webConsole.auth.enabled is true"],
    ]);
  });

  it("takes the OIDC issuer only over HTTPS", () => {
    const problem = problemAt({ environment: "dev", webConsole: { auth: { ...SIGN_IN, providerUrl: "http://login.example.com" } } }, "webConsole.auth.providerUrl");
    expect(problem?.allowed).toBe("must be the OIDC issuer as an https:// URL");
  });

  it("requires the openid scope", () => {
    const problem = problemAt({ environment: "dev", webConsole: { auth: { ...SIGN_IN, scopes: ["profile"] } } }, "webConsole.auth.scopes");
    expect(problem?.allowed).toBe("must include openid: the UI server signs people in with OpenID Connect");
  });

  it("needs a host and a TLS secret for an Ingress: the console is served over TLS only", () => {
    const problems = problemsOf({ environment: "dev", webConsole: { ingress: { enabled: true } } });
    expect(problems.map((problem) => problem.key)).toEqual(["webConsole.ingress.host", "webConsole.ingress.tlsSecretName"]);
    expect(problems[1].allowed).toContain("the console is served over TLS only");
  });

  it("refuses a cert-manager issuer without an Ingress to use it", () => {
    expect(problemAt({ environment: "dev", webConsole: { ingress: { clusterIssuer: "letsencrypt" } } }, "webConsole.ingress.clusterIssuer")?.allowed).toBe(
      "is only used with webConsole.ingress.enabled: true",
    );
  });

  it("refuses a Kubernetes Ingress on ECS, where the load balancer is configured instead", () => {
    const problem = problemAt({ environment: "dev", platform: "aws-ecs", persistence: { hosting: "rds" }, webConsole: { ingress: INGRESS } }, "webConsole.ingress.enabled");
    expect(problem?.allowed).toBe("must be false on aws-ecs: the console's load balancer is set under aws.ecs.webConsole");
  });

  it("refuses a host that is not a DNS name", () => {
    expect(problemAt({ environment: "dev", webConsole: { ingress: { ...INGRESS, host: "https://temporal" } } }, "webConsole.ingress.host")?.allowed).toBe(
      "must be a DNS host name such as temporal.example.com",
    );
  });

  it("keeps a worker pool's egress to any or frontend-only", () => {
    const pool = { name: "orders", image: "acme/orders:1.0.0", replicas: 1, taskQueue: "q", namespace: "default", env: {}, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } }, egress: "none" };
    expect(problemAt({ environment: "dev", workers: [pool] }, "workers[0].egress")?.allowed).toContain("any");
  });
});

describe("the web console's client secret", () => {
  const key = "temporal-kit:webConsoleClientSecret";
  const signingIn = () => parseStackConfig({ environment: "dev", webConsole: { auth: SIGN_IN } }, SOURCE);
  const secretsProblem = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof StackConfigError) return error.problems[0];
      throw error;
    }
    throw new Error("secrets were accepted");
  };
  afterEach(() => pulumi.runtime.setAllConfig({}, []));

  it("is never parsed as part of the plain config", () => {
    expect(kitConfigOf({ [key]: "[secret]", "temporal-kit:environment": "dev" })).toEqual({ environment: "dev" });
  });

  it("is required once sign-in is on, and the message says how to set it", () => {
    pulumi.runtime.setAllConfig({}, []);
    expect(secretsProblem(() => readStackSecrets(signingIn(), SOURCE))).toEqual({
      key: "webConsoleClientSecret",
      given: undefined,
      allowed: "is required when webConsole.auth.enabled is true: set it with `pulumi config set --secret temporal-kit:webConsoleClientSecret <client secret>`",
    });
  });

  it("is refused when the stack file holds it in plain text", () => {
    pulumi.runtime.setAllConfig({ [key]: "plain-value" }, []);
    const problem = secretsProblem(() => readStackSecrets(signingIn(), SOURCE));
    expect(problem.allowed).toContain("must be encrypted in the stack file");
    expect(JSON.stringify(problem)).not.toContain("plain-value");
  });

  it("is read as a Pulumi secret when encrypted", async () => {
    pulumi.runtime.setAllConfig({ [key]: "from-the-stack" }, [key]);
    const secret = readStackSecrets(signingIn(), SOURCE).webConsoleClientSecret!;
    expect(await pulumi.isSecret(secret)).toBe(true);
    expect(await promiseOf(secret)).toBe("from-the-stack");
  });

  it("is not read at all while sign-in is off", () => {
    pulumi.runtime.setAllConfig({ [key]: "from-the-stack" }, [key]);
    expect(readStackSecrets(parseStackConfig({ environment: "dev" }, SOURCE), SOURCE)).toEqual({});
  });
});
