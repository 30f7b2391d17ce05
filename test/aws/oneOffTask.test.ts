import * as random from "@pulumi/random";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LAMBDA_MARGIN_SECONDS, OneOffTask, OneOffTaskArgs, runTaskResource } from "../../components/aws/ecs/oneOffTask";
import { MOCK_AWS } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { ofType, promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const AWS = {
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  policy: "aws:iam/rolePolicy:RolePolicy",
  function: "aws:lambda/function:Function",
  invocation: "aws:lambda/invocation:Invocation",
} as const;
const COMPONENT = "temporal-kit:aws:OneOffTask";

const ACCOUNT = MOCK_AWS.accountId;
const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/temporal-prd`;
const taskDefinitionArn = (revision: number) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/temporal-prd-schema:${revision}`;
const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/temporal-prd-execution`;
const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/temporal-prd-admin`;

const base: OneOffTaskArgs = {
  clusterArn: CLUSTER_ARN,
  taskDefinitionArn: taskDefinitionArn(3),
  passRoleArns: [EXECUTION_ROLE, TASK_ROLE],
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  securityGroupIds: ["sg-0aaaaaaaaaaaaaaaa"],
  containerName: "schema",
  purpose: "temporal-kit-schema",
  tags: { "temporal-kit:environment": "test" },
};

let records: ResourceRecord[];
const tasks: Record<string, OneOffTask> = {};

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  // Stands in for the database the schema run must wait for; only "schema" is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  tasks.schema = new OneOffTask("schema", base, { dependsOn: [gate] });
  // The same run once the task definition has a new revision, and again without one.
  tasks.nextRevision = new OneOffTask("next-revision", { ...base, taskDefinitionArn: taskDefinitionArn(4) });
  tasks.sameRevision = new OneOffTask("same-revision", base);
  tasks.short = new OneOffTask("short", { ...base, timeoutSeconds: 120 });
  tasks.longest = new OneOffTask("longest", { ...base, timeoutSeconds: 900 });
  await settle();
});

const only = (name: string, type: string) => {
  const matches = ofType(records, type).filter((record) => record.name.startsWith(`${name}-`));
  expect(matches, `${name}: ${type}`).toHaveLength(1);
  return matches[0];
};
const urnOf = (name: string) => records.find((record) => record.name === name)!.urn;
const policyOf = (name: string) => JSON.parse(String(only(name, AWS.policy).inputs.policy)) as { Version: string; Statement: Record<string, unknown>[] };
const inputOf = (name: string) => JSON.parse(String(only(name, AWS.invocation).inputs.input)) as Record<string, unknown>;

describe("runTaskResource", () => {
  it("grants every revision of the task definition's family", () => {
    expect(runTaskResource("arn:aws:ecs:us-east-1:123456789012:task-definition/temporal-prd-schema:12")).toBe(
      "arn:aws:ecs:us-east-1:123456789012:task-definition/temporal-prd-schema:*",
    );
    expect(runTaskResource("arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/a_b-c:1")).toBe(
      "arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/a_b-c:*",
    );
  });

  it("grants an ARN it does not recognise exactly as given, never more", () => {
    for (const arn of ["arn:aws:ecs:us-east-1:123456789012:task-definition/temporal-prd-schema", "arn:aws:ecs:us-east-1:123456789012:schema-id"]) {
      expect(runTaskResource(arn)).toBe(arn);
    }
  });
});

describe("OneOffTask argument checks", () => {
  it("refuses a timeout Lambda cannot wait for, or too short for Fargate to start a task", () => {
    for (const timeoutSeconds of [901, 59, 0, 120.5]) {
      expect(() => new OneOffTask(`bad-timeout-${timeoutSeconds}`, { ...base, timeoutSeconds })).toThrow(
        `The temporal-kit-schema task's timeout must be a whole number of seconds from 60 to 900, the longest a Lambda function may run; given ${timeoutSeconds}`,
      );
    }
  });

  it("refuses a purpose ECS would not take as startedBy", () => {
    for (const purpose of ["temporal-kit-schema-and-namespaces-run", "schema run", ""]) {
      expect(() => new OneOffTask("bad-purpose", { ...base, purpose })).toThrow(
        `The purpose "${purpose}" becomes the task's startedBy: use at most 36 letters, digits, hyphens, underscores or slashes`,
      );
    }
  });

  it("refuses to run a task in no subnet", () => {
    expect(() => new OneOffTask("bad-subnets", { ...base, subnetIds: [] })).toThrow("The temporal-kit-schema task needs at least one subnet to run in");
  });
});

