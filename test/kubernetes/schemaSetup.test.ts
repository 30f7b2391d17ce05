import { beforeAll, describe, expect, it } from "vitest";
import { ClusterNames } from "../../components/kubernetes/names";
import { SchemaSetup } from "../../components/kubernetes/schemaSetup";
import type { SqlStoreSpec } from "../../components/temporal/serverConfig";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { K8S, envOf, onlyOfType, podSpecOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

const store = (database: string): SqlStoreSpec => ({
  plugin: "mysql8",
  host: "temporal-mysql.temporal.svc.cluster.local",
  port: 3306,
  database,
  user: "temporal",
  passwordEnv: "unused-here",
  pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" },
});
const password = { name: "temporal-store-credentials", key: "password" };
let records: ResourceRecord[];

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  new SchemaSetup("schema", {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    adminToolsImage: "temporalio/admin-tools:1.31.2",
    defaultStore: store("temporal"),
    visibilityStore: store("temporal_visibility"),
    defaultStorePassword: password,
    visibilityStorePassword: password,
  });
  await settle();
});

const job = () => onlyOfType(records, K8S.job);

describe("SchemaSetup", () => {
  it("creates, sets up and updates both databases, one step after another", () => {
    expect(podSpecOf(job()).initContainers!.map((container) => container.name)).toEqual([
      "create-default-database",
      "setup-default-schema",
      "update-default-schema",
      "create-visibility-database",
      "setup-visibility-schema",
      "update-visibility-schema",
    ]);
  });

  it("points each step at its own database", () => {
    const steps = podSpecOf(job()).initContainers!;
    expect(envOf(steps[0], "SQL_DATABASE")?.value).toBe("temporal");
    expect(envOf(steps[5], "SQL_DATABASE")?.value).toBe("temporal_visibility");
    expect(steps[5].command).toContain("/etc/temporal/schema/mysql/v8/visibility/versioned");
  });

  it("reads the database password only from the secret", () => {
    for (const step of podSpecOf(job()).initContainers!) {
      expect(envOf(step, "SQL_PASSWORD")).toEqual({ name: "SQL_PASSWORD", valueFrom: { secretKeyRef: password } });
    }
  });

  it("runs the admin-tools image and names the job after its version, so an upgrade runs a new job", () => {
    const workload = workloadOf(job());
    expect(workload.metadata.name).toBe("temporal-schema-1-31-2");
    expect(new Set(podSpecOf(job()).initContainers!.map((step) => step.image))).toEqual(new Set(["temporalio/admin-tools:1.31.2"]));
  });

  it("retries while the database starts instead of failing the deploy, and is rerun if it failed", () => {
    expect(workloadOf(job()).spec.backoffLimit).toBeGreaterThanOrEqual(5);
    expect((job().inputs as { metadata: { annotations: Record<string, string> } }).metadata.annotations).toEqual({
      "pulumi.com/replaceUnready": "true",
    });
  });
});
