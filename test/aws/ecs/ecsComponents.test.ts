import { beforeAll, describe, expect, it } from "vitest";
import { EcsCluster, clientPorts, temporalPeerPorts } from "../../../components/aws/ecs/ecsCluster";
import { ExecutionRole } from "../../../components/aws/ecs/executionRole";
import { FargateService } from "../../../components/aws/ecs/fargateService";
import { FrontendLoadBalancer } from "../../../components/aws/ecs/frontendLoadBalancer";
import { HTTPS_POLICY, WebConsoleLoadBalancer } from "../../../components/aws/ecs/webConsoleLoadBalancer";
import { WorkloadIdentityRole } from "../../../components/aws/workloadIdentityRole";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";

const TYPES = {
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  service: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;
const VPC = "vpc-0123456789abcdef0";
const TASKS_SG = "sg-0aaaaaaaaaaaaaaaa";
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"];
const tags = { "temporal-kit:environment": "test" };

let records: ResourceRecord[];
let cluster: EcsCluster;
let publicConsole: WebConsoleLoadBalancer;
let privateConsole: WebConsoleLoadBalancer;

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  cluster = new EcsCluster("ecs", {
    vpcId: VPC,
    vpcCidr: "10.43.0.0/16",
    storePorts: [3306, 3306],
    discoveryDomain: "temporal.temporal.internal",
    logRetentionDays: 90,
    containerInsights: true,
    tags,
  });
  new FrontendLoadBalancer("front", { vpcId: VPC, subnetIds: SUBNETS, clientCidrs: ["10.42.0.0/16"], tasksSecurityGroupId: TASKS_SG, tags });
  publicConsole = new WebConsoleLoadBalancer("pubweb", {
    vpcId: VPC,
    subnetIds: SUBNETS,
    internetFacing: true,
    allowedCidrs: ["203.0.113.0/24"],
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0b5f3a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    tasksSecurityGroupId: TASKS_SG,
    tags,
  });
  privateConsole = new WebConsoleLoadBalancer("privweb", { vpcId: VPC, subnetIds: SUBNETS, internetFacing: false, allowedCidrs: ["10.42.0.0/16"], tasksSecurityGroupId: TASKS_SG, tags });
  new ExecutionRole("exec", { logGroupName: "temporal-logs", secretArns: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"], tags });
  const containers = [{ name: "app", image: "example/app:1.0.0", essential: true, environment: [], secrets: [], portMappings: [], logConfiguration: { logDriver: "awslogs" as const, options: {} } }];
  const common = { clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/temporal", clusterName: "temporal", executionRoleArn: "arn:aws:iam::123456789012:role/exec", containers, subnetIds: SUBNETS, securityGroupIds: [TASKS_SG], tags };
  new FargateService("fixed", { ...common, size: { cpu: 1024, memory: 2048 }, desiredCount: 3 });
  new FargateService("scaled", { ...common, size: { cpu: 512, memory: 1024 }, desiredCount: 2, autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 60 } });
  new WorkloadIdentityRole("irsa", { trust: { platform: "eks", oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", oidcIssuer: "oidc.eks.us-east-1.amazonaws.com/id/ABC", namespace: "temporal", serviceAccountName: "temporal-worker-orders" }, description: "orders", policyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"], tags });
  new WorkloadIdentityRole("taskrole", { trust: { platform: "ecs" }, description: "orders", policyArns: ["arn:aws:iam::123456789012:policy/orders"], tags });
  await settle();
});

const named = (type: string, prefix: string) => records.filter((record) => record.type === type && record.name.startsWith(`${prefix}-`));
const one = (type: string, prefix: string) => {
  const matches = named(type, prefix);
  expect(matches, `${prefix}: ${type}`).toHaveLength(1);
  return matches[0].inputs;
};

describe("EcsCluster", () => {
  const groups = async () => ({ tasks: await promiseOf(cluster.tasksSecurityGroupId), clients: await promiseOf(cluster.clientsSecurityGroupId) });

  it("lets Temporal tasks reach each other only on the roles' gRPC, membership, HTTP and metrics ports", async () => {
    const { tasks } = await groups();
    const rules = named(TYPES.ingress, "ecs").map((record) => record.inputs).filter((rule) => rule.referencedSecurityGroupId === tasks);
    expect(rules.map((rule) => rule.fromPort).sort()).toEqual(temporalPeerPorts().map((peer) => peer.port).sort());
    expect(rules.map((rule) => rule.fromPort).sort()).toEqual([6933, 6934, 6935, 6936, 6939, 7233, 7234, 7235, 7236, 7239, 7243, 7246, 9090].sort());
    for (const rule of rules) {
      expect(rule.fromPort).toBe(rule.toPort);
      expect(rule.cidrIpv4).toBeUndefined();
      expect(rule.securityGroupId).toBe(tasks);
    }
  });

  it("admits the client tasks into the server group on the frontend's and the internal frontend's gRPC ports only", async () => {
    const { tasks, clients } = await groups();
    const rules = named(TYPES.ingress, "ecs").map((record) => record.inputs);
    const fromClients = rules.filter((rule) => rule.referencedSecurityGroupId === clients);
    expect(fromClients.map((rule) => [rule.securityGroupId, rule.ipProtocol, rule.fromPort, rule.toPort]).sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([
      [tasks, "tcp", 7233, 7233],
      [tasks, "tcp", 7236, 7236],
    ]);
    expect(clientPorts().map((entry) => entry.port)).toEqual([7233, 7236]);
    // Every ingress rule of the cluster is either a peer rule or one of these two: nothing else is open.
    expect(rules).toHaveLength(temporalPeerPorts().length + 2);
  });

  it("gives the clients group no ingress of its own", async () => {
    const { tasks, clients } = await groups();
    expect(clients).not.toBe(tasks);
    expect(named(TYPES.ingress, "ecs").filter((record) => record.inputs.securityGroupId === clients)).toHaveLength(0);
  });

  it("lets tasks open connections only to each other on Temporal's ports, to the data store's port in the VPC, and to HTTPS", async () => {
    const { tasks } = await groups();
    const rules = named(TYPES.egress, "ecs").map((record) => record.inputs).filter((rule) => rule.securityGroupId === tasks);
    expect(rules.every((rule) => rule.ipProtocol === "tcp")).toBe(true);
    const byTarget = rules.map((rule) => [rule.referencedSecurityGroupId === tasks ? "tasks" : rule.cidrIpv4, rule.fromPort, rule.toPort]);
    expect(byTarget).toEqual(
      expect.arrayContaining([
        ["tasks", 6933, 7246],
        ["10.43.0.0/16", 3306, 3306],
        ["0.0.0.0/0", 443, 443],
      ]),
    );
    expect(byTarget).toHaveLength(3);
  });

  it("lets client tasks open connections only to the server group's 7233 and 7236, and to HTTPS", async () => {
    const { tasks, clients } = await groups();
    const rules = named(TYPES.egress, "ecs").map((record) => record.inputs).filter((rule) => rule.securityGroupId === clients);
    const byTarget = rules
      .map((rule) => [rule.referencedSecurityGroupId === tasks ? "tasks" : rule.referencedSecurityGroupId ?? rule.cidrIpv4, rule.ipProtocol, rule.fromPort, rule.toPort])
      .sort((a, b) => Number(a[2]) - Number(b[2]));
    expect(byTarget).toEqual([
      ["0.0.0.0/0", "tcp", 443, 443],
      ["tasks", "tcp", 7233, 7233],
      ["tasks", "tcp", 7236, 7236],
    ]);
    // No egress rule of the cluster belongs to a third group.
    expect(named(TYPES.egress, "ecs")).toHaveLength(3 + 3);
  });

  it("keeps logs for the configured time and turns Container Insights on when asked", () => {
    expect(one("aws:cloudwatch/logGroup:LogGroup", "ecs").retentionInDays).toBe(90);
    expect(one("aws:ecs/cluster:Cluster", "ecs").settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
  });

  it("gives service discovery a private zone in the VPC", async () => {
    expect(one("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "ecs")).toMatchObject({ name: "temporal.temporal.internal", vpc: VPC });
    expect(await promiseOf(cluster.tasksSecurityGroupId)).toMatch(/^sg-/);
  });
});

describe("FrontendLoadBalancer", () => {
  it("is an internal network load balancer passing gRPC through on 7233 to task IPs", () => {
    expect(one(TYPES.loadBalancer, "front")).toMatchObject({ loadBalancerType: "network", internal: true, subnets: SUBNETS });
    expect(one(TYPES.targetGroup, "front")).toMatchObject({ targetType: "ip", protocol: "TCP", port: 7233 });
    expect(one(TYPES.listener, "front")).toMatchObject({ protocol: "TCP", port: 7233 });
  });

  it("admits clients from the given networks and lets the frontend tasks admit only the load balancer", () => {
    const ingress = named(TYPES.ingress, "front").map((record) => record.inputs);
    const fromClients = ingress.filter((rule) => rule.cidrIpv4 !== undefined);
    expect(fromClients).toEqual([expect.objectContaining({ cidrIpv4: "10.42.0.0/16", fromPort: 7233, toPort: 7233 })]);
    const onTasks = ingress.filter((rule) => rule.securityGroupId === TASKS_SG);
    expect(onTasks).toEqual([expect.objectContaining({ fromPort: 7233, toPort: 7233 })]);
    expect(onTasks[0].referencedSecurityGroupId).toMatch(/^sg-/);
    expect(named(TYPES.egress, "front").map((record) => record.inputs)).toEqual([expect.objectContaining({ referencedSecurityGroupId: TASKS_SG, fromPort: 7233 })]);
  });
});

describe("WebConsoleLoadBalancer", () => {
  it("serves HTTPS with a modern TLS policy and only redirects plain HTTP when given a certificate", async () => {
    const listeners = named(TYPES.listener, "pubweb").map((record) => record.inputs);
    expect(listeners.find((listener) => listener.port === 443)).toMatchObject({ protocol: "HTTPS", sslPolicy: HTTPS_POLICY });
    expect((listeners.find((listener) => listener.port === 80)!.defaultActions as { type: string }[])[0].type).toBe("redirect");
    expect(await promiseOf(publicConsole.url)).toMatch(/^https:\/\//);
    expect(one(TYPES.loadBalancer, "pubweb")).toMatchObject({ internal: false, dropInvalidHeaderFields: true });
  });

  it("stays internal and on HTTP without a certificate", async () => {
    expect(one(TYPES.loadBalancer, "privweb")).toMatchObject({ internal: true });
    expect(named(TYPES.listener, "privweb").map((record) => record.inputs.port)).toEqual([80]);
    expect(await promiseOf(privateConsole.url)).toMatch(/^http:\/\//);
  });

  it("admits only the allowed networks, on the listener ports", () => {
    const viewers = named(TYPES.ingress, "pubweb").filter((record) => record.inputs.cidrIpv4 !== undefined).map((record) => record.inputs);
    expect(viewers.map((rule) => [rule.cidrIpv4, rule.fromPort])).toEqual([["203.0.113.0/24", 443], ["203.0.113.0/24", 80]]);
  });

  it("health-checks the console on /healthz", () => {
    expect(one(TYPES.targetGroup, "privweb")).toMatchObject({ protocol: "HTTP", port: 8080, targetType: "ip", healthCheck: { path: "/healthz" } });
  });
});

describe("ExecutionRole", () => {
  it("may be assumed only by this account's ECS tasks", () => {
    const trust = JSON.parse(String(one(TYPES.role, "exec").assumeRolePolicy));
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
    ]);
  });

  it("reads exactly the named secrets and writes only to the kit's log group", () => {
    const statements = JSON.parse(String(one(TYPES.rolePolicy, "exec").policy)).Statement as { Sid: string; Action: string | string[]; Resource: unknown }[];
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(bySid.Secrets).toMatchObject({ Action: "secretsmanager:GetSecretValue", Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"] });
    expect(bySid.Logs.Resource).toBe("arn:aws:logs:us-east-1:123456789012:log-group:temporal-logs:*");
    expect(bySid.EcrPull.Resource).toBe("arn:aws:ecr:us-east-1:123456789012:repository/*");
    for (const statement of statements) expect(String(statement.Action)).not.toContain("*");
    expect(named(TYPES.attachment, "exec")).toHaveLength(0);
  });
});

describe("FargateService", () => {
  it("runs tasks privately on Fargate, rolling without losing capacity and rolling back on failure", () => {
    expect(one(TYPES.service, "fixed")).toMatchObject({
      launchType: "FARGATE",
      desiredCount: 3,
      networkConfiguration: { subnets: SUBNETS, securityGroups: [TASKS_SG], assignPublicIp: false },
      deploymentMinimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      waitForSteadyState: true,
    });
  });

  it("declares an awsvpc Fargate task of the given size with the execution role and no task role", () => {
    const task = one(TYPES.taskDefinition, "fixed");
    expect(task).toMatchObject({ requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "1024", memory: "2048" });
    expect(task.taskRoleArn).toBeUndefined();
    expect(JSON.parse(String(task.containerDefinitions))[0].name).toBe("app");
  });

  it("tracks CPU between the autoscaling bounds, and creates no scaler without them", () => {
    expect(one(TYPES.scalingTarget, "scaled")).toMatchObject({ minCapacity: 2, maxCapacity: 10, scalableDimension: "ecs:service:DesiredCount" });
    const policy = one(TYPES.scalingPolicy, "scaled");
    expect(policy).toMatchObject({ policyType: "TargetTrackingScaling", targetTrackingScalingPolicyConfiguration: { targetValue: 60 } });
    expect(named(TYPES.scalingTarget, "fixed")).toHaveLength(0);
  });

  it("refuses a desired count outside the autoscaling bounds", () => {
    expect(
      () =>
        new FargateService("bad", {
          clusterArn: "c", clusterName: "c", executionRoleArn: "r", containers: [], subnetIds: SUBNETS, securityGroupIds: [TASKS_SG], tags,
          size: { cpu: 256, memory: 512 }, desiredCount: 1, autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilization: 50 },
        }),
    ).toThrow("FargateService bad: desiredCount 1 must lie between minReplicas and maxReplicas");
  });
});

describe("WorkloadIdentityRole", () => {
  it("on EKS trusts only the worker's service account through the cluster's OIDC provider", () => {
    const trust = JSON.parse(String(one(TYPES.role, "irsa").assumeRolePolicy)).Statement[0];
    expect(trust.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust.Condition.StringEquals).toEqual({
      "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:temporal:temporal-worker-orders",
      "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
    });
  });

  it("on ECS trusts this account's tasks, and holds exactly the listed policies", () => {
    const trust = JSON.parse(String(one(TYPES.role, "taskrole").assumeRolePolicy)).Statement[0];
    expect(trust.Principal).toEqual({ Service: "ecs-tasks.amazonaws.com" });
    expect(named(TYPES.attachment, "taskrole").map((record) => record.inputs.policyArn)).toEqual(["arn:aws:iam::123456789012:policy/orders"]);
  });
});