describe("OneOffTask permissions", () => {
  it("lets the function run only this task definition's family, only on the given cluster", () => {
    expect(policyOf("schema").Statement.find((statement) => statement.Sid === "RunTheTask")).toEqual({
      Sid: "RunTheTask",
      Effect: "Allow",
      Action: "ecs:RunTask",
      Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/temporal-prd-schema:*`,
      Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
    });
  });

  it("grants exactly four statements: run, watch and stop, pass the task's roles to ECS tasks, write its own logs", () => {
    // The mocks build every ARN from the type token (a real one reads `arn:aws:logs:<region>:<account>:log-group:<name>`).
    const logGroupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${only("schema", AWS.logGroup).name}`;
    expect(policyOf("schema")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "RunTheTask",
          Effect: "Allow",
          Action: "ecs:RunTask",
          Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/temporal-prd-schema:*`,
          Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
        },
        {
          Sid: "WatchAndStopTheTask",
          Effect: "Allow",
          Action: ["ecs:DescribeTasks", "ecs:StopTask"],
          Resource: "*",
          Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
        },
        {
          Sid: "HandTheTaskItsRoles",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: [EXECUTION_ROLE, TASK_ROLE],
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
      ],
    });
  });

  it("names no wildcard action and grants nothing on every resource without a cluster condition", () => {
    for (const statement of policyOf("schema").Statement) {
      for (const action of [statement.Action].flat() as string[]) expect(action, String(statement.Sid)).not.toContain("*");
      if (statement.Resource === "*") expect(statement.Condition, String(statement.Sid)).toEqual({ ArnEquals: { "ecs:cluster": CLUSTER_ARN } });
    }
  });

  it("attaches the policy to a role only Lambda may assume", () => {
    const role = only("schema", AWS.role);
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const policy = only("schema", AWS.policy);
    expect(policy.inputs.role).toBe(`${role.name}-id`);
    expect(policy.dependsOn).toContain(role.urn);
    expect(ofType(records, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
  });
});

describe("OneOffTask function", () => {
  it("runs the handler file as shipped on Node.js 22 with 128 MB", () => {
    const fn = only("schema", AWS.function).inputs;
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "runOneOffTask.handler", memorySize: 128 });
    const archive = fn.code as { assets: Record<string, { text: string }> };
    expect(Object.keys(archive.assets)).toEqual(["runOneOffTask.js"]);
    expect(archive.assets["runOneOffTask.js"].text).toBe(readFileSync(join(__dirname, "../../components/aws/ecs/runOneOffTask.js"), "utf8"));
  });

  it("gives the function the task's time plus the handler's margin to stop it, within Lambda's 900 s", () => {
    expect(only("schema", AWS.function).inputs.timeout).toBe(600 + LAMBDA_MARGIN_SECONDS);
    expect(only("short", AWS.function).inputs.timeout).toBe(120 + LAMBDA_MARGIN_SECONDS);
    expect(only("longest", AWS.function).inputs.timeout).toBe(900);
    const handler = createRequire(__filename)("../../components/aws/ecs/runOneOffTask.js") as { STOP_MARGIN_MS: number; POLL_MS: number };
    expect(LAMBDA_MARGIN_SECONDS * 1000).toBeGreaterThan(handler.STOP_MARGIN_MS + handler.POLL_MS);
  });

  it("is created only once its log group and its role's policy exist, and logs to that group", () => {
    const fn = only("schema", AWS.function);
    const logGroup = only("schema", AWS.logGroup);
    const role = only("schema", AWS.role);
    expect(fn.dependsOn).toEqual(expect.arrayContaining([logGroup.urn, only("schema", AWS.policy).urn, role.urn]));
    expect(fn.inputs.role).toBe(`arn:aws:iam::${ACCOUNT}:role/${role.name}`);
    expect(fn.inputs.loggingConfig).toEqual({ logFormat: "Text", logGroup: `${logGroup.name}-id` });
    expect(logGroup.inputs.retentionInDays).toBe(30);
  });
});

describe("OneOffTask invocation", () => {
  it("invokes the function with the cluster, task definition, network and container to watch", () => {
    const invocation = only("schema", AWS.invocation);
    expect(invocation.inputs.functionName).toBe(`${only("schema", AWS.function).name}-id`);
    expect(inputOf("schema")).toEqual({
      cluster: CLUSTER_ARN,
      taskDefinition: taskDefinitionArn(3),
      subnets: base.subnetIds,
      securityGroups: base.securityGroupIds,
      containerName: "schema",
      startedBy: "temporal-kit-schema",
    });
    expect(invocation.dependsOn).toContain(only("schema", AWS.function).urn);
  });

  it("never asks for a public address: the handler always turns it off", () => {
    expect(JSON.stringify(inputOf("schema"))).not.toMatch(/assignPublicIp|ENABLED/);
    expect(readFileSync(join(__dirname, "../../components/aws/ecs/runOneOffTask.js"), "utf8")).toContain('assignPublicIp: "DISABLED"');
  });

  it("runs again for a new task definition revision and not for an unchanged deployment", () => {
    const triggers = (name: string) => only(name, AWS.invocation).inputs.triggers;
    expect(triggers("schema")).toEqual({ taskDefinitionArn: taskDefinitionArn(3) });
    expect(triggers("next-revision")).toEqual({ taskDefinitionArn: taskDefinitionArn(4) });
    expect(triggers("same-revision")).toEqual(triggers("schema"));
    expect(inputOf("same-revision")).toEqual(inputOf("schema"));
    // Only on creation or replacement: the default, and nothing asks for more.
    expect(only("schema", AWS.invocation).inputs.lifecycleScope).toBeUndefined();
  });

  it("publishes the invocation and its result", async () => {
    const invocationUrn = await promiseOf(tasks.schema.invocation.urn);
    expect(invocationUrn).toContain(`${AWS.invocation}::schema-invocation`);
    expect(tasks.schema.result).toBeDefined();
  });
});

describe("OneOffTask resources", () => {
  it("parents every resource to the component and tags the taggable ones with the caller's tags and a Name", () => {
    const component = records.find((record) => record.type === COMPONENT && record.name === "schema")!;
    const children = records.filter((record) => record.name.startsWith("schema-"));
    expect(children.map((child) => child.type).sort()).toEqual(Object.values(AWS).sort());
    for (const child of children) {
      expect(child.parent, child.name).toBe(component.urn);
      // An inline policy and an invocation are not things AWS can tag.
      if (child.type !== AWS.policy && child.type !== AWS.invocation) {
        expect(child.inputs.tags, child.name).toEqual({ ...base.tags, Name: child.name });
      }
    }
  });

  it("makes every resource inside wait for what the component depends on", () => {
    const children = records.filter((record) => record.name.startsWith("schema-") && record.custom);
    expect(children).toHaveLength(5);
    for (const child of children) expect(child.dependsOn, child.name).toContain(urnOf("gate"));
  });
});
