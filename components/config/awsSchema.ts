import { z } from "zod";
import { fargateSize } from "./fargateSize";
import { distinct, ipv4Network, isOpenToAll, notAnInternetSource } from "./ipv4";
import type { ResourcesConfig } from "./schema";
export { rdsPersistence, type RdsPersistenceConfig } from "../stores/rds/config";

/** The AWS parts of the stack config: network, EKS or ECS Fargate, and the RDS data store. */

/** EKS service quota "Public endpoint access CIDR ranges per cluster", not adjustable. */
export const EKS_PUBLIC_ACCESS_CIDRS_MAX = 40;

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|20)$/;
const awsId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `must be an id such as ${prefix}-0123456789abcdef0`);

const createdNetwork = z.strictObject({
  mode: z.literal("create").meta({ description: "The kit creates the VPC, its subnets and NAT gateways." }),
  cidrBlock: z.string().regex(CIDR, "must be an IPv4 CIDR block from /16 to /20, such as 10.40.0.0/16").meta({ description: "The address range of the VPC the kit creates." }),
  availabilityZones: z.number().int().min(2).max(3).meta({ description: "How many availability zones the VPC's subnets span; 3 in production." }),
  natGateways: z.enum(["single", "per-az"]).meta({ description: "One NAT gateway for the VPC, or one per availability zone." }),
});

const existingNetwork = z.strictObject({
  mode: z.literal("existing").meta({ description: "The kit deploys into a VPC you already have, named by its id and subnets." }),
  vpcId: awsId("vpc").meta({ description: "The existing VPC to deploy into." }),
  privateSubnetIds: z.array(awsId("subnet")).min(2, "must list at least 2 private subnets, in different availability zones").meta({ description: "The VPC's private subnets, where the workloads and the database go." }),
  publicSubnetIds: z.array(awsId("subnet")).min(2, "must list at least 2 public subnets, in different availability zones").meta({ description: "The VPC's public subnets, for internet-facing load balancers." }),
});

const network = z.discriminatedUnion("mode", [createdNetwork, existingNetwork]);
export type AwsNetworkConfig = z.infer<typeof network>;

const createdEks = z.strictObject({
  mode: z.literal("create").meta({ description: "The kit creates the EKS cluster and its node group." }),
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, "must be an EKS Kubernetes minor version such as 1.36").meta({ description: "The Kubernetes minor version of the EKS cluster the kit creates." }),
  acceptExtendedSupport: z.boolean().optional().meta({ description: "Accepts a version under EKS extended support outside dev, at its extra fee: for a cluster made on an older preset that must climb one minor version at a time (EKS upgrades no further per step)." }),
  nodeGroup: z.strictObject({
    instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m6i.large")).min(1).meta({ description: "The EC2 instance types of the nodes." }),
    minSize: z.number().int().min(1).meta({ description: "The fewest nodes." }),
    desiredSize: z.number().int().min(1).meta({ description: "The nodes the group runs; no cluster autoscaler runs, so they must hold every pod." }),
    maxSize: z.number().int().min(1).meta({ description: "The most nodes." }),
    diskSizeGb: z.number().int().min(20).max(16384).meta({ description: "Each node's disk, in GB." }),
  }).meta({ description: "The managed node group: instance types, sizes (minSize <= desiredSize <= maxSize) and disk. No cluster autoscaler runs, so desiredSize must hold every pod." }),
  endpointPublicAccess: z.boolean().meta({ description: "The private endpoint is always on (nodes use it); this adds one reachable from outside the VPC." }),
  publicAccessCidrs: z
    .array(
      ipv4Network.refine((block) => notAnInternetSource(block) === undefined, {
        error: (issue) =>
          `must be a public address range: ${notAnInternetSource(String(issue.input))}, and no connection to a public endpoint comes from there. A network inside the VPC or routed to it belongs in privateAccessCidrs`,
      }),
    )
    .min(1, "must list at least one network, or be left out (only dev may leave the public endpoint open)")
    .max(EKS_PUBLIC_ACCESS_CIDRS_MAX, `must list at most ${EKS_PUBLIC_ACCESS_CIDRS_MAX} blocks: EKS allows no more per cluster (a quota that cannot be raised)`)
    .refine(distinct, "must not list a block twice")
    .optional().meta({ description: "Who may reach the public endpoint: the public addresses `pulumi up` and kubectl come from." }),
  privateAccessCidrs: z.array(ipv4Network).min(1, "must list at least one network, or be left out").refine(distinct, "must not list a block twice").optional().meta({ description: "Who may reach the private endpoint: networks in the VPC or routed to it; 443 on the cluster security group." }),
});

