import { describe, expect, it } from "vitest";
import { looksSecret, noPlaintextSecretEnv } from "../../../policy/rules/noPlaintextSecretEnv";
import { compliantContainer, messagesOf, taskDefinition, workload } from "../harness";

describe("no-plaintext-secret-env", () => {
  it("treats PASSWORD, SECRET, KEY and TOKEN names as secrets, but not names that point at a file", () => {
    for (const name of ["TEMPORAL_DEFAULT_STORE_PASSWORD", "TEMPORAL_AUTH_CLIENT_SECRET", "API_KEY", "GITHUB_TOKEN", "MYSQL_ROOT_PASSWORD"]) expect(looksSecret(name), name).toBe(true);
    for (const name of ["TEMPORAL_TLS_KEY_FILE", "KEYSPACE", "TEMPORAL_ADDRESS", "TEMPORAL_KIT_SERVER_CONFIG_B64", "MONKEY"]) expect(looksSecret(name), name).toBe(false);
  });

  it("reports a Kubernetes container with a literal password value", async () => {
    const deployment = workload("web", { containers: [compliantContainer({ env: [{ name: "TEMPORAL_AUTH_CLIENT_SECRET", value: "hunter2" }] })] });
    expect(await messagesOf(noPlaintextSecretEnv, [deployment])).toEqual([
      'temporal/web: container "app" sets TEMPORAL_AUTH_CLIENT_SECRET without valueFrom.secretKeyRef.',
    ]);
  });

  it("reports a secret taken from a ConfigMap rather than a Secret", async () => {
    const env = [{ name: "DB_PASSWORD", valueFrom: { configMapKeyRef: { name: "settings", key: "password" } } }];
    expect(await messagesOf(noPlaintextSecretEnv, [workload("web", { containers: [compliantContainer({ env })] })])).toHaveLength(1);
  });

  it("reports an ECS container with a password in environment", async () => {
    const definition = taskDefinition("frontend", [{ name: "frontend", image: "temporalio/server:1.31.2", environment: [{ name: "SQL_PASSWORD", value: "x" }] }]);
    expect(await messagesOf(noPlaintextSecretEnv, [definition])).toEqual([
      'task frontend: container "frontend" puts SQL_PASSWORD in environment; use secrets (Secrets Manager valueFrom).',
    ]);
  });

  it("accepts secretKeyRef on Kubernetes and secrets on ECS", async () => {
    const definition = taskDefinition("frontend", [
      { name: "frontend", image: "temporalio/server:1.31.2", environment: [{ name: "SERVICES", value: "frontend" }], secrets: [{ name: "SQL_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" }] },
    ]);
    expect(await messagesOf(noPlaintextSecretEnv, [workload("web"), definition])).toEqual([]);
  });

  it("accepts the path of a mounted key file under a secret-looking name, but not a path outside every mount", async () => {
    const mounted = compliantContainer({ env: [{ name: "TEMPORAL_TLS_KEY", value: "/etc/temporal/tls/client/tls.key" }], volumeMounts: [{ name: "client", mountPath: "/etc/temporal/tls/client" }] });
    expect(await messagesOf(noPlaintextSecretEnv, [workload("web", { containers: [mounted] })])).toEqual([]);
    const unmounted = compliantContainer({ env: [{ name: "TEMPORAL_TLS_KEY", value: "/elsewhere/tls.key" }], volumeMounts: [{ name: "client", mountPath: "/etc/temporal/tls/client" }] });
    expect(await messagesOf(noPlaintextSecretEnv, [workload("web", { containers: [unmounted] })])).toHaveLength(1);
    const pem = compliantContainer({ env: [{ name: "TEMPORAL_TLS_KEY", value: "-----BEGIN PRIVATE KEY-----" }], volumeMounts: [{ name: "client", mountPath: "/etc/temporal/tls/client" }] });
    expect(await messagesOf(noPlaintextSecretEnv, [workload("web", { containers: [pem] })])).toHaveLength(1);
  });

  it("accepts an empty literal, which clears an image's default credential and holds nothing, but not a blank one", async () => {
    const cleared = compliantContainer({ env: [{ name: "JCLOUDS_CREDENTIAL", value: "" }] });
    expect(await messagesOf(noPlaintextSecretEnv, [workload("gateway", { containers: [cleared] })])).toEqual([]);
    const blank = compliantContainer({ env: [{ name: "JCLOUDS_CREDENTIAL", value: " " }] });
    expect(await messagesOf(noPlaintextSecretEnv, [workload("gateway", { containers: [blank] })])).toHaveLength(1);
  });
});
