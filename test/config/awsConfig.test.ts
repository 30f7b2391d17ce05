import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { presetFor } from "../../components/config/presets";
import { PERSISTENCE_PRESETS } from "../../components/config/storePresets";
import { isMysqlOrPostgresInstanceClass } from "../../components/stores/rds/rdsInstanceClasses";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.aws.yaml";

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE).map(({ key, allowed }) => ({ key, allowed }));
const keysRefused = (raw: Record<string, unknown>) => problemsOf(raw).map((problem) => problem.key);

const onAws = (environment: string, extra: Record<string, unknown> = {}) => ({
  environment,
  platform: "aws-eks",
  persistence: { hosting: "rds" },
  ...extra,
});
const onEcs = (environment: string, extra: Record<string, unknown> = {}) => onAws(environment, { platform: "aws-ecs", ...extra });
/** Where `pulumi up` and kubectl come from: a CI runner pool's egress and an office. */
const DEPLOYERS = ["198.51.100.0/27", "203.0.113.7/32"];
/** An EKS stack that says who reaches its public API endpoint, as staging and production must. */
const onEks = (environment: string, extra: Record<string, unknown> = {}, eks: Record<string, unknown> = { publicAccessCidrs: DEPLOYERS }) =>
  onAws(environment, { aws: { eks }, ...extra });
const EXISTING_CLUSTER = { mode: "existing", clusterName: "platform-shared" };
const AWS_PRESETS = { staging: presetFor("staging", "aws-eks").config.aws! };
const EXISTING_NETWORK = {
  mode: "existing",
  vpcId: "vpc-0123456789abcdef0",
  privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"],
};

describe("AWS presets", () => {
  it("a dev stack on EKS with RDS needs no more than platform and hosting", () => {
    const config = parseStackConfig(onAws("dev"), SOURCE);
    expect(config.aws).toEqual(presetFor("dev", "aws-eks").config.aws);
    expect(config.aws?.ecs).toBeUndefined();
    expect(config.persistence).toEqual(PERSISTENCE_PRESETS.dev.rds);
  });

  it.each(["staging", "production"])("a %s stack on EKS with RDS needs, beyond platform and hosting, only who may reach the Kubernetes API", (environment) => {
    const config = parseStackConfig(onEks(environment), SOURCE);
    const preset = presetFor(environment as "staging", "aws-eks").config.aws!;
    expect(config.aws).toEqual({ ...preset, eks: { ...preset.eks, publicAccessCidrs: DEPLOYERS } });
    expect(config.persistence).toEqual(PERSISTENCE_PRESETS[environment as "staging"].rds);
  });

  it("runs production across three zones with a NAT gateway each, an API endpoint only the deployers reach and Multi-AZ RDS", () => {
    const config = parseStackConfig(onEks("production"), SOURCE);
    expect(config.aws?.network).toMatchObject({ mode: "create", availabilityZones: 3, natGateways: "per-az" });
    // Public, because the run that creates the VPC has no route into it; limited to the deployers.
    expect(config.aws?.eks).toMatchObject({ mode: "create", endpointPublicAccess: true, publicAccessCidrs: DEPLOYERS });
    expect(config.persistence).toMatchObject({ hosting: "rds", multiAz: true });
    if (config.persistence.hosting === "rds") expect(config.persistence.backupRetentionDays).toBeGreaterThanOrEqual(7);
  });

  it("keeps staging the same shape, smaller: one zone's worth of database, two zones of network", () => {
    const config = parseStackConfig(onEks("staging"), SOURCE);
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
  ["a public API endpoint open to everyone in staging", "aws.eks.publicAccessCidrs", onAws("staging")],
  ["a public API endpoint that lists the whole internet in production", "aws.eks.publicAccessCidrs", onEks("production", {}, { publicAccessCidrs: ["0.0.0.0/0"] })],
  ["a private range on the public endpoint", "aws.eks.publicAccessCidrs[1]", onEks("staging", {}, { publicAccessCidrs: ["198.51.100.0/27", "10.0.0.0/8"] })],
  ["a public endpoint range that takes in private addresses", "aws.eks.publicAccessCidrs[0]", onEks("staging", {}, { publicAccessCidrs: ["8.0.0.0/6"] })],
  ["an address with host bits where a network is meant", "aws.eks.publicAccessCidrs[0]", onEks("staging", {}, { publicAccessCidrs: ["198.51.100.7/24"] })],
  ["an address that is not IPv4", "aws.eks.publicAccessCidrs[0]", onEks("staging", {}, { publicAccessCidrs: ["198.51.100.300/32"] })],
  ["more public endpoint ranges than EKS allows", "aws.eks.publicAccessCidrs", onEks("staging", {}, { publicAccessCidrs: Array.from({ length: 41 }, (_, index) => `198.51.100.${index}/32`) })],
  ["the same range twice", "aws.eks.publicAccessCidrs", onEks("staging", {}, { publicAccessCidrs: ["198.51.100.0/27", "198.51.100.0/27"] })],
  ["an empty list of public endpoint ranges", "aws.eks.publicAccessCidrs", onEks("dev", {}, { publicAccessCidrs: [] })],
  ["a private-only API endpoint no deployer is admitted to", "aws.eks.privateAccessCidrs", onEks("production", {}, { endpointPublicAccess: false })],
  ["public endpoint ranges on a private-only endpoint", "aws.eks.publicAccessCidrs", onEks("production", {}, { endpointPublicAccess: false, publicAccessCidrs: DEPLOYERS, privateAccessCidrs: ["10.60.0.0/16"] })],
  ["a private endpoint open to every address in production", "aws.eks.privateAccessCidrs", onEks("production", {}, { endpointPublicAccess: false, privateAccessCidrs: ["0.0.0.0/0"] })],
  ["an existing cluster beside a VPC created here", "aws.network.mode", onAws("production", { aws: { eks: EXISTING_CLUSTER } })],
  ["an existing cluster beside a VPC created here, without a database", "aws.network.mode", onAws("staging", { persistence: { hosting: "in-cluster" }, aws: { eks: EXISTING_CLUSTER } })],
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
    const config = parseStackConfig(onEks("production", { persistence: { hosting: "rds", multiAz: false, allowSingleAzInProduction: true } }), SOURCE);
    expect(config.persistence).toMatchObject({ multiAz: false });
  });
});

