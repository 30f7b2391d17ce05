import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { childAfter, childOf } from "../../childOptions";
import type { StackConfig } from "../../config/schema";
import type { ManagedStores } from "../../stores/contract";
import { EcsCluster } from "../../aws/ecs/ecsCluster";
import type { EksCluster } from "../../aws/eksCluster";
import { EndpointAccessGuard } from "../../aws/endpointAccessGuard";
import { Network } from "../../aws/network";
import { openSearchOnAws } from "../../stores/opensearch/onAws";
import type { OpenSearchDomain } from "../../stores/opensearch/openSearchDomain";
import { rdsOnAws } from "../../stores/rds/onAws";
import { RDS_PORTS, type RdsDatabase } from "../../stores/rds/rdsDatabase";
import { lazyModule } from "../../lazyModule";

export interface AwsPlatformArgs {
  config: StackConfig;
  /** From the Temporal connection budget; becomes the database's max_connections. */
  sqlConnectionsNeeded: number;
}

/**
 * Everything Temporal needs from an AWS account: the network (created or existing), the compute
 * (an EKS cluster the Kubernetes platform deploys onto, or an ECS cluster for Fargate tasks), and
 * RDS when the data store is managed there. The database admits connections only from the
 * security group the Temporal workloads carry, so with an existing EKS cluster it goes into that
 * cluster's VPC: aws.network names it, and a lookup of the cluster checks that it does.
 */
export class AwsPlatform extends pulumi.ComponentResource {
  /** Tags every AWS resource of the stack carries. */
  readonly tags: Record<string, string>;
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly publicSubnetIds: pulumi.Input<string>[];
  readonly eks?: EksCluster;
  readonly ecs?: EcsCluster;
  readonly database?: RdsDatabase;
  /** The visibility store beside Cassandra on EKS. */
  readonly search?: OpenSearchDomain;
  /** The stores it made, as the runtimes consume them: the Kubernetes runtime on EKS, the Fargate tasks on ECS. */
  readonly managedStores: ManagedStores = {};

