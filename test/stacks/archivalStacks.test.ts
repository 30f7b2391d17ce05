import { describe, expect, inject, it } from "vitest";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { type KubernetesObject, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const outputOf = (label: string) => readSynthOutput(runs.find((run) => run.label === label)!);
const ofType = (resources: ResourceRecord[], type: string) => resources.filter((record) => record.type === type);
const envOf = (job: KubernetesObject) =>
  Object.fromEntries(
    ((job.spec as any).template.spec.containers[0].env as { name: string; value: string }[]).map(({ name, value }) => [name, value]),
  );

describe("the EKS fixture that archives to a bucket it creates", () => {
  const output = () => outputOf("fixture:eks-archival");
  const bucketName = () => String(ofType(output().resources, "aws:s3/bucket:Bucket")[0].inputs.bucketPrefix);

  it("creates one bucket, retained and protected in production", () => {
    const buckets = ofType(output().resources, "aws:s3/bucket:Bucket");
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("points the server's S3 archiver at that bucket for both kinds", () => {
    const serverConfig = output().temporalFiles["temporal.yaml"];
    expect(serverConfig).toContain("s3store:");
    expect(serverConfig).toMatch(new RegExp(`URI: s3://${bucketName()}[a-z0-9]+/history`));
    expect(serverConfig).toMatch(new RegExp(`URI: s3://${bucketName()}[a-z0-9]+/visibility`));
  });

  it("runs frontend, history and worker, but not matching, as the service account that assumes the archive role", () => {
    const { objects, resources } = output();
    const account = objects.find((object) => object.kind === "ServiceAccount" && object.metadata.name === "temporal-server")!;
    const roleArn = (account.metadata as unknown as { annotations: Record<string, string> }).annotations["eks.amazonaws.com/role-arn"];
    const deployments = objects.filter((object) => object.kind === "Deployment" && /^temporal-(frontend|history|matching|worker)$/.test(object.metadata.name));
    const accountOf = Object.fromEntries(deployments.map((deployment) => [deployment.metadata.name, (deployment.spec as any).template.spec.serviceAccountName]));
    expect(accountOf).toEqual({ "temporal-frontend": "temporal-server", "temporal-history": "temporal-server", "temporal-worker": "temporal-server", "temporal-matching": undefined });

    const role = ofType(resources, "aws:iam/role:Role").find((record) => roleArn.endsWith(`/${record.name}`))!;
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
    expect(Object.values(trust.Condition.StringEquals)).toContain("system:serviceaccount:temporal:temporal-server");
    const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((record) => record.inputs.role === role.name);
    const policy = ofType(resources, "aws:iam/policy:Policy").find((record) => record.name.endsWith("archival-access"))!;
    expect(attachments.map((record) => String(record.inputs.policyArn))).toEqual([expect.stringMatching(/archival-access$/)]);
    expect(JSON.stringify(policy.inputs.policy)).not.toContain("Delete");
  });

  it("registers each namespace with its archival, an opt-out stated without a URI", () => {
    const jobs = output().objects.filter((object) => object.kind === "Job" && object.metadata.name.startsWith("temporal-ns-"));
    const audit = envOf(jobs.find((job) => job.metadata.name.startsWith("temporal-ns-audit-"))!);
    expect(audit).toMatchObject({ TEMPORAL_KIT_HISTORY_ARCHIVAL: "enabled", TEMPORAL_KIT_VISIBILITY_ARCHIVAL: "disabled" });
    expect(audit.TEMPORAL_KIT_HISTORY_URI).toMatch(new RegExp(`^s3://${bucketName()}[a-z0-9]+/history$`));
    expect(audit.TEMPORAL_KIT_VISIBILITY_URI).toBeUndefined();
    const byDefault = envOf(jobs.find((job) => job.metadata.name.startsWith("temporal-ns-default-"))!);
    expect(byDefault.TEMPORAL_KIT_VISIBILITY_URI).toMatch(/\/visibility$/);
  });
});

describe("the ECS fixture that archives histories into an existing bucket", () => {
  const output = () => outputOf("fixture:ecs-archival");
  const taskDefinitions = () => ofType(output().resources, "aws:ecs/taskDefinition:TaskDefinition");

  it("creates no bucket and grants the existing one alone, for histories only", () => {
    const { resources } = output();
    expect(ofType(resources, "aws:s3/bucket:Bucket")).toEqual([]);
    const policy = JSON.parse(String(ofType(resources, "aws:iam/policy:Policy").find((record) => record.name.endsWith("archival-access"))!.inputs.policy));
    expect(policy.Statement.flatMap((statement: { Resource: string[] }) => statement.Resource)).toEqual(["arn:aws:s3:::acme-temporal-archive", "arn:aws:s3:::acme-temporal-archive/history/*"]);
  });

  it("gives the archive's task role to frontend, history and worker; matching gets the roles' own; the console and one-off tasks get none", () => {
    const roleOf = Object.fromEntries(taskDefinitions().map((record) => [record.name, record.inputs.taskRoleArn === undefined ? "none" : String(record.inputs.taskRoleArn).split("/").pop()!.replace(/^temporal-ecs-/, "")]));
    expect(roleOf).toMatchObject({
      "temporal-ecs-frontend-task": "archival-identity-role",
      "temporal-ecs-history-task": "archival-identity-role",
      "temporal-ecs-worker-task": "archival-identity-role",
      "temporal-ecs-matching-task": "server-identity-role",
    });
    expect(Object.entries(roleOf).filter(([, role]) => role === "none").map(([name]) => name).sort()).toEqual(
      taskDefinitions().map((record) => record.name).filter((name) => !/-(frontend|history|matching|worker)-task$/.test(name)).sort(),
    );
  });

  it("lets the archive's task role also read the dynamic config and write the metrics agent's logs, since a task has one role", () => {
    const { resources } = output();
    const attached = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((record) => String(record.inputs.role).includes("archival-identity"))
      .map((record) => String(record.inputs.policyArn).split(":").pop());
    expect(attached.sort()).toEqual(["temporal-archival-access", "temporal-ecs-dynamic-config-read", "temporal-ecs-metrics-policy"]);
  });

  it("archives histories in the bucket's own region and leaves visibility archival off", () => {
    const serverConfig = output().temporalFiles["temporal.yaml"];
    expect(serverConfig).toContain("URI: s3://acme-temporal-archive/history");
    expect(serverConfig).toMatch(/s3store:\n\s+region: us-west-2/);
    expect(serverConfig).not.toContain("s3://acme-temporal-archive/visibility");
  });

  it("passes each namespace's archival to the one-off namespace task as variables", () => {
    const task = taskDefinitions().find((record) => String(record.inputs.family).endsWith("-namespaces"))!;
    const [container] = JSON.parse(String(task.inputs.containerDefinitions)) as { environment: { name: string; value: string }[] }[];
    expect(container.environment).toEqual(
      expect.arrayContaining([
        { name: "NS_0_HISTORY_ARCHIVAL", value: "enabled" },
        { name: "NS_0_HISTORY_URI", value: "s3://acme-temporal-archive/history" },
        { name: "NS_0_VISIBILITY_ARCHIVAL", value: "disabled" },
      ]),
    );
  });
});

describe("every synthesized stack", () => {
  it("has nothing that could delete a Temporal namespace: dropping one from a stack file leaves its workflows", () => {
    const stacks = runs.filter((run) => run.status === 0);
    expect(stacks.length).toBeGreaterThan(5);
    for (const run of stacks) expect(readSynthOutput(run).allText, run.label).not.toMatch(/namespace delete|DeleteNamespace/);
  });

  it("archives nothing unless the stack file turns archival on", () => {
    for (const run of runs.filter((candidate) => candidate.status === 0 && !candidate.label.includes("archival"))) {
      const { resources, temporalFiles } = readSynthOutput(run);
      expect(ofType(resources, "aws:s3/bucket:Bucket"), run.label).toEqual([]);
      if (temporalFiles["temporal.yaml"]) expect(temporalFiles["temporal.yaml"], run.label).not.toContain("s3store");
    }
  });
});
