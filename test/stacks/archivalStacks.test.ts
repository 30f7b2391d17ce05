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

describe("the AKS fixture that archives to Blob Storage through the in-cluster S3 gateway", () => {
  const output = () => outputOf("fixture:aks-archival");
  const objectOf = (kind: string, name: string) => output().objects.find((object) => object.kind === kind && object.metadata.name === name)!;
  const podOf = (deployment: string) => (objectOf("Deployment", deployment).spec as any).template.spec;
  const GATEWAY = "http://temporal-archive-gateway.temporal.svc.cluster.local:8080";

  it("points the server's S3 archiver at the gateway, path-style, with the container as the bucket", () => {
    const serverConfig = output().temporalFiles["temporal.yaml"];
    const s3store = `s3store:\n\\s+region: us-east-1\n\\s+endpoint: ${GATEWAY.replace(/\./g, "\\.")}\n\\s+s3ForcePathStyle: true`;
    expect(serverConfig.match(new RegExp(s3store, "g"))).toHaveLength(2);
    expect(serverConfig).toContain("URI: s3://temporal-archival/history");
    expect(serverConfig).toContain("URI: s3://temporal-archival/visibility");
  });

  it("gives frontend, history and worker, but not matching, the gateway's key pair by Secret reference", () => {
    const keyOf = (deployment: string) =>
      Object.fromEntries(
        (podOf(deployment).containers[0].env as { name: string; value?: string; valueFrom?: unknown }[])
          .filter((variable) => variable.name.startsWith("AWS_"))
          .map((variable) => [variable.name, variable.value ?? variable.valueFrom]),
      );
    const byReference = {
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: "temporal-archive-gateway-s3-key", key: "access-key-id" } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: "temporal-archive-gateway-s3-key", key: "secret-access-key" } },
    };
    for (const role of ["frontend", "history", "worker"]) expect(keyOf(`temporal-${role}`), role).toEqual(byReference);
    expect(keyOf("temporal-matching")).toEqual({});
    expect(podOf("temporal-history").serviceAccountName).toBeUndefined();
  });

  it("runs the gateway as the workload identity Entra ID federates with its service account", () => {
    const { objects, resources } = output();
    const account = objects.find((object) => object.kind === "ServiceAccount" && object.metadata.name === "temporal-archive-gateway")!;
    const clientId = (account.metadata as unknown as { annotations: Record<string, string> }).annotations["azure.workload.identity/client-id"];
    const identity = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
    expect(identity).toHaveLength(1);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(podOf("temporal-archive-gateway").serviceAccountName).toBe("temporal-archive-gateway");
    const [federation] = ofType(resources, "azure-native:managedidentity:FederatedIdentityCredential");
    expect(federation.inputs).toMatchObject({ subject: "system:serviceaccount:temporal:temporal-archive-gateway", audiences: ["api://AzureADTokenExchange"] });
    expect(String(federation.inputs.issuer)).toMatch(/^https:\/\/.*oic\.prod-aks\.azure\.com\//);
  });

  it("grants that identity, and no one else, Blob data access on the archive container alone", () => {
    const { resources } = output();
    const grants = ofType(resources, "azure-native:authorization:RoleAssignment").filter((record) => String(record.inputs.roleDefinitionId).endsWith("ba92f5b4-2d11-453d-a403-e96b0029c9fe"));
    expect(grants).toHaveLength(1);
    const [container] = ofType(resources, "azure-native:storage:BlobContainer");
    const [identityRecord] = ofType(resources, "azure-native:managedidentity:UserAssignedIdentity");
    // The scope and principal are outputs of the container and the identity, which the mocks name by resource.
    expect(grants[0].inputs.scope).toBe(`${container.name}-id`);
    expect(grants[0].dependsOn).toEqual(expect.arrayContaining([identityRecord.urn, container.urn]));
    expect(grants[0].inputs.principalType).toBe("ServicePrincipal");
  });

  it("keeps the storage account closed to the public, to keys and to every network but the AKS subnet, and protected in production", () => {
    const { resources } = output();
    const [account] = ofType(resources, "azure-native:storage:StorageAccount");
    expect(account.inputs).toMatchObject({
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      sku: { name: "Standard_ZRS" },
      networkRuleSet: { defaultAction: "Deny", bypass: "None", ipRules: [] },
    });
    expect(account.protect).toBe(true);
    const aksSubnet = ofType(resources, "azure-native:network:Subnet").find((record) => record.inputs.subnetName === "aks")!;
    const rules = (account.inputs.networkRuleSet as { virtualNetworkRules: { virtualNetworkResourceId: string }[] }).virtualNetworkRules;
    // The subnet's id, as the mocks make it from the resource name.
    expect(rules.map((rule) => rule.virtualNetworkResourceId)).toEqual([`${aksSubnet.name}-id`]);
    expect(aksSubnet.inputs.serviceEndpoints).toContainEqual({ service: "Microsoft.Storage" });
    const otherSubnets = ofType(resources, "azure-native:network:Subnet").filter((record) => record !== aksSubnet);
    for (const subnet of otherSubnets) expect(subnet.inputs.serviceEndpoints, subnet.name).toBeUndefined();
    const [lifecycle] = ofType(resources, "azure-native:storage:ManagementPolicy");
    expect(JSON.stringify(lifecycle.inputs)).toContain('"daysAfterModificationGreaterThan":730');
  });

  it("fences the gateway: only the archiving roles reach it, it reaches only DNS and HTTPS, and the roles lose their own HTTPS", () => {
    const policy = (name: string) => objectOf("NetworkPolicy", name).spec as any;
    expect(policy("temporal-archive-gateway-ingress").ingress[0].from[0].podSelector.matchExpressions[0].values).toEqual(["frontend", "history", "worker"]);
    const egressPorts = policy("temporal-archive-gateway-egress").egress.flatMap((rule: { ports: { port: number }[] }) => rule.ports.map((port) => port.port));
    expect(egressPorts.sort()).toEqual([443, 53, 53]);
    for (const role of ["frontend", "history", "worker"]) {
      const ports = policy(`temporal-${role}-egress`).egress.flatMap((rule: { ports?: { port: number }[] }) => (rule.ports ?? []).map((port) => port.port));
      expect(ports, role).not.toContain(443);
    }
  });

  it("registers each namespace with the container's URIs, an opt-out stated without one", () => {
    const jobs = output().objects.filter((object) => object.kind === "Job" && object.metadata.name.startsWith("temporal-ns-"));
    const audit = envOf(jobs.find((job) => job.metadata.name.startsWith("temporal-ns-audit-"))!);
    expect(audit).toMatchObject({ TEMPORAL_KIT_HISTORY_ARCHIVAL: "enabled", TEMPORAL_KIT_HISTORY_URI: "s3://temporal-archival/history", TEMPORAL_KIT_VISIBILITY_ARCHIVAL: "disabled" });
    expect(audit.TEMPORAL_KIT_VISIBILITY_URI).toBeUndefined();
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