  constructor(name: string, args: AwsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:AwsPlatform", name, {}, opts);
    const { config } = args;
    const awsConfig = config.aws;
    if (!awsConfig?.eks && !awsConfig?.ecs) throw new Error("the AWS platform needs aws.eks or aws.ecs (checked by the stack config)");
    const production = config.environment === "production";
    const tags = (this.tags = {
      "temporal-kit:cluster": config.clusterName,
      "temporal-kit:environment": config.environment,
      "managed-by": "pulumi",
    });

    const network =
      awsConfig.network.mode === "create"
        ? new Network(
            `${name}-network`,
            {
              cidrBlock: awsConfig.network.cidrBlock,
              availabilityZoneCount: awsConfig.network.availabilityZones,
              natGateways: awsConfig.network.natGateways,
              tags,
            },
            childOf(this, opts),
          )
        : undefined;
    const existing = awsConfig.network.mode === "existing" ? awsConfig.network : undefined;
    this.vpcId = network ? network.vpcId : pulumi.output(existing!.vpcId);
    this.vpcCidr =
      awsConfig.network.mode === "create"
        ? pulumi.output(awsConfig.network.cidrBlock)
        : ec2.getVpcOutput({ id: awsConfig.network.vpcId }, { parent: this }).cidrBlock;
    const privateSubnetIds: pulumi.Input<string>[] = network?.privateSubnetIds ?? existing!.privateSubnetIds;
    this.privateSubnetIds = privateSubnetIds;
    this.publicSubnetIds = network?.publicSubnetIds ?? existing!.publicSubnetIds;

    const selfManagedAddons: string[] = awsConfig.eks?.mode === "existing" ? (awsConfig.eks.selfManagedAddons ?? []) : [];
    if (awsConfig.eks) this.eks = new (eksClusterModule().EksCluster)(
      `${name}-eks`,
      awsConfig.eks.mode === "create"
        ? {
            mode: "create",
            kubernetesVersion: awsConfig.eks.kubernetesVersion,
            vpcId: this.vpcId,
            privateSubnetIds,
            nodeGroup: awsConfig.eks.nodeGroup,
            endpointPublicAccess: awsConfig.eks.endpointPublicAccess,
            publicAccessCidrs: awsConfig.eks.publicAccessCidrs,
            privateAccessCidrs: awsConfig.eks.privateAccessCidrs,
            tags,
          }
        : {
            mode: "existing",
            clusterName: awsConfig.eks.clusterName,
            tags,
            // What the stack file says the cluster runs outside EKS's add-on API, EKS cannot confirm.
            requiredAddons: eksAddonsModule().eksAddonsNeededBy(config).filter((addon) => !selfManagedAddons.includes(addon)),
          },
      childOf(this, opts),
    );
    if (awsConfig.eks?.mode === "create" && network && awsConfig.network.mode === "create") {
      // Recorded once the VPC exists; refuses a private-only endpoint at preview until then.
      new EndpointAccessGuard(
        `${name}-endpoint-access-guard`,
        { vpcCidrBlock: awsConfig.network.cidrBlock, privateOnly: !awsConfig.eks.endpointPublicAccess, vpcId: network.vpcId },
        childAfter(this, opts, [network]),
      );
    }
    if (this.eks && awsConfig.eks?.mode === "existing" && existing) {
      // The stores' security groups name the cluster's, which AWS only resolves inside its VPC.
      this.vpcId = sameVpc(awsConfig.eks.clusterName, this.eks.vpcId, existing.vpcId);
    }
    if (awsConfig.ecs) {
      this.ecs = new EcsCluster(
        `${name}-ecs`,
        {
          vpcId: this.vpcId,
          vpcCidr: this.vpcCidr,
          storePorts: config.persistence.hosting === "rds" ? [RDS_PORTS[config.persistence.engine]] : [],
          discoveryDomain: `${config.clusterName}.temporal.internal`,
          logRetentionDays: awsConfig.ecs.logRetentionDays,
          containerInsights: awsConfig.ecs.containerInsights,
          tags,
        },
        childOf(this, opts),
      );
    }
    const workloadSecurityGroupId = this.eks?.workloadSecurityGroupId ?? this.ecs!.tasksSecurityGroupId;

    const placement = { vpcId: this.vpcId, subnetIds: privateSubnetIds, clientSecurityGroupIds: [workloadSecurityGroupId], tags };
    const persistence = config.persistence;
    if (persistence.hosting === "rds") {
      const rds = rdsOnAws(
        `${name}-rds`,
        {
          ...placement,
          config: persistence,
          production,
          maxConnections: args.sqlConnectionsNeeded,
          certificateAuthorities: this.ecs ? "own-region" : "every-region",
          platform: this,
        },
        childOf(this, opts),
      );
      this.database = rds.database;
      this.managedStores.default = rds.managed;
    }

    const visibility = config.visibility;
    if (visibility.store === "opensearch") {
      const search = openSearchOnAws(`${name}-search`, { ...placement, config: visibility }, childOf(this, opts));
      this.search = search.domain;
      this.managedStores.visibility = search.managed;
    }

    this.registerOutputs({ vpcId: this.vpcId, databaseAddress: this.database?.address });
  }
}

/**
 * The configured VPC, once it is known to be the existing cluster's: a database or search domain
 * elsewhere could neither name the cluster's security group (InvalidGroup.NotFound) nor be routed to.
 */
function sameVpc(clusterName: string, clusterVpcId: pulumi.Output<string>, configuredVpcId: string): pulumi.Output<string> {
  return clusterVpcId.apply((clusterVpc) => {
    const problem = clusterVpcProblem(clusterName, clusterVpc, configuredVpcId);
    // A RunError, so `pulumi preview` prints the message without a stack trace.
    if (problem) throw new pulumi.RunError(problem);
    return configuredVpcId;
  });
}

/** Why aws.network cannot be the network of the existing cluster, if it cannot. */
export function clusterVpcProblem(clusterName: string, clusterVpcId: string, configuredVpcId: string): string | undefined {
  if (clusterVpcId === configuredVpcId) return undefined;
  return (
    `aws.network.vpcId is ${configuredVpcId}, but EKS cluster ${clusterName} runs in ${clusterVpcId}: set aws.network to that VPC and its private subnets, ` +
    "so the database and search domain sit where the cluster's pods can reach them, and their security groups can name the cluster's"
  );
}

// EKS brings @pulumi/kubernetes along (the add-ons it checks): an ECS stack loads neither.
const eksClusterModule = lazyModule("aws/eksCluster", () => require("../../aws/eksCluster") as typeof import("../../aws/eksCluster"));
const eksAddonsModule = lazyModule("aws/eksAddons", () => require("../../aws/eksAddons") as typeof import("../../aws/eksAddons"));