/**
 * The EKS add-ons the kit's Kubernetes objects rely on: vpc-cni's network policy agent enforces
 * NetworkPolicies, aws-ebs-csi-driver provisions the in-cluster stores' volumes, metrics-server
 * feeds HorizontalPodAutoscalers. A cluster the kit creates gets all three (components/aws/eksAddons.ts).
 */
export const EKS_ADDON_NAMES = ["vpc-cni", "aws-ebs-csi-driver", "metrics-server"] as const;
export type EksAddonName = (typeof EKS_ADDON_NAMES)[number];

const existingEks = z.strictObject({
  mode: z.literal("existing").meta({ description: "The kit deploys into an EKS cluster you already have, named by clusterName." }),
  clusterName: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, "must be an EKS cluster name").meta({ description: "The existing EKS cluster to deploy into." }),
  selfManagedAddons: z.array(z.enum(EKS_ADDON_NAMES)).optional().meta({ description: "Add-ons the cluster runs outside EKS's add-on API (Helm, manifests), which the preview check cannot see: the kit takes the stack file's word for them instead of asking EKS." }),
});

const eks = z.discriminatedUnion("mode", [createdEks, existingEks]);
export type AwsEksConfig = z.infer<typeof eks>;

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const ecs = z.strictObject({
  logRetentionDays: z.number().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`,
  }).meta({ description: "How many days CloudWatch Logs keeps the ECS cluster's logs; it must be a retention period CloudWatch Logs accepts." }),
  containerInsights: z.boolean().meta({ description: "CloudWatch Container Insights on the ECS cluster." }),
  webConsole: z.strictObject({
    internetFacing: z.boolean().meta({ description: "Put the console's load balancer on the internet instead of inside the VPC only." }),
    allowedCidrs: z.array(z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR")).min(1, "must list at least one network, or be left out to mean the VPC").optional().meta({ description: "Who may reach the console's load balancer; without it, the VPC's own range." }),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, "must be an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>")
      .optional().meta({ description: "An ACM certificate: the load balancer then serves HTTPS and redirects HTTP to it." }),
  }).meta({ description: "The Application Load Balancer in front of the web console." }),
});
export type AwsEcsConfig = z.infer<typeof ecs>;

export const awsConfig = z.strictObject({
  network: network.meta({ description: "The VPC: one the kit creates, or an existing one with its subnets." }),
  eks: eks.optional().meta({ description: "With platform aws-eks: an EKS cluster the kit creates, or an existing one." }),
  ecs: ecs.optional().meta({ description: "With platform aws-ecs: the ECS Fargate cluster's logs, insights and console load balancer." }),
});
export type AwsConfig = z.infer<typeof awsConfig>;

interface AwsRuleInput {
  environment?: string;
  platform?: unknown;
  workers?: unknown;
  roles?: Record<string, { resources?: unknown } | undefined>;
  webConsole?: { enabled?: unknown; resources?: unknown };
  aws?: Partial<AwsConfig>;
  persistence?: {
    hosting?: unknown;
    multiAz?: unknown;
    allowSingleAzInProduction?: unknown;
    backupRetentionDays?: unknown;
    allocatedStorageGb?: unknown;
    maxAllocatedStorageGb?: unknown;
  };
  kubernetes?: { context?: unknown };
}

/**
 * Rules that tie the AWS keys to the platform, the data store and the environment. They read
 * partially invalid input defensively: each checks only what it can see.
 */
export function awsRules(config: AwsRuleInput, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) =>
    ctx.addIssue({ code: "custom", path, input, message });
  const platform = String(config.platform);
  const onEks = platform === "aws-eks";
  const onEcs = platform === "aws-ecs";
  const production = config.environment === "production";

  if (config.aws?.eks && config.aws?.ecs) {
    issue(["aws"], "eks and ecs", "must set only one of aws.eks or aws.ecs: the roles run either on EKS or on ECS Fargate");
  } else {
    if (!onEks && config.aws?.eks) issue(["aws", "eks"], config.aws.eks, `is only used with platform aws-eks; this stack's platform is ${platform}`);
    if (!onEcs && config.aws?.ecs) issue(["aws", "ecs"], config.aws.ecs, `is only used with platform aws-ecs; this stack's platform is ${platform}`);
  }
  if (onEks && !config.aws?.eks) {
    issue(["aws", "eks"], config.aws?.eks, "is required with platform aws-eks: say whether to create a cluster or use an existing one");
  }
  if (onEcs && !config.aws?.ecs) issue(["aws", "ecs"], undefined, "is required with platform aws-ecs");
  if ((onEks || onEcs) && config.kubernetes?.context !== undefined) {
    issue(["kubernetes", "context"], config.kubernetes.context, `must not be set with platform ${platform}: the kit ${onEks ? "builds the Kubernetes provider from the EKS cluster" : "uses no Kubernetes on ECS"}`);
  }
  if (onEcs && config.persistence?.hosting !== undefined && config.persistence.hosting !== "rds") {
    issue(["persistence", "hosting"], config.persistence.hosting, "must be rds with platform aws-ecs: the other data stores live in a Kubernetes cluster");
  }
  workerPlatformRules(config, onEcs, onEks || onEcs, issue);
  const console = onEcs ? config.aws?.ecs?.webConsole : undefined;
  if (console?.internetFacing === true) {
    if (console.allowedCidrs === undefined) {
      issue(["aws", "ecs", "webConsole", "allowedCidrs"], undefined, "must list the networks allowed to reach an internet-facing web console (0.0.0.0/0 only if that is really meant)");
    }
    if (production && console.certificateArn === undefined) {
      issue(["aws", "ecs", "webConsole", "certificateArn"], undefined, "is required in production for an internet-facing web console: it must not be served over plain HTTP");
    }
  }
  if (onEcs) fargateSizeRules(config, issue);

  const persistence = config.persistence;
  if (persistence?.hosting === "rds") {
    if (!onEks && !onEcs) {
      issue(["persistence", "hosting"], "rds", `needs an AWS platform (platform: aws-eks or aws-ecs); this stack's platform is ${platform}`);
    }
    if (production && persistence.multiAz === false && persistence.allowSingleAzInProduction !== true) {
      issue(["persistence", "multiAz"], false, "must be true in production (or set persistence.allowSingleAzInProduction: true to accept losing the database with one availability zone)");
    }
    if (production && typeof persistence.backupRetentionDays === "number" && persistence.backupRetentionDays < 7) {
      issue(["persistence", "backupRetentionDays"], persistence.backupRetentionDays, "must be at least 7 in production");
    }
    if (
      typeof persistence.allocatedStorageGb === "number" &&
      typeof persistence.maxAllocatedStorageGb === "number" &&
      persistence.maxAllocatedStorageGb < persistence.allocatedStorageGb
    ) {
      issue(["persistence", "maxAllocatedStorageGb"], persistence.maxAllocatedStorageGb, `must be at least allocatedStorageGb (${persistence.allocatedStorageGb})`);
    }
  }

  const network = config.aws?.network;
  if (production && network?.mode === "create" && typeof network.availabilityZones === "number" && network.availabilityZones < 3) {
    issue(["aws", "network", "availabilityZones"], network.availabilityZones, "must be 3 in production");
  }

  const eksCluster = config.aws?.eks;
  if (eksCluster?.mode === "create") {
    const { minSize, desiredSize, maxSize } = eksCluster.nodeGroup ?? {};
    if (typeof minSize === "number" && typeof desiredSize === "number" && typeof maxSize === "number" && !(minSize <= desiredSize && desiredSize <= maxSize)) {
      issue(["aws", "eks", "nodeGroup"], { minSize, desiredSize, maxSize }, "must satisfy minSize <= desiredSize <= maxSize");
    }
    endpointAccessRules(eksCluster, config.environment, issue);
  }
  if (eksCluster?.mode === "existing" && network?.mode === "create") {
    issue(
      ["aws", "network", "mode"],
      "create",
      `must be existing with an existing EKS cluster: name the VPC that EKS cluster ${eksCluster.clusterName} runs in (vpcId) and that VPC's subnets. ` +
        "A VPC created here has no route to the cluster, and AWS refuses a security group rule that names the cluster's security group from another VPC (InvalidGroup.NotFound), " +
        "so the database or search domain could never admit the cluster's pods",
    );
  }
}

