import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parseStackConfig } from "../components/config/parse";
import { TemporalCluster } from "../components/temporalCluster";
import type { ResourceRecord } from "../tools/synth/recorder";
import { K8S, settle, startMockRuntime, workloadOf } from "./helpers/mockRuntime";

const SOURCE = "stacks/Pulumi.test.yaml";
const GUARD = "pulumi-nodejs:dynamic/temporal-kit:UpgradeGuard";
const ECS_SERVICE = "aws:ecs/service:Service";
const INVOCATION = "aws:lambda/invocation:Invocation";
const ROLES_IN_ORDER = ["history", "matching", "frontend", "worker"];

const onKubernetes = (version: string, dynamicConfig: Record<string, unknown> = {}) =>
  parseStackConfig(
    {
      environment: "dev",
      temporal: { serverImage: `temporalio/server:${version}`, adminToolsImage: `temporalio/admin-tools:${version}`, dynamicConfig },
    },
    SOURCE,
  );

let records: ResourceRecord[];
let warnings: string[];

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  const warn = vi.spyOn(pulumi.log, "warn");
  new TemporalCluster("old", { config: onKubernetes("1.30.4") });
  new TemporalCluster("new", { config: onKubernetes("1.31.2") });
  new TemporalCluster("tuned", { config: onKubernetes("1.30.4", { "frontend.namespaceRPS": 2400 }) });
  new TemporalCluster("ecs", { config: parseStackConfig({ environment: "production", platform: "aws-ecs", persistence: { hosting: "rds" }, webConsole: { enabled: false } }, SOURCE) });
  const beforeTunedEcs = warn.mock.calls.length;
  new TemporalCluster("tuned-ecs", {
    config: parseStackConfig({ environment: "production", platform: "aws-ecs", persistence: { hosting: "rds" }, webConsole: { enabled: false }, temporal: { dynamicConfig: { "frontend.namespaceRPS": 2400 } } }, SOURCE),
  });
  warnings = warn.mock.calls.slice(beforeTunedEcs).map(([message]) => message);
  expect(warn.mock.calls.slice(0, beforeTunedEcs)).toEqual([]);
  warn.mockRestore();
  await settle();
}, 60_000);

/** The resource of `type` whose Pulumi name is `name`. */
const named = (type: string, name: string) => {
  const matches = records.filter((record) => record.type === type && record.name === name);
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
  return matches[0];
};
const deployment = (cluster: string, role: string) => named(K8S.deployment, `${cluster}-${role}-deployment`);
const schemaJob = (cluster: string) => named(K8S.job, `${cluster}-schema-job`);
const guard = (cluster: string) => named(GUARD, `${cluster}-upgrade-guard`);

describe("a server version change on Kubernetes", () => {
  it("runs a new schema Job, named for the new admin-tools release", () => {
    const jobName = (cluster: string) => (workloadOf(schemaJob(cluster)).metadata.name);
    expect(jobName("old")).toBe("temporal-schema-1-30-4");
    expect(jobName("new")).toBe("temporal-schema-1-31-2");
  });

  it.each(ROLES_IN_ORDER)("makes the %s Deployment wait for that Job", (role) => {
    expect(deployment("new", role).dependsOn).toContain(schemaJob("new").urn);
  });

  it("makes the schema Job and the server config wait for the upgrade guard", () => {
    expect(schemaJob("new").dependsOn).toContain(guard("new").urn);
    expect(named(K8S.configMap, "new-config-server").dependsOn).toContain(guard("new").urn);
  });

  it("guards the shard count and the release the stack asks for", () => {
    const { __provider: _, ...facts } = guard("new").inputs;
    expect(facts).toEqual({ numHistoryShards: 4, serverVersion: "1.31.2", allowVersionSkew: false });
  });
});

