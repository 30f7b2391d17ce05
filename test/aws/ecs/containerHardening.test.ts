import { describe, expect, it } from "vitest";
import { namespaceContainer, schemaContainer, serverRoleContainer, webConsoleContainer, workerContainer } from "../../../components/aws/ecs/containerDefinitions";
import { RUNS_AS_ROOT_LABEL, SCRATCH_INIT_CONTAINER, withScratchInit } from "../../../components/aws/ecs/containerHardening";
import { metricsSidecarContainer } from "../../../components/aws/ecs/metricsSidecar";
import type { SqlStoreSpec } from "../../../components/temporal/serverConfig";
import { runsAsRoot } from "../../../policy/ecs";

const log = { group: "temporal-logs", region: "us-east-1" };
const resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } };
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:temporal-db-password-AbCdEf";
const SERVER_IMAGE = "temporalio/server:1.31.2";
const store: SqlStoreSpec = {
  plugin: "mysql8",
  host: "db.example",
  port: 3306,
  database: "temporal",
  user: "temporal",
  passwordEnv: "SQL_PASSWORD",
  pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" },
  tls: { enabled: true, caFile: "/tmp/temporal-kit/store-ca.pem", serverName: "db.example" },
};

const containers = {
  role: serverRoleContainer({ role: "history", image: SERVER_IMAGE, serverConfig: "x", passwordSecretArn: SECRET_ARN, resources, log, authorizationEnabled: false }),
  schema: schemaContainer({ image: "temporalio/admin-tools:1.31.2", defaultStore: store, visibilityStore: store, passwordSecretArn: SECRET_ARN, log }),
  namespaces: namespaceContainer({ image: "temporalio/admin-tools:1.31.2", frontendAddress: "frontend:7233", namespaces: [], log }),
  web: webConsoleContainer({ image: "temporalio/ui:2.52.0", frontendAddress: "frontend:7233", corsOrigins: [], resources, log }),
  worker: workerContainer({
    config: { name: "orders", image: "ghcr.io/acme/orders:1.0.0", replicas: 1, taskQueue: "q", namespace: "default", env: {}, resources, user: "10001:10001" },
    frontendAddress: "frontend:7233",
    log,
  }),
};

describe("the kit's ECS containers", () => {
  it.each(Object.entries(containers))("%s runs as a non-root user with no capabilities and a read-only root", (_, container) => {
    expect(runsAsRoot(container.user)).toBe(false);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.linuxParameters?.capabilities.drop).toEqual(["ALL"]);
    expect(container.mountPoints).toContainEqual({ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false });
    expect(container.dependsOn).toContainEqual({ containerName: SCRATCH_INIT_CONTAINER, condition: "SUCCESS" });
  });

  it("runs the Temporal images as their own user, the console as its own, and a worker as its pool says", () => {
    expect([containers.role.user, containers.schema.user, containers.namespaces.user, containers.web.user, containers.worker.user]).toEqual(["1000:1000", "1000:1000", "1000:1000", "1000:1000", "10001:10001"]);
  });

  it("mounts nothing over the console image's config directory, which holds the config template the server reads", () => {
    expect(containers.web.mountPoints?.map((mount) => mount.containerPath)).toEqual(["/tmp"]);
  });

  it("keeps the CloudWatch agent root, without capabilities, non-essential, and saying why", () => {
    const agent = metricsSidecarContainer({ cluster: "temporal", role: "history", metricsLogGroup: "metrics", log });
    expect(agent.user).toBeUndefined();
    expect(agent.essential).toBe(false);
    expect(agent.linuxParameters?.capabilities.drop).toEqual(["ALL"]);
    expect(agent.dockerLabels?.[RUNS_AS_ROOT_LABEL]).toMatch(/amazon-cloudwatch-agent/);
  });
});

describe("withScratchInit", () => {
  const task = withScratchInit([containers.web, containers.worker], SERVER_IMAGE, log);
  const init = task.find((container) => container.name === SCRATCH_INIT_CONTAINER)!;

  it("adds a root init container that opens every mounted scratch directory, once each", () => {
    expect(task.map((container) => container.name)).toEqual(["web", "worker", SCRATCH_INIT_CONTAINER]);
    expect(init.user).toBe("0");
    expect(init.image).toBe(SERVER_IMAGE);
    expect(init.entryPoint).toEqual(["chmod", "1777", "/tmp"]);
    expect(init.mountPoints?.map((mount) => mount.sourceVolume)).toEqual(["tmp"]);
  });

  it("gives the init container nothing it does not need: not essential, no capabilities, a read-only root", () => {
    expect(init.essential).toBe(false);
    expect(init.linuxParameters?.capabilities.drop).toEqual(["ALL"]);
    expect(init.readonlyRootFilesystem).toBe(true);
    expect(init.dockerLabels?.[RUNS_AS_ROOT_LABEL]).toBeTruthy();
    expect(init.portMappings).toEqual([]);
    expect(init.secrets).toEqual([]);
    // A hard limit would count against the task's size though the container is gone before the others start.
    expect(init.memory).toBeUndefined();
  });

  it("adds nothing to a task whose containers mount no scratch space", () => {
    const agent = metricsSidecarContainer({ cluster: "temporal", role: "history", metricsLogGroup: "metrics", log });
    expect(withScratchInit([agent], SERVER_IMAGE, log)).toEqual([agent]);
  });
});