/**
 * Who deploys a cluster the kit creates must reach its Kubernetes API, or every Kubernetes object of
 * the stack fails: `pulumi up` installs Temporal through that API right after creating the cluster.
 * A public endpoint admits the addresses in publicAccessCidrs (EKS opens it to everyone without
 * any, which only dev may keep); a private-only one admits nothing but the cluster's own security
 * group until privateAccessCidrs adds the deployers' networks. Whether those networks can be routed
 * to the VPC yet (not on the run that creates it) is checked at preview by EndpointAccessGuard.
 */
function endpointAccessRules(eks: Partial<Extract<AwsEksConfig, { mode: "create" }>>, environment: string | undefined, issue: Issue): void {
  const mayBeOpen = environment === "dev";
  const { publicAccessCidrs, privateAccessCidrs } = eks;
  if (eks.endpointPublicAccess === true && !mayBeOpen) {
    if (publicAccessCidrs === undefined) {
      issue(
        ["aws", "eks", "publicAccessCidrs"],
        undefined,
        `must list the public addresses \`pulumi up\` and kubectl reach the Kubernetes API from in ${environment} (your CI runners' egress or NAT addresses, your office or VPN exit): ` +
          "without it EKS opens the public endpoint to the whole internet. Or set endpointPublicAccess: false with privateAccessCidrs, on a VPC those networks are routed to",
      );
    } else if (publicAccessCidrs.some(isOpenToAll)) {
      issue(["aws", "eks", "publicAccessCidrs"], publicAccessCidrs, `must not open the public Kubernetes API endpoint to the whole internet in ${environment}: list the networks that deploy and operate the cluster (only dev may leave it open)`);
    }
  }
  if (eks.endpointPublicAccess === false) {
    if (publicAccessCidrs !== undefined) {
      issue(["aws", "eks", "publicAccessCidrs"], publicAccessCidrs, "applies only to a public endpoint: remove it with endpointPublicAccess: false (the networks that reach the private endpoint go in privateAccessCidrs)");
    }
    if (privateAccessCidrs === undefined) {
      issue(
        ["aws", "eks", "privateAccessCidrs"],
        undefined,
        "must list the networks `pulumi up` and kubectl run from when the Kubernetes API endpoint is private-only: machines in the VPC or in a network routed to it (peering, Transit Gateway, VPN). " +
          "The cluster's security group admits no one else on 443, so without them no Kubernetes object of the stack can be deployed",
      );
    }
  }
  if (!mayBeOpen && privateAccessCidrs?.some(isOpenToAll)) {
    issue(["aws", "eks", "privateAccessCidrs"], privateAccessCidrs, `must not admit every address to the Kubernetes API in ${environment}: list the networks that deploy and operate the cluster`);
  }
}

