import { describe, expect, it } from "vitest";
import {
  CertificateSecretRefs,
  adminToolsContainerTls,
  certificateSecretValue,
  sdkClientContainerTls,
  secretField,
  serverContainerTls,
  serverTlsSpec,
  webConsoleContainerTls,
} from "../../../components/aws/ecs/taskTls";
import { buildTlsConfig } from "../../../components/temporal/tls";

const arn = (certificate: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:temporal-tls-${certificate}-AbCdEf`;
const SECRETS: CertificateSecretRefs = {
  internode: { arn: arn("internode"), versionId: "11111111-1111-1111-1111-111111111111" },
  frontend: { arn: arn("frontend"), versionId: "22222222-2222-2222-2222-222222222222" },
  client: { arn: arn("client"), versionId: "33333333-3333-3333-3333-333333333333" },
};
const FRONTEND = "frontend.temporal.temporal.internal";
const PEM = { cert: "-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n", key: "-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n", ca: "-----BEGIN CERTIFICATE-----\nY2E=\n-----END CERTIFICATE-----\n" };
const names = (refs: { name: string }[]) => refs.map((ref) => ref.name);

describe("certificateSecretValue", () => {
  it("holds each PEM as is and as base64 of the same PEM", () => {
    const value = JSON.parse(certificateSecretValue(PEM)) as Record<string, string>;
    expect(value).toMatchObject(PEM);
    for (const part of ["cert", "key", "ca"]) expect(Buffer.from(value[`${part}Base64`], "base64").toString("utf8")).toBe(value[part]);
  });
});

describe("secretField", () => {
  it("names one JSON field of one secret version, the form ECS reads from Secrets Manager", () => {
    expect(secretField(SECRETS.client, "key")).toBe(`${arn("client")}:key::33333333-3333-3333-3333-333333333333`);
  });
});

describe("serverContainerTls", () => {
  const tls = serverContainerTls(SECRETS);

  it("takes every part of all three certificates by reference to its pinned secret version", () => {
    expect(tls.secrets).toHaveLength(9);
    expect(tls.secrets).toContainEqual({ name: "TEMPORAL_KIT_TLS_INTERNODE_KEY", valueFrom: `${arn("internode")}:key::11111111-1111-1111-1111-111111111111` });
    expect(tls.secrets).toContainEqual({ name: "TEMPORAL_KIT_TLS_CLIENT_CA", valueFrom: `${arn("client")}:ca::33333333-3333-3333-3333-333333333333` });
    expect(tls.environment).toEqual([]);
  });

  it("writes the files under umask 077 in a subshell, then drops the variables holding the keys", () => {
    const script = tls.script.join("\n");
    expect(script).toMatch(/^\(\numask 077\nmkdir -p \/tmp\/tls\/internode \/tmp\/tls\/frontend \/tmp\/tls\/client\n/);
    expect(script).toContain(`printf '%s\\n' "$TEMPORAL_KIT_TLS_FRONTEND_KEY" > /tmp/tls/frontend/tls.key`);
    expect(tls.script.indexOf(")")).toBeGreaterThan(tls.script.findIndex((line) => line.includes("client/ca.crt")));
    expect(tls.script.at(-1)).toBe(`unset ${names(tls.secrets).join(" ")}`);
  });

  it("writes exactly the files the server config names", () => {
    const config = buildTlsConfig(serverTlsSpec({ internodeServerName: "temporal-internode", frontendServerName: FRONTEND })) as Record<string, any>;
    const written = tls.script.flatMap((line) => /> (\S+)$/.exec(line)?.[1] ?? []);
    const named = [
      config.internode.server.certFile,
      config.internode.server.keyFile,
      ...config.internode.server.clientCaFiles,
      config.frontend.server.certFile,
      config.frontend.server.keyFile,
      ...config.frontend.server.clientCaFiles,
      ...config.frontend.client.rootCaFiles,
      config.systemWorker.certFile,
      config.systemWorker.keyFile,
    ];
    for (const file of named) expect(written).toContain(file);
    expect(config.internode.client.serverName).toBe("temporal-internode");
    expect(config.frontend.server.requireClientAuth).toBe(true);
  });
});

describe("adminToolsContainerTls", () => {
  it("writes only the client certificate and names it with the variables the namespace script turns into CLI flags", () => {
    const tls = adminToolsContainerTls("client", SECRETS.client, FRONTEND);
    expect(names(tls.secrets)).toEqual(["TEMPORAL_KIT_TLS_CLIENT_CERT", "TEMPORAL_KIT_TLS_CLIENT_KEY", "TEMPORAL_KIT_TLS_CLIENT_CA"]);
    expect(tls.secrets.every((secret) => secret.valueFrom.startsWith(arn("client")))).toBe(true);
    expect(tls.environment).toEqual([
      { name: "TEMPORAL_TLS", value: "true" },
      { name: "TEMPORAL_TLS_CLIENT_CERT_PATH", value: "/tmp/tls/client/tls.crt" },
      { name: "TEMPORAL_TLS_CLIENT_KEY_PATH", value: "/tmp/tls/client/tls.key" },
      { name: "TEMPORAL_TLS_SERVER_CA_CERT_PATH", value: "/tmp/tls/client/ca.crt" },
      { name: "TEMPORAL_TLS_SERVER_NAME", value: FRONTEND },
    ]);
    expect(tls.script.join("\n")).toContain("> /tmp/tls/client/tls.key");
  });
});

describe("adminToolsContainerTls for the internal frontend", () => {
  it("writes only the internode certificate and verifies the internode name", () => {
    const tls = adminToolsContainerTls("internode", SECRETS.internode, "temporal-internode");
    expect(names(tls.secrets)).toEqual(["TEMPORAL_KIT_TLS_INTERNODE_CERT", "TEMPORAL_KIT_TLS_INTERNODE_KEY", "TEMPORAL_KIT_TLS_INTERNODE_CA"]);
    expect(tls.secrets.every((secret) => secret.valueFrom.startsWith(arn("internode")))).toBe(true);
    expect(tls.environment).toEqual([
      { name: "TEMPORAL_TLS", value: "true" },
      { name: "TEMPORAL_TLS_CLIENT_CERT_PATH", value: "/tmp/tls/internode/tls.crt" },
      { name: "TEMPORAL_TLS_CLIENT_KEY_PATH", value: "/tmp/tls/internode/tls.key" },
      { name: "TEMPORAL_TLS_SERVER_CA_CERT_PATH", value: "/tmp/tls/internode/ca.crt" },
      { name: "TEMPORAL_TLS_SERVER_NAME", value: "temporal-internode" },
    ]);
    expect(tls.script.join("\n")).not.toContain("/tmp/tls/client");
  });
});

describe("sdkClientContainerTls", () => {
  it("hands a worker the client certificate as the SDK environment configuration's PEM data, with no prelude", () => {
    const tls = sdkClientContainerTls(SECRETS.client, FRONTEND);
    expect(tls.secrets).toEqual([
      { name: "TEMPORAL_TLS_CLIENT_CERT_DATA", valueFrom: secretField(SECRETS.client, "cert") },
      { name: "TEMPORAL_TLS_CLIENT_KEY_DATA", valueFrom: secretField(SECRETS.client, "key") },
      { name: "TEMPORAL_TLS_SERVER_CA_CERT_DATA", valueFrom: secretField(SECRETS.client, "ca") },
    ]);
    expect(tls.environment).toEqual([
      { name: "TEMPORAL_TLS", value: "true" },
      { name: "TEMPORAL_TLS_SERVER_NAME", value: FRONTEND },
    ]);
    expect(tls.script).toEqual([]);
  });
});

describe("webConsoleContainerTls", () => {
  it("hands the console base64 of the client PEMs and turns host verification on", () => {
    const tls = webConsoleContainerTls(SECRETS.client, FRONTEND);
    expect(tls.secrets).toEqual([
      { name: "TEMPORAL_TLS_CA_DATA", valueFrom: secretField(SECRETS.client, "caBase64") },
      { name: "TEMPORAL_TLS_CERT_DATA", valueFrom: secretField(SECRETS.client, "certBase64") },
      { name: "TEMPORAL_TLS_KEY_DATA", valueFrom: secretField(SECRETS.client, "keyBase64") },
    ]);
    expect(tls.environment).toEqual([
      { name: "TEMPORAL_TLS_SERVER_NAME", value: FRONTEND },
      { name: "TEMPORAL_TLS_ENABLE_HOST_VERIFICATION", value: "true" },
    ]);
  });
});
