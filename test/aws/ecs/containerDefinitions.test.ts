import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ContainerDefinition,
  SERVER_CONFIG_PATH,
  STORE_CA_PATH,
  namespaceContainer,
  schemaContainer,
  serverRoleContainer,
  shellQuote,
  webConsoleContainer,
  workerContainer,
} from "../../../components/aws/ecs/containerDefinitions";
import { CertificateSecretRefs, adminToolsContainerTls, serverContainerTls, webConsoleContainerTls } from "../../../components/aws/ecs/taskTls";
import type { SqlStoreSpec } from "../../../components/temporal/serverConfig";

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:temporal-db-password-AbCdEf";
const log = { group: "temporal-logs", region: "us-east-1" };
const resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } };
const store = (database: string, passwordEnv: string): SqlStoreSpec => ({
  plugin: "mysql8",
  host: "temporal.abc.us-east-1.rds.amazonaws.com",
  port: 3306,
  database,
  user: "temporal",
  passwordEnv,
  pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" },
  tls: { enabled: true, caFile: STORE_CA_PATH, serverName: "temporal.abc.us-east-1.rds.amazonaws.com" },
});
const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

const history = serverRoleContainer({
  role: "history",
  image: "temporalio/server:1.31.2",
  serverConfig: "# enable-template\npersistence:\n  numHistoryShards: 512\n",
  storeCaBundle: CA,
  passwordSecretArn: SECRET_ARN,
  resources,
  log,
  authorizationEnabled: false,
});
const TLS_SECRETS: CertificateSecretRefs = {
  internode: { arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:temporal-tls-internode-AbCdEf", versionId: "11111111-1111-1111-1111-111111111111" },
  frontend: { arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:temporal-tls-frontend-AbCdEf", versionId: "22222222-2222-2222-2222-222222222222" },
  client: { arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:temporal-tls-client-AbCdEf", versionId: "33333333-3333-3333-3333-333333333333" },
};
const FRONTEND = "frontend.temporal.temporal.internal";
const historyWithTls = serverRoleContainer({
  role: "history",
  image: "temporalio/server:1.31.2",
  serverConfig: "persistence:\n  numHistoryShards: 512\n",
  passwordSecretArn: SECRET_ARN,
  resources,
  log,
  tls: serverContainerTls(TLS_SECRETS),
  authorizationEnabled: false,
});
const env = (container: ContainerDefinition, name: string) => container.environment.find((variable) => variable.name === name)?.value;
const decoded = (container: ContainerDefinition, name: string) => Buffer.from(env(container, name) ?? "", "base64").toString("utf8");

describe("serverRoleContainer", () => {
  it("runs exactly its own role and reads the kit's config file", () => {
    expect(env(history, "TEMPORAL_SERVICES")).toBe("history");
    expect(env(history, "SERVICES")).toBe("history");
    expect(env(history, "TEMPORAL_SERVER_CONFIG_FILE_PATH")).toBe(SERVER_CONFIG_PATH);
  });

  it("carries the server config and CA bundle verbatim", () => {
    expect(decoded(history, "TEMPORAL_KIT_SERVER_CONFIG_B64")).toContain("numHistoryShards: 512");
    expect(decoded(history, "TEMPORAL_KIT_STORE_CA_B64")).toBe(CA);
  });

  it("leaves the dynamic config to the sidecar, and starts only once the sidecar has fetched it", () => {
    expect(JSON.stringify(history)).not.toMatch(/DYNAMIC_CONFIG_B64/);
    expect(history.dependsOn).toContainEqual({ containerName: "dynamic-config", condition: "HEALTHY" });
  });

  it("gets the database password only as Secrets Manager references", () => {
    expect(history.secrets).toEqual([
      { name: "TEMPORAL_DEFAULT_STORE_PASSWORD", valueFrom: SECRET_ARN },
      { name: "TEMPORAL_VISIBILITY_STORE_PASSWORD", valueFrom: SECRET_ARN },
    ]);
    expect(JSON.stringify(history.environment)).not.toMatch(/PASSWORD/);
  });

  it("exposes the role's gRPC and membership ports and the metrics port", () => {
    expect(history.portMappings.map((mapping) => mapping.containerPort)).toEqual([7234, 6934, 9090]);
  });

  it("tells the server no authorizer is intended when authorization is off, and nothing when it is on", () => {
    // go.temporal.io/server v1.31.2 cmd/server/main.go: without an authorizer and without
    // --allow-no-auth (TEMPORAL_ALLOW_NO_AUTH) it warns that future versions will refuse to start.
    expect(env(history, "TEMPORAL_ALLOW_NO_AUTH")).toBe("true");
    const authorized = serverRoleContainer({ role: "frontend", image: "temporalio/server:1.31.2", serverConfig: "", passwordSecretArn: SECRET_ARN, resources, log, authorizationEnabled: true });
    expect(env(authorized, "TEMPORAL_ALLOW_NO_AUTH")).toBeUndefined();
  });

  it("caps the Go heap at 90% of the container's 2 GiB hard limit", () => {
    expect(env(history, "GOMEMLIMIT")).toBe("1843MiB");
  });

  it("checks each role's gRPC port, the system worker's included (it serves gRPC health on it too)", () => {
    expect(history.healthCheck?.command).toEqual(["CMD-SHELL", "nc -z 127.0.0.1 7234 || exit 1"]);
    const worker = serverRoleContainer({ role: "worker", image: "temporalio/server:1.31.2", serverConfig: "", passwordSecretArn: SECRET_ARN, resources, log, authorizationEnabled: false });
    expect(worker.healthCheck?.command).toEqual(["CMD-SHELL", "nc -z 127.0.0.1 7239 || exit 1"]);
    expect(env(worker, "TEMPORAL_KIT_STORE_CA_B64")).toBeUndefined();
  });

  it("checks the system worker of a release before 1.31 on its membership port: it serves no gRPC before 1.31", () => {
    // go.temporal.io/server v1.30.9 service/worker starts no gRPC server; v1.31.2's service/worker/fx.go does.
    const worker = serverRoleContainer({ role: "worker", image: "temporalio/server:1.30.9", serverConfig: "", passwordSecretArn: SECRET_ARN, resources, log, authorizationEnabled: false });
    expect(worker.healthCheck?.command).toEqual(["CMD-SHELL", "nc -z 127.0.0.1 6939 || exit 1"]);
    const history130 = serverRoleContainer({ role: "history", image: "temporalio/server:1.30.9", serverConfig: "", passwordSecretArn: SECRET_ARN, resources, log, authorizationEnabled: false });
    expect(history130.healthCheck?.command).toEqual(["CMD-SHELL", "nc -z 127.0.0.1 7234 || exit 1"]);
  });

  it("sizes memory from the role's limit and request, and logs under the role's name", () => {
    expect(history).toMatchObject({ memory: 2048, memoryReservation: 1024, stopTimeout: 60 });
    expect(history.logConfiguration.options).toEqual({ "awslogs-group": "temporal-logs", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "history" });
  });
});

describe("the shell prelude", () => {
  /** Runs the container's script up to the entrypoint with a stand-in metadata endpoint. */
  function runPrelude(container: ContainerDefinition, metadata: string | undefined): { stdout: string; files: Record<string, string> } {
    const bin = mkdtempSync(join(tmpdir(), "temporal-kit-bin-"));
    writeFileSync(join(bin, "wget"), metadata === undefined ? "#!/bin/sh\nexit 1\n" : `#!/bin/sh\ncat <<'JSON'\n${metadata}\nJSON\n`);
    writeFileSync(join(bin, "getent"), "#!/bin/sh\necho '10.9.9.9 fallback-host'\n");
    chmodSync(join(bin, "wget"), 0o755);
    chmodSync(join(bin, "getent"), 0o755);
    const script = container.command![0].replace("exec /etc/temporal/entrypoint.sh", 'echo "POD_IP=$POD_IP"');
    const stdout = execFileSync("/bin/sh", ["-c", script], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/abc",
        ...Object.fromEntries(container.environment.map((variable) => [variable.name, variable.value])),
      },
    }).toString();
    const files = Object.fromEntries(
      ["temporal.yaml", "store-ca.pem"].map((file) => [file, readFileSync(`/tmp/temporal-kit/${file}`, "utf8")]),
    );
    return { stdout, files };
  }

  it("writes the config files and broadcasts the task's address from the metadata endpoint", () => {
    const metadata = '{"Cluster":"c","Containers":[{"Name":"history","Networks":[{"NetworkMode":"awsvpc","IPv4Addresses":["10.42.3.17"]}]}]}';
    const { stdout, files } = runPrelude(history, metadata);
    expect(stdout.trim()).toBe("POD_IP=10.42.3.17");
    expect(files["temporal.yaml"]).toContain("numHistoryShards: 512");
    expect(files["store-ca.pem"]).toBe(CA);
  });

  it("reads pretty-printed metadata too", () => {
    const { stdout } = runPrelude(history, '{\n  "Networks": [\n    {\n      "IPv4Addresses": [ "10.42.8.9" ]\n    }\n  ]\n}');
    expect(stdout.trim()).toBe("POD_IP=10.42.8.9");
  });

  it("falls back to the hostname's address when the metadata endpoint does not answer", () => {
    expect(runPrelude(history, undefined).stdout.trim()).toBe("POD_IP=10.9.9.9");
  });
});

describe("a role with mutual TLS", () => {
  it("adds the certificate references after the password's, and no plain variable", () => {
    expect(historyWithTls.secrets.slice(0, 2).map((secret) => secret.valueFrom)).toEqual([SECRET_ARN, SECRET_ARN]);
    expect(historyWithTls.secrets.slice(2)).toEqual(serverContainerTls(TLS_SECRETS).secrets);
    expect(historyWithTls.environment.map((variable) => variable.name)).toEqual(history.environment.map((variable) => variable.name).filter((name) => name !== "TEMPORAL_KIT_STORE_CA_B64"));
  });

  it("writes owner-only certificate files before the server starts, and starts it without the key variables", () => {
    const script = historyWithTls.command![0]
      .replace(/POD_IP=.*\n(if .*\n)*export POD_IP\n/, "")
      .replace("exec /etc/temporal/entrypoint.sh", "env");
    const secretValues = Object.fromEntries(historyWithTls.secrets.map((secret) => [secret.name, `-----BEGIN ${secret.name}-----`]));
    const started = execFileSync("/bin/sh", ["-c", script], {
      env: { PATH: process.env.PATH, ...Object.fromEntries(historyWithTls.environment.map((variable) => [variable.name, variable.value])), ...secretValues },
    }).toString();
    expect(readFileSync("/tmp/tls/internode/tls.key", "utf8")).toBe("-----BEGIN TEMPORAL_KIT_TLS_INTERNODE_KEY-----\n");
    expect(readFileSync("/tmp/tls/client/ca.crt", "utf8")).toBe("-----BEGIN TEMPORAL_KIT_TLS_CLIENT_CA-----\n");
    for (const certificate of ["internode", "frontend", "client"]) {
      expect(statSync(`/tmp/tls/${certificate}/tls.key`).mode & 0o777, certificate).toBe(0o600);
      expect(statSync(`/tmp/tls/${certificate}`).mode & 0o777, certificate).toBe(0o700);
    }
    expect(started).not.toContain("TEMPORAL_KIT_TLS_");
  });

  it("leaves the namespace task's CLI and the console pointed at the frontend with the client certificate", () => {
    const namespaces = namespaceContainer({
      image: "temporalio/admin-tools:1.31.2",
      frontendAddress: `${FRONTEND}:7233`,
      namespaces: [{ name: "default", retention: "7d" }],
      log,
      tls: adminToolsContainerTls("client", TLS_SECRETS.client, FRONTEND),
    });
    const script = namespaces.command![0];
    expect(script.indexOf("umask 077")).toBeLessThan(script.indexOf("retry env"));
    expect(env(namespaces, "TEMPORAL_TLS_CLIENT_CERT_PATH")).toBe("/tmp/tls/client/tls.crt");
    expect(namespaces.secrets.map((secret) => secret.name)).toEqual(["TEMPORAL_KIT_TLS_CLIENT_CERT", "TEMPORAL_KIT_TLS_CLIENT_KEY", "TEMPORAL_KIT_TLS_CLIENT_CA"]);
    const web = webConsoleContainer({
      image: "temporalio/ui:2.53.0",
      frontendAddress: `${FRONTEND}:7233`,
      corsOrigins: [],
      resources,
      log,
      tls: webConsoleContainerTls(TLS_SECRETS.client, FRONTEND),
    });
    expect(env(web, "TEMPORAL_TLS_SERVER_NAME")).toBe(FRONTEND);
    expect(web.secrets.map((secret) => secret.name)).toEqual(["TEMPORAL_TLS_CA_DATA", "TEMPORAL_TLS_CERT_DATA", "TEMPORAL_TLS_KEY_DATA"]);
  });
});

describe("the namespace task under JWT authorization", () => {
  const INTERNAL = "internal-frontend.temporal.temporal.internal:7236";
  const namespaces = namespaceContainer({
    image: "temporalio/admin-tools:1.31.2",
    frontendAddress: INTERNAL,
    namespaces: [{ name: "orders", retention: "30d" }],
    log,
    tls: adminToolsContainerTls("internode", TLS_SECRETS.internode, "temporal-internode"),
  });

  it("takes only the internode certificate, by reference", () => {
    expect(namespaces.secrets.map((secret) => secret.name)).toEqual(["TEMPORAL_KIT_TLS_INTERNODE_CERT", "TEMPORAL_KIT_TLS_INTERNODE_KEY", "TEMPORAL_KIT_TLS_INTERNODE_CA"]);
    expect(namespaces.secrets.every((secret) => secret.valueFrom.startsWith(`${TLS_SECRETS.internode.arn}:`))).toBe(true);
  });

  it("calls the internal frontend with the internode certificate files and name on every CLI call", () => {
    const bin = mkdtempSync(join(tmpdir(), "temporal-kit-cli-"));
    // A stand-in CLI: the namespace does not exist yet, so the script describes it, then creates it.
    // The script silences describe, so the stand-in logs each call to a file.
    const callLog = join(bin, "calls.log");
    writeFileSync(join(bin, "temporal"), `#!/bin/sh\necho "$TEMPORAL_ADDRESS $*" >> ${callLog}\n[ "$2" = namespace ] && [ "$3" = describe ] && exit 1\nexit 0\n`);
    chmodSync(join(bin, "temporal"), 0o755);
    const secretValues = Object.fromEntries(namespaces.secrets.map((secret) => [secret.name, `-----BEGIN ${secret.name}-----`]));
    execFileSync("/bin/sh", ["-c", namespaces.command![0]], {
      env: { PATH: `${bin}:${process.env.PATH}`, ...Object.fromEntries(namespaces.environment.map((variable) => [variable.name, variable.value])), ...secretValues },
    });
    const calls = readFileSync(callLog, "utf8").trim().split("\n");
    expect(calls.map((call) => call.split(" ").slice(0, 4).join(" "))).toEqual([
      `${INTERNAL} operator namespace describe`,
      `${INTERNAL} operator namespace create`,
    ]);
    for (const call of calls) {
      expect(call).toContain("--tls-cert-path /tmp/tls/internode/tls.crt --tls-key-path /tmp/tls/internode/tls.key --tls-ca-path /tmp/tls/internode/ca.crt --tls-server-name temporal-internode");
    }
    expect(readFileSync("/tmp/tls/internode/tls.key", "utf8")).toBe("-----BEGIN TEMPORAL_KIT_TLS_INTERNODE_KEY-----\n");
  });
});

describe("schemaContainer", () => {
  const schema = schemaContainer({
    image: "temporalio/admin-tools:1.31.2",
    defaultStore: store("temporal", "TEMPORAL_DEFAULT_STORE_PASSWORD"),
    visibilityStore: store("temporal_visibility", "TEMPORAL_VISIBILITY_STORE_PASSWORD"),
    storeCaBundle: CA,
    passwordSecretArn: SECRET_ARN,
    log,
  });
  const script = schema.command![0];

  it("creates, sets up and updates both databases in order, stopping at the first failure", () => {
    const steps = script.split("\n").filter((line) => line.includes("temporal-sql-tool"));
    expect(steps).toHaveLength(6);
    expect(steps.slice(0, 3).every((line) => line.includes("SQL_DATABASE=temporal "))).toBe(true);
    expect(steps.slice(3).every((line) => line.includes("SQL_DATABASE=temporal_visibility "))).toBe(true);
    expect(steps.map((line) => line.split("temporal-sql-tool ")[1].split(" ")[0])).toEqual([
      "create-database", "setup-schema", "update-schema", "create-database", "setup-schema", "update-schema",
    ]);
    expect(script.startsWith("set -eu")).toBe(true);
  });

  it("verifies the database's certificate against the CA bundle it writes", () => {
    expect(script).toContain(`SQL_TLS_CA_FILE=${STORE_CA_PATH}`);
    expect(script).toContain("SQL_TLS_DISABLE_HOST_VERIFICATION=false");
    expect(decoded(schema, "TEMPORAL_KIT_STORE_CA_B64")).toBe(CA);
  });

  it("reads the password only from the secret reference", () => {
    expect(schema.secrets).toEqual([{ name: "SQL_PASSWORD", valueFrom: SECRET_ARN }]);
    expect(script).not.toMatch(/SQL_PASSWORD=/);
  });
});

describe("namespaceContainer", () => {
  const namespaces = namespaceContainer({
    image: "temporalio/admin-tools:1.31.2",
    frontendAddress: "frontend.temporal.temporal.internal:7233",
    namespaces: [
      { name: "default", retention: "7d", description: "it's $(rm -rf /) `quoted`" },
      { name: "orders", retention: "30d" },
    ],
    log,
  });

  it("passes names and descriptions as variables, never inside the script", () => {
    const script = namespaces.command![0];
    expect(script).not.toContain("rm -rf");
    expect(script).not.toContain("orders");
    expect(env(namespaces, "NS_0_DESCRIPTION")).toBe("it's $(rm -rf /) `quoted`");
    expect(env(namespaces, "NS_1_NAME")).toBe("orders");
    expect(env(namespaces, "NS_1_DESCRIPTION")).toBeUndefined();
    expect(env(namespaces, "TEMPORAL_ADDRESS")).toBe("frontend.temporal.temporal.internal:7233");
  });

  it("registers every namespace, retrying while the cluster finishes starting", () => {
    const lines = namespaces.command![0].split("\n").filter((line) => line.startsWith("retry env"));
    expect(lines).toHaveLength(2);
  });
});

describe("web console and worker containers", () => {
  it("points the web console at the frontend on port 8080", () => {
    const web = webConsoleContainer({ image: "temporalio/ui:2.52.0", frontendAddress: "frontend.x:7233", corsOrigins: [], resources, log });
    expect(env(web, "TEMPORAL_ADDRESS")).toBe("frontend.x:7233");
    expect(web.portMappings).toEqual([{ name: "http", containerPort: 8080, protocol: "tcp" }]);
    expect(env(web, "TEMPORAL_AUTH_ENABLED")).toBeUndefined();
  });

  it("signs people in through OIDC with the client secret only as a Secrets Manager reference", () => {
    const clientSecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web-oidc-AbCdEf";
    const web = webConsoleContainer({
      image: "temporalio/ui:2.52.0",
      frontendAddress: "frontend.x:7233",
      corsOrigins: [],
      resources,
      log,
      auth: { env: { TEMPORAL_AUTH_ENABLED: "true", TEMPORAL_AUTH_CLIENT_ID: "temporal-ui" }, clientSecretArn },
    });
    expect(env(web, "TEMPORAL_AUTH_ENABLED")).toBe("true");
    expect(env(web, "TEMPORAL_AUTH_CLIENT_ID")).toBe("temporal-ui");
    expect(web.secrets).toEqual([{ name: "TEMPORAL_AUTH_CLIENT_SECRET", valueFrom: clientSecretArn }]);
    expect(web.environment.some((variable) => variable.name === "TEMPORAL_AUTH_CLIENT_SECRET")).toBe(false);
  });

  it("wires a worker to the frontend, its namespace and task queue, with its exec probe as health check", () => {
    const worker = workerContainer({
      config: {
        name: "orders",
        image: "ghcr.io/acme/orders-worker:1.4.2",
        replicas: 2,
        taskQueue: "orders-q",
        namespace: "orders",
        env: { LOG_LEVEL: "info" },
        resources,
        probe: { exec: ["/app/healthcheck", "--quick"] },
        user: "10001:10001",
      },
      frontendAddress: "frontend.x:7233",
      log,
    });
    expect(worker.environment).toEqual([
      { name: "LOG_LEVEL", value: "info" },
      { name: "TEMPORAL_ADDRESS", value: "frontend.x:7233" },
      { name: "TEMPORAL_NAMESPACE", value: "orders" },
      { name: "TEMPORAL_TASK_QUEUE", value: "orders-q" },
    ]);
    expect(worker.healthCheck?.command).toEqual(["CMD", "/app/healthcheck", "--quick"]);
  });
});

describe("shellQuote", () => {
  it("leaves plain words alone and single-quotes anything else", () => {
    expect(shellQuote("/etc/temporal/schema/mysql/v8/temporal/versioned")).toBe("/etc/temporal/schema/mysql/v8/temporal/versioned");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(execFileSync("/bin/sh", ["-c", `printf '%s' ${shellQuote("a b'$(x)")}`]).toString()).toBe("a b'$(x)");
  });
});