describe("the roll order on Kubernetes", () => {
  it.each(ROLES_IN_ORDER.slice(1).map((role, index) => [role, ROLES_IN_ORDER[index]]))("rolls %s only after %s has rolled out", (role, before) => {
    expect(deployment("new", role).dependsOn).toContain(deployment("new", before).urn);
  });

  it("starts with history, which waits for no other role", () => {
    const roleDeployments = ROLES_IN_ORDER.map((role) => deployment("new", role).urn);
    expect(deployment("new", "history").dependsOn.filter((urn) => roleDeployments.includes(urn))).toEqual([]);
  });

  it("never lets a rolling pod take capacity away: one extra pod, none unavailable", () => {
    for (const role of ROLES_IN_ORDER) {
      expect(workloadOf(deployment("new", role)).spec.strategy?.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    }
  });
});

describe("a dynamic config change on Kubernetes", () => {
  it("changes the dynamic config ConfigMap", () => {
    const data = (cluster: string) => (named(K8S.configMap, `${cluster}-config-dynamic`).inputs as { data: Record<string, string> }).data;
    expect(data("tuned")).not.toEqual(data("old"));
    expect(Object.values(data("tuned"))[0]).toContain("frontend.namespaceRPS");
  });

  it.each(ROLES_IN_ORDER)("leaves the %s Deployment untouched, so no pod restarts", (role) => {
    expect(deployment("tuned", role).inputs).toEqual(deployment("old", role).inputs);
  });
});

describe("upgrades on ECS", () => {
  const service = (role: string) => named(ECS_SERVICE, `ecs-ecs-${role}-service`);
  const schemaRun = () => named(INVOCATION, "ecs-ecs-schema-run-invocation");

  it("runs the schema task only after the upgrade guard", () => {
    expect(schemaRun().dependsOn).toContain(guard("ecs").urn);
  });

  it.each(ROLES_IN_ORDER)("makes the %s service wait for the schema task run", (role) => {
    expect(service(role).dependsOn).toContain(schemaRun().urn);
  });

  it.each(ROLES_IN_ORDER.slice(1).map((role, index) => [role, ROLES_IN_ORDER[index]]))("rolls the %s service only after %s is steady", (role, before) => {
    expect(service(role).dependsOn).toContain(service(before).urn);
  });
});

describe("dynamic config on ECS", () => {
  const parameterValue = (cluster: string) => String(named("aws:ssm/parameter:Parameter", `${cluster}-ecs-dynamic-config-parameter`).inputs.insecureValue);
  const taskDefinition = (cluster: string, role: string) => named("aws:ecs/taskDefinition:TaskDefinition", `${cluster}-ecs-${role}-task`);

  it("keeps the file in a Parameter Store parameter, which a change updates", () => {
    expect(parameterValue("tuned-ecs")).toContain("frontend.namespaceRPS");
    expect(parameterValue("ecs")).not.toContain("frontend.namespaceRPS");
  });

  it("puts it in no other resource, so a change rolls no task", () => {
    const carriers = records.filter((record) => record.name.startsWith("tuned-ecs-") && JSON.stringify(record.inputs).includes("namespaceRPS"));
    expect(carriers.map((record) => record.type)).toEqual(["aws:ssm/parameter:Parameter"]);
  });

  it.each(ROLES_IN_ORDER)("runs a sidecar beside %s that fetches the parameter, under a task role allowed to read it", (role) => {
    const task = taskDefinition("tuned-ecs", role);
    const containers = JSON.parse(String(task.inputs.containerDefinitions)) as { name: string; environment: { name: string; value: string }[] }[];
    const sidecar = containers.find((container) => container.name === "dynamic-config");
    const parameterName = named("aws:ssm/parameter:Parameter", "tuned-ecs-ecs-dynamic-config-parameter").name;
    expect(sidecar?.environment.find((variable) => variable.name === "TEMPORAL_KIT_DYNAMIC_CONFIG_PARAMETER")?.value).toContain(parameterName);
    expect(String(task.inputs.taskRoleArn)).toMatch(/server-identity-role$/);
  });

  it("no longer warns that a change restarts the roles", () => {
    expect(warnings).toEqual([]);
  });
});
