import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/load";
import { PERSISTENCE_PRESETS, awsPresetFor } from "../../components/config/presets";
import { isMysqlOrPostgresInstanceClass } from "../../components/config/rdsInstanceClasses";

const SOURCE = "stacks/Pulumi.aws.yaml";

function keysRefused(raw: Record<string, unknown>): string[] {
  try {
    parseStackConfig(raw, SOURCE);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((problem) => problem.key);
    throw error;
  }
  throw new Error("config was accepted");
}

const onAws = (environment: string, extra: Record<string, unknown> = {}) => ({
  environment,
  platform: "aws-eks",
  persistence: { hosting: "rds" },
  ...extra,
});
const onEcs = (environment: string, extra: Record<string, unknown> = {}) => onAws(environment, { platform: "aws-ecs", ...extra });
const AWS_PRESETS = { staging: awsPresetFor("staging", "aws-eks")! };
const EXISTING_NETWORK = {
  mode: "existing",
  vpcId: "vpc-0123456789abcdef0",
  privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"],
};

describe("AWS presets", () => {
  it.each(["dev", "staging", "production"])("a %s stack on EKS with RDS needs no more than platform and hosting", (environment) => {
    const config = parseStackConfig(onAws(environment), SOURCE);
    expect(config.aws).toEqual(awsPresetFor(environment as "dev", "aws-eks"));
    expect(config.aws?.ecs).toBeUndefined();
    expect(config.persistence).toEqual(PERSISTENCE_PRESETS[environment as "dev"].rds);
  });

  it("runs production across three zones with a NAT gateway each, a private API endpoint and Multi-AZ RDS", () => {
    const config = parseStackConfig(onAws("production"), SOURCE);
    expect(config.aws?.network).toMatchObject({ mode: "create", availabilityZones: 3, natGateways: "per-az" });
    expect(config.aws?.eks).toMatchObject({ mode: "create", endpointPublicAccess: false });
    expect(config.persistence).toMatchObject({ hosting: "rds", multiAz: true });
    if (config.persistence.hosting === "rds") expect(config.persistence.backupRetentionDays).toBeGreaterThanOrEqual(7);
  });

  it("keeps staging the same shape, smaller: one zone's worth of database, two zones of network", () => {
    const config = parseStackConfig(onAws("staging"), SOURCE);
    expect(config.aws?.network).toMatchObject({ mode: "create", availabilityZones: 2, natGateways: "single" });
    expect(config.persistence).toMatchObject({ hosting: "rds", multiAz: false });
  });

  it("takes an existing VPC and cluster as a whole, not merged with the created ones", () => {
    const config = parseStackConfig(
      onAws("staging", {
        aws: {
          network: EXISTING_NETWORK,
          eks: { mode: "existing", clusterName: "platform-shared" },
        },
      }),
      SOURCE,
    );
    expect(config.aws?.network).not.toHaveProperty("cidrBlock");
    expect(config.aws?.eks).toEqual({ mode: "existing", clusterName: "platform-shared" });
  });

  it("lets an existing cluster say which add-ons it runs outside EKS's add-on API", () => {
    const eks = { mode: "existing", clusterName: "platform-shared", selfManagedAddons: ["vpc-cni", "metrics-server"] };
    const config = parseStackConfig(onAws("staging", { aws: { network: EXISTING_NETWORK, eks } }), SOURCE);
    expect(config.aws?.eks).toEqual(eks);
  });
});

