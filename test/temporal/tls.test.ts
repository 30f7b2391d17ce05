import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { buildServerConfig, renderServerConfig, ServerConfigSpec } from "../../components/temporal/serverConfig";
import { TemplateValue } from "../../components/temporal/template";
import { renderAsServer } from "../helpers/serverTemplate";
import { buildAuthorizationConfig, buildTlsConfig, ClusterTlsSpec, tlsFilesOf } from "../../components/temporal/tls";

const tlsSpec: ClusterTlsSpec = {
  internode: tlsFilesOf("internode"),
  frontend: tlsFilesOf("frontend"),
  client: tlsFilesOf("client"),
  internodeServerName: "temporal-internode",
  frontendServerName: "temporal-frontend.temporal.svc.cluster.local",
};

const serverSpec: ServerConfigSpec = {
  numHistoryShards: 512,
  logLevel: "info",
  defaultStore: { plugin: "mysql8", host: "db", port: 3306, database: "temporal", user: "t", passwordEnv: "PW", pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" } },
  visibilityStore: { plugin: "mysql8", host: "db", port: 3306, database: "temporal_visibility", user: "t", passwordEnv: "PW", pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" } },
  roles: ["frontend", "internal-frontend", "history", "matching", "worker"],
  frontendAddress: "temporal-frontend.temporal.svc.cluster.local:7233",
};

const KNOWN_KEYS = new Set(readFileSync(join(__dirname, "..", "fixtures", "temporal-config-keys.txt"), "utf8").split("\n").filter(Boolean));

function keysOf(node: unknown): string[] {
  if (node === null || typeof node !== "object" || node instanceof TemplateValue) return [];
  if (Array.isArray(node)) return node.flatMap(keysOf);
  return Object.entries(node).flatMap(([key, value]) => [key, ...keysOf(value)]);
}

describe("global.tls", () => {
  it("lays the files out as a Kubernetes TLS Secret mounted under /etc/temporal/tls", () => {
    expect(tlsFilesOf("client")).toEqual({
      certFile: "/etc/temporal/tls/client/tls.crt",
      keyFile: "/etc/temporal/tls/client/tls.key",
      caFile: "/etc/temporal/tls/client/ca.crt",
    });
  });

  it("renders mutual TLS between roles, at the frontend, and for the system worker", () => {
    expect(buildTlsConfig(tlsSpec)).toEqual({
      internode: {
        server: {
          certFile: "/etc/temporal/tls/internode/tls.crt",
          keyFile: "/etc/temporal/tls/internode/tls.key",
          requireClientAuth: true,
          clientCaFiles: ["/etc/temporal/tls/internode/ca.crt"],
        },
        client: { serverName: "temporal-internode", rootCaFiles: ["/etc/temporal/tls/internode/ca.crt"] },
      },
      frontend: {
        server: {
          certFile: "/etc/temporal/tls/frontend/tls.crt",
          keyFile: "/etc/temporal/tls/frontend/tls.key",
          requireClientAuth: true,
          clientCaFiles: ["/etc/temporal/tls/client/ca.crt"],
        },
        client: { serverName: "temporal-frontend.temporal.svc.cluster.local", rootCaFiles: ["/etc/temporal/tls/frontend/ca.crt"] },
      },
      systemWorker: {
        certFile: "/etc/temporal/tls/client/tls.crt",
        keyFile: "/etc/temporal/tls/client/tls.key",
        client: { serverName: "temporal-frontend.temporal.svc.cluster.local", rootCaFiles: ["/etc/temporal/tls/frontend/ca.crt"] },
      },
      refreshInterval: "1m",
      expirationChecks: { warningWindow: "720h", errorWindow: "168h", checkInterval: "1h" },
    });
  });

  it("trusts only the internode CA for calls between roles", () => {
    const internode = buildTlsConfig(tlsSpec).internode as { server: { clientCaFiles: string[] } };
    expect(internode.server.clientCaFiles).toEqual([tlsSpec.internode.caFile]);
  });
});

describe("global.authorization", () => {
  const JWKS = ["https://idp.example.com/.well-known/jwks.json", "https://backup.example.com/keys"];
  const rendered = renderServerConfig({ ...serverSpec, tls: tlsSpec, authorization: { jwksUris: JWKS, permissionsClaimName: "temporal-permissions" } });
  const authorizationAs = (role: string) => (renderAsServer(rendered, { TEMPORAL_SERVICES: role, PW: "pw", POD_IP: "10.0.0.1" }) as { global: { authorization: Record<string, unknown> } }).global.authorization;

  it("turns on Temporal's default JWT claim mapper and authorizer with the stack's JWKS URLs at the public frontend", () => {
    expect(authorizationAs("frontend")).toEqual({
      jwtKeyProvider: { keySourceURIs: JWKS, refreshInterval: "1m" },
      permissionsClaimName: "temporal-permissions",
      authorizer: "default",
      claimMapper: "default",
    });
  });

  it("gives the other roles no JWKS URL to fetch: every server process builds the key provider, and the real run saw them fetch and fail each minute", () => {
    for (const role of ["history", "matching", "worker", "internal-frontend"]) {
      const keySourceURIs = (authorizationAs(role).jwtKeyProvider as { keySourceURIs: unknown[] }).keySourceURIs;
      // Empty entries: Temporal's HasSourceURIsConfigured (common/config/config.go) is false, so nothing is fetched.
      expect(keySourceURIs.map((uri) => uri ?? ""), role).toEqual(["", ""]);
    }
  });

  it("keeps each URL one YAML string whatever it holds", () => {
    const config = buildAuthorizationConfig({ jwksUris: ["https://idp.example.com/keys?a=1&b='x'"], permissionsClaimName: "p" });
    const [uri] = (config.jwtKeyProvider as { keySourceURIs: TemplateValue[] }).keySourceURIs;
    expect(uri.toTemplate()).toBe('{{ if eq (env "TEMPORAL_SERVICES") "frontend" }}"https://idp.example.com/keys?a=1&b=\'x\'"{{ end }}');
  });
});

describe("server config with security", () => {
  const config = buildServerConfig({ ...serverSpec, tls: tlsSpec, authorization: { jwksUris: ["https://idp/jwks"], permissionsClaimName: "permissions" } });

  it("uses only keys that Temporal's config structs define", () => {
    const { tls, authorization } = config.global as Record<string, unknown>;
    const keys = ["tls", "authorization", ...keysOf(tls), ...keysOf(authorization)];
    expect(keys.filter((key) => !KNOWN_KEYS.has(key))).toEqual([]);
  });

  it("puts tls and authorization under global", () => {
    const global = parse(renderServerConfig({ ...serverSpec, tls: tlsSpec, authorization: { jwksUris: ["https://idp/jwks"], permissionsClaimName: "permissions" } }).replace(/\{\{[^}]*\}\}/g, "x")).global;
    expect(global.tls.internode.client.serverName).toBe("temporal-internode");
    expect(global.authorization.authorizer).toBe("default");
  });

  it("leaves both out when security is off", () => {
    const global = buildServerConfig(serverSpec).global as Record<string, unknown>;
    expect(global.tls).toBeUndefined();
    expect(global.authorization).toBeUndefined();
  });
});
