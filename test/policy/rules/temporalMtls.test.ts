import { describe, expect, it } from "vitest";
import { temporalMtls } from "../../../policy/rules/temporalMtls";
import { kubernetesObject, messagesOf, taskDefinition } from "../harness";

const PERSISTENCE = 'persistence:\n  datastores:\n    default:\n      sql:\n        password: {{ env "TEMPORAL_DEFAULT_STORE_PASSWORD" | quote }}\n';
const MTLS = [
  "global:",
  "  tls:",
  "    internode:",
  "      server: { certFile: /certs/node.pem, keyFile: /certs/node.key, requireClientAuth: true, clientCaFiles: [/certs/ca.pem] }",
  "      client: { serverName: internode, rootCaFiles: [/certs/ca.pem] }",
  "    frontend:",
  "      server: { certFile: /certs/frontend.pem, keyFile: /certs/frontend.key, requireClientAuth: true, clientCaFiles: [/certs/ca.pem] }",
  "",
].join("\n");

const configMap = (text: string) =>
  kubernetesObject("kubernetes:core/v1:ConfigMap", "temporal-config-server", { metadata: { name: "temporal-config", namespace: "temporal", labels: { "temporal-kit/rendered-config": "true" } }, data: { "temporal.yaml": text } });
const ecsTask = (text: string) =>
  taskDefinition("frontend", [{ name: "frontend", image: "temporalio/server:1.31.2", environment: [{ name: "TEMPORAL_KIT_SERVER_CONFIG_B64", value: Buffer.from(text).toString("base64") }] }]);

describe("temporal-mtls", () => {
  it("reports every missing piece of mutual TLS in a staging server config", async () => {
    expect(await messagesOf(temporalMtls, [configMap(PERSISTENCE)], "staging")).toEqual([
      "temporal-config-server: global.tls.internode.server has no certificate and key.",
      "temporal-config-server: global.tls.internode.server.requireClientAuth is not true.",
      "temporal-config-server: global.tls.internode.server has no clientCaFiles.",
      "temporal-config-server: global.tls.internode.client has no rootCaFiles.",
      "temporal-config-server: global.tls.frontend.server has no certificate and key.",
      "temporal-config-server: global.tls.frontend.server.requireClientAuth is not true.",
      "temporal-config-server: global.tls.frontend.server has no clientCaFiles.",
    ]);
  });

  it("reports server-only TLS on the frontend of an ECS task", async () => {
    const serverOnly = MTLS.replace("frontend.key, requireClientAuth: true", "frontend.key, requireClientAuth: false");
    expect(await messagesOf(temporalMtls, [ecsTask(serverOnly)])).toEqual(["frontend: global.tls.frontend.server.requireClientAuth is not true."]);
  });

  it("accepts mutual TLS on both sides, on Kubernetes and ECS", async () => {
    expect(await messagesOf(temporalMtls, [configMap(PERSISTENCE + MTLS), ecsTask(PERSISTENCE + MTLS)])).toEqual([]);
  });

  it("does not apply to dev", async () => {
    expect(await messagesOf(temporalMtls, [configMap(PERSISTENCE)], "dev")).toEqual([]);
  });
});