// Each row: what is wrong, the key the message must name, and the stack file fragment.
const badAws: [string, string, Record<string, unknown>][] = [
  ["an existing VPC without subnet ids", "aws.network.privateSubnetIds", onAws("staging", { aws: { network: { mode: "existing", vpcId: "vpc-0123456789abcdef0" } } })],
  ["an existing VPC with one private subnet", "aws.network.privateSubnetIds", onAws("staging", { aws: { network: { mode: "existing", vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0"], publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] } } })],
  ["Multi-AZ off in production", "persistence.multiAz", onAws("production", { persistence: { hosting: "rds", multiAz: false } })],
  ["an instance class that does not exist for MySQL", "persistence.instanceClass", onAws("staging", { persistence: { hosting: "rds", instanceClass: "db.x1e.xlarge" } })],
  ["a misspelt instance class", "persistence.instanceClass", onAws("staging", { persistence: { hosting: "rds", instanceClass: "db.m6g.larg" } })],
  ["short backups in production", "persistence.backupRetentionDays", onAws("production", { persistence: { hosting: "rds", backupRetentionDays: 3 } })],
  ["storage autoscaling below the allocated size", "persistence.maxAllocatedStorageGb", onAws("staging", { persistence: { hosting: "rds", allocatedStorageGb: 100, maxAllocatedStorageGb: 50 } })],
  ["RDS without an AWS platform", "persistence.hosting", { environment: "staging", persistence: { hosting: "rds" } }],
  ["EKS settings on the plain Kubernetes platform", "aws.eks", { environment: "staging", aws: { network: AWS_PRESETS.staging.network, eks: AWS_PRESETS.staging.eks } }],
  ["a kubeconfig context on EKS", "kubernetes.context", onAws("staging", { kubernetes: { context: "kind-kind" } })],
  ["two zones in production", "aws.network.availabilityZones", onAws("production", { aws: { network: { availabilityZones: 2 } } })],
  ["a node group whose desired size is above its maximum", "aws.eks.nodeGroup", onAws("staging", { aws: { eks: { nodeGroup: { desiredSize: 9, maxSize: 6 } } } })],
  ["a public API endpoint open to everyone in production", "aws.eks.publicAccessCidrs", onAws("production", { aws: { eks: { endpointPublicAccess: true } } })],
  ["self-managed add-ons on a cluster the kit creates, which gets EKS's own", "aws.eks.selfManagedAddons", onAws("staging", { aws: { eks: { selfManagedAddons: ["metrics-server"] } } })],
  ["a self-managed add-on the kit does not rely on", "aws.eks.selfManagedAddons[0]", onAws("staging", { aws: { network: EXISTING_NETWORK, eks: { mode: "existing", clusterName: "platform-shared", selfManagedAddons: ["coredns"] } } })],
  ["an unknown platform", "platform", { environment: "staging", platform: "aws-lambda" }],
  ["a network CIDR too small to split into subnets", "aws.network.cidrBlock", onAws("staging", { aws: { network: { cidrBlock: "10.0.0.0/24" } } })],
  ["both EKS and ECS", "aws", onEcs("staging", { aws: { eks: AWS_PRESETS.staging.eks } })],
  ["ECS settings on an EKS stack", "aws", onAws("staging", { aws: { ecs: { logRetentionDays: 30, containerInsights: true, webConsole: { internetFacing: false } } } })],
  ["ECS settings on plain Kubernetes", "aws.ecs", { environment: "staging", aws: { network: AWS_PRESETS.staging.network, ecs: { logRetentionDays: 30, containerInsights: true, webConsole: { internetFacing: false } } } }],
  ["an in-cluster database on ECS", "persistence.hosting", { environment: "staging", platform: "aws-ecs" }],
  ["a kubeconfig context on ECS", "kubernetes.context", onEcs("staging", { kubernetes: { context: "kind-kind" } })],
  ["a log retention CloudWatch does not offer", "aws.ecs.logRetentionDays", onEcs("staging", { aws: { ecs: { logRetentionDays: 10 } } })],
  ["an internet-facing console in production without a certificate", "aws.ecs.webConsole.certificateArn", onEcs("production", { aws: { ecs: { webConsole: { internetFacing: true, allowedCidrs: ["203.0.113.0/24"] } } } })],
  ["an internet-facing console without saying who may reach it", "aws.ecs.webConsole.allowedCidrs", onEcs("staging", { aws: { ecs: { webConsole: { internetFacing: true } } } })],
  ["a certificate that is not an ACM ARN", "aws.ecs.webConsole.certificateArn", onEcs("staging", { aws: { ecs: { webConsole: { internetFacing: false, certificateArn: "arn:aws:iam::123456789012:server-certificate/x" } } } })],
  ["a role larger than any Fargate task", "roles.history.resources", onEcs("staging", { roles: { history: { resources: { requests: { cpu: "32", memory: "8Gi" }, limits: { memory: "8Gi" } } } } })],
  ["an HTTP worker probe on ECS", "workers[0].probe.httpGet", onEcs("staging", { workers: [worker({ probe: { httpGet: { path: "/healthz", port: 8080 } } })] })],
  ["an ECS worker pool that does not name its non-root user", "workers[0].user", onEcs("staging", { workers: [worker({ user: undefined })] })],
  ["a worker that would run as root", "workers[0].user", onEcs("staging", { workers: [worker({ user: "0:0" })] })],
  ["worker IAM policies on plain Kubernetes", "workers[0].awsPolicyArns", { environment: "staging", workers: [worker({ awsPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] })] }],
  ["worker autoscaling bounds that exclude its replicas", "workers[0].autoscaling", onEcs("staging", { workers: [worker({ replicas: 1, autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 } })] })],
];

function worker(extra: Record<string, unknown> = {}) {
  return {
    name: "orders",
    image: "ghcr.io/acme/orders-worker:1.4.2",
    replicas: 2,
    taskQueue: "orders",
    namespace: "default",
    env: {},
    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    probe: { exec: ["/app/healthcheck"] },
    user: "10001:10001",
    ...extra,
  };
}

describe("invalid AWS config", () => {
  it.each(badAws)("refuses %s, naming %s", (_, key, raw) => {
    expect(keysRefused(raw)).toContain(key);
  });

  it("accepts single-AZ RDS in production only when the stack says so explicitly", () => {
    const config = parseStackConfig(onAws("production", { persistence: { hosting: "rds", multiAz: false, allowSingleAzInProduction: true } }), SOURCE);
    expect(config.persistence).toMatchObject({ multiAz: false });
  });
});

describe("ECS config", () => {
  it.each(["dev", "staging"])("a %s stack on ECS Fargate needs no more than platform and hosting", (environment) => {
    const config = parseStackConfig(onEcs(environment), SOURCE);
    expect(config.aws).toEqual(awsPresetFor(environment as "dev", "aws-ecs"));
    expect(config.aws?.eks).toBeUndefined();
    expect(config.aws?.ecs?.webConsole.internetFacing).toBe(false);
  });

  it("a production stack on ECS Fargate needs, beyond platform and hosting, only a decision on console sign-in", () => {
    const environment = "production";
    const config = parseStackConfig(onEcs(environment, { webConsole: { allowUnauthenticated: true } }), SOURCE);
    expect(config.aws).toEqual(awsPresetFor(environment as "dev", "aws-ecs"));
    expect(config.aws?.eks).toBeUndefined();
    expect(config.aws?.ecs?.webConsole.internetFacing).toBe(false);
  });

  it("accepts an internet-facing console in production with a certificate and named viewers", () => {
    const webConsole = { internetFacing: true, allowedCidrs: ["203.0.113.0/24"], certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0b5f3a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b" };
    const config = parseStackConfig(onEcs("production", { aws: { ecs: { webConsole } }, webConsole: { allowUnauthenticated: true } }), SOURCE);
    expect(config.aws?.ecs?.webConsole).toEqual(webConsole);
  });

  it("accepts exec-probed, autoscaled workers with their own IAM policies", () => {
    const pool = worker({ autoscaling: { minReplicas: 2, maxReplicas: 20, targetCpuUtilization: 60 }, awsPolicyArns: ["arn:aws:iam::123456789012:policy/orders-bucket"] });
    const config = parseStackConfig(onEcs("staging", { workers: [pool] }), SOURCE);
    expect(config.workers[0]).toMatchObject({ autoscaling: { maxReplicas: 20 }, awsPolicyArns: ["arn:aws:iam::123456789012:policy/orders-bucket"] });
  });
});

describe("RDS instance classes", () => {
  it("knows the classes MySQL and PostgreSQL run on", () => {
    for (const instanceClass of ["db.t4g.medium", "db.m6g.large", "db.r6g.xlarge", "db.m7i.48xlarge"]) {
      expect(isMysqlOrPostgresInstanceClass(instanceClass)).toBe(true);
    }
  });

  it("refuses classes of other engines and sizes a family does not have", () => {
    for (const instanceClass of ["db.x1e.xlarge", "db.serverless", "db.t4g.4xlarge", "m6g.large"]) {
      expect(isMysqlOrPostgresInstanceClass(instanceClass)).toBe(false);
    }
  });
});
