import { createHash } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const awsStacks = ["staging", "production"];
const ecsStacks = ["production-ecs"];

const only = (resources: ResourceRecord[], type: string) => {
  const matches = resources.filter((record) => record.type === type);
  expect(matches, type).toHaveLength(1);
  return matches[0];
};

describe.each(awsStacks)("EKS stack %s", (stack) => {
  const output = () => readSynthOutput(runs.find((run) => run.label === stack)!);

  it("composes network, EKS and RDS under one AWS platform component", () => {
    const { resources } = output();
    const platform = only(resources, "temporal-kit:aws:AwsPlatform");
    for (const type of ["temporal-kit:aws:Network", "temporal-kit:aws:EksCluster", "temporal-kit:aws:RdsDatabase"]) {
      expect(only(resources, type).parent).toBe(platform.urn);
    }
  });

  it("deploys every Kubernetes object onto the EKS cluster it created", () => {
    const { resources } = output();
    const provider = only(resources, "pulumi:providers:kubernetes");
    expect(provider.parent).toBe(only(resources, "temporal-kit:aws:EksCluster").urn);
    const kubernetesObjects = resources.filter((record) => record.custom && record.type.startsWith("kubernetes:"));
    expect(kubernetesObjects.length).toBeGreaterThan(20);
    for (const record of kubernetesObjects) expect(record.provider?.startsWith(`${provider.urn}::`), record.name).toBe(true);
  });

  it("opens the Kubernetes API only to the deployers the stack file names, and keeps the private endpoint for the nodes", () => {
    const { resources } = output();
    const vpcConfig = only(resources, "aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>;
    expect(vpcConfig).toMatchObject({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
  });

  it("records the VPC it created for the endpoint access guard, only once the network exists", () => {
    const { resources } = output();
    const guard = only(resources, "pulumi-nodejs:dynamic/temporal-kit:EndpointAccessGuard");
    expect(guard.inputs).toMatchObject({ vpcCidrBlock: stack === "production" ? "10.42.0.0/16" : "10.41.0.0/16", privateOnly: false });
    expect(guard.dependsOn).toContain(only(resources, "aws:ec2/vpc:Vpc").urn);
  });

  it("keeps the database private, encrypted and reachable only from the cluster's workloads", () => {
    const { resources } = output();
    const instance = only(resources, "aws:rds/instance:Instance").inputs;
    expect(instance).toMatchObject({ publiclyAccessible: false, storageEncrypted: true, password: "[secret]" });
    expect(instance.multiAz).toBe(stack === "production");
    expect(instance.deletionProtection).toBe(stack === "production");
    expect(Number(instance.backupRetentionPeriod)).toBeGreaterThanOrEqual(7);
    const ingress = resources.filter((record) => record.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.length).toBeGreaterThan(0);
    for (const rule of ingress.filter((record) => record.parent === only(resources, "temporal-kit:aws:RdsDatabase").urn)) {
      expect(rule.inputs).toMatchObject({ fromPort: 3306, toPort: 3306 });
      expect(rule.inputs.cidrIpv4).toBeUndefined();
      expect(String(rule.inputs.referencedSecurityGroupId)).toMatch(/^sg-/);
    }
  });

  it("connects Temporal to RDS over TLS verified with Amazon's CA bundle", () => {
    const out = output();
    const serverConfig = out.temporalFiles["temporal.yaml"];
    expect(serverConfig).toMatch(/connectAddr: .*\.rds\.amazonaws\.com:3306/);
    expect(serverConfig).toContain("caFile: /etc/temporal/store-ca/ca.pem");
    expect(serverConfig).toContain("enableHostVerification: true");
    const ca = out.objects.find((object) => object.kind === "ConfigMap" && object.metadata.name === "temporal-store-ca")!;
    expect((ca.data as Record<string, string>)["ca.pem"]).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const secret = out.objects.find((object) => object.kind === "Secret" && object.metadata.name === "temporal-store-credentials")!;
    expect(secret.stringData).toEqual({ password: "[secret]" });
  });

  it("outputs the database endpoint but never its password", () => {
    const { outputs } = output();
    expect(outputs.databaseEndpoint).toMatch(/\.rds\.amazonaws\.com:3306$/);
    expect(JSON.stringify(outputs)).not.toMatch(/password/i);
  });
});

interface EcsContainer {
  name: string;
  image: string;
  essential: boolean;
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  healthCheck?: unknown;
  logConfiguration?: { logDriver: string };
}

describe.each(ecsStacks)("ECS stack %s", (stack) => {
  const output = () => readSynthOutput(runs.find((run) => run.label === stack)!);
  const ofType = (type: string) => output().resources.filter((record) => record.type === type);
  const taskDefinitions = () =>
    new Map(ofType("aws:ecs/taskDefinition:TaskDefinition").map((record) => [String(record.inputs.family), JSON.parse(String(record.inputs.containerDefinitions)) as EcsContainer[]]));
  const services = () => ofType("aws:ecs/service:Service");
  const roleServices = () => services().filter((record) => /-(frontend|history|matching|worker)-service$/.test(record.name));

  it("composes network, ECS and RDS under one AWS platform component, and no Kubernetes at all", () => {
    const { resources, objects } = output();
    const platform = only(resources, "temporal-kit:aws:AwsPlatform");
    for (const type of ["temporal-kit:aws:Network", "temporal-kit:aws:EcsCluster", "temporal-kit:aws:RdsDatabase"]) {
      expect(only(resources, type).parent).toBe(platform.urn);
    }
    expect(objects).toHaveLength(0);
    expect(resources.some((record) => record.type.startsWith("kubernetes:") || record.type === "temporal-kit:aws:EksCluster")).toBe(false);
  });

  it("runs each role as its own Fargate service with at least two tasks in the private subnets", () => {
    const { resources } = output();
    const roles = roleServices();
    expect(roles).toHaveLength(4);
    const privateSubnets = new Set(
      resources.filter((record) => record.type === "aws:ec2/subnet:Subnet" && record.name.includes("private")).map((record) => record.urn),
    );
    expect(privateSubnets.size).toBe(3);
    for (const service of roles) {
      expect(service.inputs).toMatchObject({ launchType: "FARGATE", networkConfiguration: { assignPublicIp: false } });
      expect(Number(service.inputs.desiredCount)).toBeGreaterThanOrEqual(2);
      expect((service.inputs.networkConfiguration as { subnets: string[] }).subnets).toHaveLength(3);
    }
  });

  it("scales the frontend service on CPU between its bounds, and no other role", () => {
    const targets = ofType("aws:appautoscaling/target:Target");
    expect(targets.map((record) => record.name)).toEqual([expect.stringMatching(/-frontend-scaling$/)]);
    expect(targets[0].inputs).toMatchObject({ minCapacity: 3, maxCapacity: 8, scalableDimension: "ecs:service:DesiredCount" });
    const policy = only(output().resources, "aws:appautoscaling/policy:Policy").inputs;
    expect(policy).toMatchObject({
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: { targetValue: 70, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } },
    });
  });

  it("health-checks every long-running container, logs every container, and passes secrets only as references", () => {
    const webTargets = ofType("aws:lb/targetGroup:TargetGroup").find((record) => record.name.endsWith("-web-lb-targets"))!;
    // The console is checked by its load balancer on /healthz; the one-off tasks end by design.
    expect(webTargets.inputs.healthCheck).toMatchObject({ path: "/healthz" });
    for (const [family, containers] of taskDefinitions()) {
      for (const container of containers) {
        expect(container.logConfiguration?.logDriver, family).toBe("awslogs");
        // A non-essential container (the metrics agent) cannot stop its task, so ECS ignores its health.
        if (!/-(schema|namespaces|web-task)$/.test(family) && container.essential !== false) expect(container.healthCheck, family).toBeDefined();
        for (const variable of container.environment ?? []) expect(variable.name, family).not.toMatch(/PASSWORD|SECRET|TOKEN|PWD/);
        for (const secret of container.secrets ?? []) expect(secret.valueFrom).toMatch(/^arn:aws:secretsmanager:/);
        expect(container.image).toMatch(/:[0-9][\w.-]*$/);
      }
    }
  });

  it("never writes the database password anywhere", () => {
    const { resources, allText } = output();
    const password = resources.find((record) => record.type === "random:index/randomPassword:RandomPassword")!;
    expect(allText).not.toContain(createHash("sha256").update(`mock-password:${password.name}`).digest("hex").slice(0, 32));
    const secretVersions = resources.filter((record) => record.type === "aws:secretsmanager/secretVersion:SecretVersion");
    expect(secretVersions.map((record) => record.name)).toContainEqual(expect.stringMatching(/-db-password$/));
    for (const version of secretVersions) expect(version.inputs.secretString, version.name).toBe("[secret]");
  });

  it("finishes the schema task before any role service exists, and registers namespaces after all of them", () => {
    const { resources } = output();
    const schemaRun = resources.find((record) => record.type === "aws:lambda/invocation:Invocation" && record.name.includes("schema"))!;
    const namespaceRun = resources.find((record) => record.type === "aws:lambda/invocation:Invocation" && record.name.includes("namespaces"))!;
    for (const service of roleServices()) {
      expect(service.dependsOn).toContain(schemaRun.urn);
      expect(namespaceRun.dependsOn).toContain(service.urn);
    }
  });

  it("connects Temporal to RDS over TLS verified with the region's RDS certificate authorities", () => {
    const { temporalFiles } = output();
    expect(temporalFiles["temporal.yaml"]).toMatch(/connectAddr: .*\.rds\.amazonaws\.com:3306/);
    expect(temporalFiles["temporal.yaml"]).toContain("caFile: /tmp/temporal-kit/store-ca.pem");
    expect(temporalFiles["temporal.yaml"]).toContain("filepath: /tmp/temporal-kit/dynamic_config.yaml");
    const history = [...taskDefinitions().values()].flat().find((container) => container.name === "history")!;
    const ca = Buffer.from(history.environment!.find((variable) => variable.name === "TEMPORAL_KIT_STORE_CA_B64")!.value, "base64").toString();
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(ca.length).toBeLessThan(32_000);
  });

  it("puts the frontend and web console services behind their load balancers only once the listeners exist", () => {
    const { resources } = output();
    const listeners = resources.filter((record) => record.type === "aws:lb/listener:Listener" && record.inputs.defaultActions !== undefined);
    for (const [service, listenerName] of [["-frontend-service", "-frontend-lb-grpc"], ["-web-service", "-web-lb-http"]]) {
      const record = services().find((candidate) => candidate.name.endsWith(service))!;
      const listener = listeners.find((candidate) => candidate.name.endsWith(listenerName))!;
      expect(record.dependsOn, service).toContain(listener.urn);
    }
  });

  it("keeps every task definition under ECS's 64 KiB limit", () => {
    for (const record of ofType("aws:ecs/taskDefinition:TaskDefinition")) {
      expect(Buffer.byteLength(String(record.inputs.containerDefinitions)), String(record.inputs.family)).toBeLessThan(60_000);
    }
  });

  it("admits database connections only from the Temporal tasks' security group", () => {
    const { resources } = output();
    const database = only(resources, "temporal-kit:aws:RdsDatabase");
    const tasksGroup = resources.find((record) => record.type === "aws:ec2/securityGroup:SecurityGroup" && record.name.endsWith("-ecs-tasks"))!;
    const rules = resources.filter((record) => record.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && record.parent === database.urn);
    expect(rules).toHaveLength(1);
    expect(rules[0].dependsOn).toContain(tasksGroup.urn);
    expect(only(resources, "aws:rds/instance:Instance").inputs).toMatchObject({ publiclyAccessible: false, storageEncrypted: true, multiAz: true, deletionProtection: true });
  });

  it("outputs the frontend's load balancer endpoint, the console URL and the database endpoint, never the password", () => {
    const { outputs } = output();
    expect(outputs.frontendEndpoint).toMatch(/\.elb\.us-east-1\.amazonaws\.com:7233$/);
    expect(outputs.frontendAddress).toBe("frontend.temporal.temporal.internal:7233");
    expect(outputs.webConsoleUrl).toMatch(/^http:\/\/.*\.elb\./);
    expect(outputs.databaseEndpoint).toMatch(/\.rds\.amazonaws\.com:3306$/);
    expect(outputs.kubernetesNamespace).toBeUndefined();
    expect(JSON.stringify(outputs)).not.toMatch(/password/i);
  });
});

describe("the ECS fixture with an autoscaled worker pool", () => {
  const output = () => readSynthOutput(runs.find((run) => run.label === "fixture:ecs-workers")!);

  it("runs Temporal on RDS PostgreSQL with the postgres12 plugin and PostgreSQL schemas", () => {
    const { resources, temporalFiles } = output();
    expect(only(resources, "aws:rds/instance:Instance").inputs).toMatchObject({ engine: "postgres", port: 5432 });
    expect(temporalFiles["temporal.yaml"]).toContain("pluginName: postgres12");
    expect(temporalFiles["temporal.yaml"]).toMatch(/connectAddr: .*:5432/);
    const schema = resources.find((record) => record.type === "aws:ecs/taskDefinition:TaskDefinition" && String(record.inputs.family).endsWith("-schema"))!;
    const script = (JSON.parse(String(schema.inputs.containerDefinitions)) as EcsContainer[])[0] as unknown as { command: string[] };
    expect(script.command[0]).toContain("/etc/temporal/schema/postgresql/v12/temporal/versioned");
    expect(script.command[0]).toContain("/etc/temporal/schema/postgresql/v12/visibility/versioned");
  });

  it("scales the pool on CPU between its bounds and lets the scaler own the count", () => {
    const { resources } = output();
    const target = resources.find((record) => record.type === "aws:appautoscaling/target:Target" && record.name.includes("worker-orders"))!;
    expect(target.inputs).toMatchObject({ minCapacity: 2, maxCapacity: 12 });
  });

  it("gives the pool a task role holding only its listed policy, and the roles only the dynamic config's and the metrics agent's", () => {
    const { resources } = output();
    const tasks = resources.filter((record) => record.type === "aws:ecs/taskDefinition:TaskDefinition");
    const withPoolRole = tasks.filter((record) => String(record.inputs.taskRoleArn).includes("worker-orders"));
    expect(withPoolRole.map((record) => record.name)).toEqual([expect.stringContaining("worker-orders")]);
    const roleTasks = tasks.filter((record) => /-(frontend|history|matching|worker)-task$/.test(record.name));
    for (const task of roleTasks) expect(task.inputs.taskRoleArn, task.name).toMatch(/-server-identity-role$/);
    const serverPolicies = resources
      .filter((record) => record.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && String(record.inputs.role).includes("server-identity"))
      .map((record) => String(record.inputs.policyArn).split(":").pop());
    expect(serverPolicies.sort()).toEqual(["temporal-ecs-dynamic-config-read", "temporal-ecs-metrics-policy"]);
    const attachments = resources.filter((record) => record.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && record.name.includes("worker-orders"));
    expect(attachments.map((record) => record.inputs.policyArn)).toEqual(["arn:aws:iam::123456789012:policy/orders-bucket-read"]);
  });

  it("serves the console over HTTPS from the public subnets to the allowed networks only", () => {
    const { resources, outputs } = output();
    const alb = resources.find((record) => record.type === "aws:lb/loadBalancer:LoadBalancer" && record.inputs.loadBalancerType === "application")!;
    expect(alb.inputs).toMatchObject({ internal: false, subnets: ["subnet-0cccccccccccccccc", "subnet-0dddddddddddddddd"] });
    expect(outputs.webConsoleUrl).toMatch(/^https:\/\//);
    const open = resources.filter((record) => record.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && record.inputs.cidrIpv4 === "0.0.0.0/0");
    expect(open).toHaveLength(0);
  });

  it("runs the roles in the existing private subnets and lets VPC clients reach the frontend", () => {
    const { resources } = output();
    const history = resources.find((record) => record.type === "aws:ecs/service:Service" && record.name.endsWith("-history-service"))!;
    expect((history.inputs.networkConfiguration as { subnets: string[] }).subnets).toEqual(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]);
    const clients = resources.find((record) => record.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && record.name.includes("frontend-lb-clients"))!;
    expect(clients.inputs.cidrIpv4).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(resources.some((record) => record.type === "aws:ec2/vpc:Vpc")).toBe(false);
  });
});

describe.each(["eks-workers", "eks-archival"])("the EKS fixture %s on an existing cluster", (fixture) => {
  const output = () => readSynthOutput(runs.find((run) => run.label === `fixture:${fixture}`)!);

  it("puts the database in the cluster's own VPC and private subnets, and creates no network", () => {
    const { resources } = output();
    expect(resources.some((record) => record.type === "aws:ec2/vpc:Vpc" || record.type === "temporal-kit:aws:Network")).toBe(false);
    expect(only(resources, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(["subnet-0a1a1a1a1a1a1a1a1", "subnet-0b2b2b2b2b2b2b2b2", "subnet-0c3c3c3c3c3c3c3c3"]);
    const database = only(resources, "temporal-kit:aws:RdsDatabase");
    const group = resources.find((record) => record.type === "aws:ec2/securityGroup:SecurityGroup" && record.parent === database.urn)!;
    expect(group.inputs.vpcId).toBe("vpc-0e5c0a1b2c3d4e5f6");
  });

  it("admits the existing cluster's security group, which AWS resolves in that same VPC", () => {
    const { resources } = output();
    const database = only(resources, "temporal-kit:aws:RdsDatabase");
    const rules = resources.filter((record) => record.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && record.parent === database.urn);
    expect(rules.map((rule) => rule.inputs.referencedSecurityGroupId)).toEqual([`sg-${createHash("sha256").update("platform-shared-cluster").digest("hex").slice(0, 17)}`]);
  });

  it("guards no endpoint: the kit neither creates the cluster nor its network", () => {
    expect(output().resources.some((record) => record.type.endsWith("EndpointAccessGuard"))).toBe(false);
  });
});

describe("the EKS fixture with an autoscaled worker pool", () => {
  const output = () => readSynthOutput(runs.find((run) => run.label === "fixture:eks-workers")!);

  it("autoscales the pool's Deployment with an HPA on CPU", () => {
    const hpa = output().objects.find((object) => object.kind === "HorizontalPodAutoscaler" && object.metadata.name === "temporal-worker-orders")!;
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 12, scaleTargetRef: { kind: "Deployment", name: "temporal-worker-orders" } });
  });

  it("runs the pool as a service account bound to an IRSA role trusted for that account only", () => {
    const { objects, resources } = output();
    const account = objects.find((object) => object.kind === "ServiceAccount")!;
    const roleArn = (account.metadata as unknown as { annotations: Record<string, string> }).annotations["eks.amazonaws.com/role-arn"];
    expect(roleArn).toMatch(/^arn:aws:iam::123456789012:role\//);
    const deployment = objects.find((object) => object.kind === "Deployment" && object.metadata.name === "temporal-worker-orders")!;
    expect((deployment.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName).toBe(account.metadata.name);
    const role = resources.find((record) => record.type === "aws:iam/role:Role" && record.name.includes("worker-orders"))!;
    const condition = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals;
    expect(Object.values(condition)).toContain(`system:serviceaccount:temporal:${account.metadata.name}`);
  });

  it("uses the existing cluster and creates no EKS resources", () => {
    const { resources } = output();
    expect(resources.some((record) => record.type.startsWith("aws:eks/"))).toBe(false);
  });
});