describe("who reaches the Kubernetes API of an EKS cluster the kit creates", () => {
  it("lets dev leave the public endpoint open, as EKS does without CIDRs", () => {
    const config = parseStackConfig(onAws("dev"), SOURCE);
    expect(config.aws?.eks).toMatchObject({ mode: "create", endpointPublicAccess: true });
    expect(config.aws?.eks).not.toHaveProperty("publicAccessCidrs");
  });

  it("accepts a private-only endpoint in an existing VPC once the deployers' networks are named", () => {
    const eks = { endpointPublicAccess: false, privateAccessCidrs: ["10.60.0.0/16", "172.20.4.0/24"] };
    const config = parseStackConfig(onEks("production", { aws: { network: EXISTING_NETWORK, eks } }), SOURCE);
    expect(config.aws?.eks).toMatchObject(eks);
    expect(config.aws?.eks).not.toHaveProperty("publicAccessCidrs");
  });

  it("leaves a private-only endpoint on a VPC the stack creates to the guard, which knows whether that VPC exists yet", () => {
    const eks = { endpointPublicAccess: false, privateAccessCidrs: ["10.60.0.0/16"] };
    expect(parseStackConfig(onEks("production", {}, eks), SOURCE).aws?.eks).toMatchObject(eks);
  });

  it("admits networks inside or routed to the VPC beside a public endpoint, for a runner or bastion there", () => {
    const eks = { publicAccessCidrs: DEPLOYERS, privateAccessCidrs: ["10.42.0.0/16"] };
    expect(parseStackConfig(onEks("production", {}, eks), SOURCE).aws?.eks).toMatchObject({ endpointPublicAccess: true, ...eks });
  });

  it("says where the deployers come from and what happens without them", () => {
    const [missing] = problemsOf(onAws("staging")).filter((problem) => problem.key === "aws.eks.publicAccessCidrs");
    expect(missing.allowed).toMatch(/`pulumi up` and kubectl/);
    expect(missing.allowed).toContain("opens the public endpoint to the whole internet");
    const [privateRange] = problemsOf(onEks("staging", {}, { publicAccessCidrs: ["192.168.10.0/24"] }));
    expect(privateRange.allowed).toContain("192.168.0.0/16 is private (RFC 1918)");
    expect(privateRange.allowed).toContain("privateAccessCidrs");
  });
});

describe("an existing EKS cluster", () => {
  it("puts the stack's AWS resources in the cluster's own network, named in aws.network", () => {
    const config = parseStackConfig(onAws("production", { aws: { network: EXISTING_NETWORK, eks: EXISTING_CLUSTER } }), SOURCE);
    expect(config.aws).toEqual({ network: EXISTING_NETWORK, eks: EXISTING_CLUSTER });
  });

  it("names the cluster and why a VPC beside it cannot work", () => {
    const [problem] = problemsOf(onAws("production", { aws: { eks: EXISTING_CLUSTER } }));
    expect(problem.key).toBe("aws.network.mode");
    expect(problem.allowed).toContain("the VPC that EKS cluster platform-shared runs in");
    expect(problem.allowed).toContain("InvalidGroup.NotFound");
  });
});

describe("ECS config", () => {
  it.each(["dev", "staging"])("a %s stack on ECS Fargate needs no more than platform and hosting", (environment) => {
    const config = parseStackConfig(onEcs(environment), SOURCE);
    expect(config.aws).toEqual(presetFor(environment as "dev", "aws-ecs").config.aws);
    expect(config.aws?.eks).toBeUndefined();
    expect(config.aws?.ecs?.webConsole.internetFacing).toBe(false);
  });

  it("a production stack on ECS Fargate needs, beyond platform and hosting, only a decision on console sign-in", () => {
    const environment = "production";
    const config = parseStackConfig(onEcs(environment, { webConsole: { allowUnauthenticated: true } }), SOURCE);
    expect(config.aws).toEqual(presetFor(environment as "dev", "aws-ecs").config.aws);
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