type Issue = (path: (string | number)[], input: unknown, message: string) => void;

/** Worker settings that only some platforms can honour. */
function workerPlatformRules(config: AwsRuleInput, onEcs: boolean, onAws: boolean, issue: Issue): void {
  const workers = Array.isArray(config.workers) ? (config.workers as Record<string, unknown>[]) : [];
  workers.forEach((pool, index) => {
    if (!pool || typeof pool !== "object") return;
    const probe = pool.probe as Record<string, unknown> | undefined;
    if (onEcs && probe && "httpGet" in probe) {
      issue(["workers", index, "probe", "httpGet"], probe.httpGet, "cannot be used with platform aws-ecs: ECS runs health checks inside the container, so give an exec probe");
    }
    if (onEcs && pool.user === undefined) {
      issue(["workers", index, "user"], undefined, "is required with platform aws-ecs: Fargate cannot refuse to start an image as root the way Kubernetes' runAsNonRoot does, so name the numeric non-root user the image runs as (uid or uid:gid)");
    }
    if (!onAws && Array.isArray(pool.awsPolicyArns) && pool.awsPolicyArns.length > 0) {
      issue(["workers", index, "awsPolicyArns"], pool.awsPolicyArns, "needs an AWS platform (aws-eks or aws-ecs) to give the workers an IAM role");
    }
  });
}

/** Every task must fit a size Fargate offers; the message says which role asked for too much. */
function fargateSizeRules(config: AwsRuleInput, issue: Issue): void {
  const sized: [(string | number)[], unknown][] = [
    ...Object.entries(config.roles ?? {}).map(([role, value]): [(string | number)[], unknown] => [["roles", role, "resources"], value?.resources]),
    [["webConsole", "resources"], config.webConsole?.resources],
    ...(Array.isArray(config.workers) ? config.workers : []).map((pool, index): [(string | number)[], unknown] => [["workers", index, "resources"], (pool as { resources?: unknown })?.resources]),
  ];
  for (const [path, resources] of sized) {
    if (!isResources(resources)) continue;
    try {
      fargateSize(resources);
    } catch (error) {
      issue(path, resources, `must fit a Fargate task (at most 16 vCPU and 120 GiB): ${(error as Error).message}`);
    }
  }
}

function isResources(value: unknown): value is ResourcesConfig {
  const resources = value as ResourcesConfig | undefined;
  return typeof resources?.requests?.cpu === "string" && typeof resources.limits?.memory === "string";
}
