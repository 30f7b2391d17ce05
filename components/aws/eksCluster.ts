import * as eks from "@pulumi/aws/eks";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as vpc from "@pulumi/aws/vpc";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childAfter, childOf } from "../childOptions";
import type { EksAddonName } from "../config/awsSchema";
import { EksAddons, defaultStorageClass, requireAddons } from "./eksAddons";
import { awsTags } from "./tags";

export interface EksNodeGroupArgs {
  instanceTypes: string[];
  minSize: number;
  desiredSize: number;
  maxSize: number;
  diskSizeGb: number;
}

export type EksClusterArgs =
  | {
      mode: "create";
      kubernetesVersion: string;
      /** The VPC of the subnets; EKS derives it from them, so it only documents where the cluster lives. */
      vpcId: pulumi.Input<string>;
      /** Both the control plane's network interfaces and the nodes go here. */
      privateSubnetIds: pulumi.Input<string>[];
      nodeGroup: EksNodeGroupArgs;
      /** The private endpoint is always on; this adds one reachable from outside the VPC. */
      endpointPublicAccess: boolean;
      /** Who may reach the public endpoint; without it, EKS lets in everyone. */
      publicAccessCidrs?: string[];
      /**
       * Networks inside the VPC or routed to it that may reach the private endpoint: 443 from each
       * on the cluster security group, which otherwise admits only itself.
       */
      privateAccessCidrs?: string[];
      tags: Record<string, string>;
    }
  | {
      mode: "existing";
      clusterName: string;
      tags: Record<string, string>;
      /** Add-ons the stack relies on that EKS must report installed (and vpc-cni enforcing policies) before anything deploys. */
      requiredAddons?: EksAddonName[];
    };

/** What the kubeconfig and the outputs need, whether the cluster is created here or looked up. */
interface ClusterFacts {
  name: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  certificateAuthorityData: pulumi.Output<string>;
  /** With https://, as EKS reports it and IAM registers it. */
  issuerUrl: pulumi.Output<string>;
  clusterSecurityGroupId: pulumi.Output<string>;
  vpcId: pulumi.Output<string>;
}

/** Enough to answer "who did what" on the control plane without paying for every log stream. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"];
const CLUSTER_POLICIES = ["AmazonEKSClusterPolicy"];
const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"];
/** The audience IRSA tokens carry: the STS endpoint that exchanges them for role credentials. */
const STS_AUDIENCE = "sts.amazonaws.com";

/**
 * A kubeconfig that holds no credential: each connection asks the AWS CLI for a short-lived token
 * as whoever runs the deployment, so nothing long-lived ends up in the state.
 */
export function eksKubeconfig(clusterName: string, endpoint: string, certificateAuthorityData: string, region: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": certificateAuthorityData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
          },
        },
      },
    ],
  });
}

/**
 * The Kubernetes cluster Temporal runs on: an EKS cluster created here (private subnets, secrets
 * encrypted with its own KMS key, audit logs on, one managed node group) or an existing one looked
 * up by name. Either way it hands out a Kubernetes provider for it, the security group its pods and
 * nodes carry, its VPC, and the OIDC provider that IAM roles for service accounts trust. A created
 * cluster admits the deployers' networks to its API: publicAccessCidrs on the public endpoint,
 * privateAccessCidrs on 443 of the cluster security group for the private one.
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  /** Secret: it names the cluster's endpoint and is what a deployment needs to reach it. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** The security group EKS gives the cluster; managed nodes, and so their pods, carry it. */
  readonly workloadSecurityGroupId: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** Without https://, as IRSA trust policy condition keys spell it. */
  readonly oidcIssuer: pulumi.Output<string>;
  /** The VPC the cluster runs in: what can reference its security group and route to its pods. */
  readonly vpcId: pulumi.Output<string>;
  /** On a cluster created here: vpc-cni's network policy agent, the EBS CSI driver and metrics-server (eksAddons.ts). */
  readonly addons?: EksAddons;
  /** On a cluster created here: the default StorageClass that volume claims naming none get; they must come after it. */
  readonly defaultStorageClass?: k8s.storage.v1.StorageClass;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:EksCluster", name, {}, opts);
    let facts: ClusterFacts;
    let nodeGroup: eks.NodeGroup | undefined;
    let apiAccessRules: pulumi.Resource[] = [];
    if (args.mode === "create") {
      const created = this.createCluster(name, args, opts);
      nodeGroup = created.nodeGroup;
      facts = created.facts;
      this.oidcProviderArn = created.oidcProviderArn;
      apiAccessRules = created.apiAccessRules;
    } else {
      const cluster = eks.getClusterOutput({ name: args.clusterName }, { parent: this });
      facts = {
        name: cluster.name,
        endpoint: cluster.endpoint,
        certificateAuthorityData: cluster.certificateAuthorities[0].data,
        issuerUrl: cluster.identities[0].oidcs[0].issuer,
        clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
        vpcId: cluster.vpcConfig.vpcId,
      };
      // IAM names an OIDC provider after its issuer, so the ARN needs no lookup: a stack without worker
      // roles then works on a cluster that has no provider, and a role that needs one fails by name.
      const account = getCallerIdentityOutput({}, { parent: this }).accountId;
      const partition = getPartitionOutput({}, { parent: this }).partition;
      this.oidcProviderArn = pulumi.interpolate`arn:${partition}:iam::${account}:oidc-provider/${facts.issuerUrl.apply((url) => url.replace(/^https:\/\//, ""))}`;
    }

    this.clusterName = facts.name;
    this.workloadSecurityGroupId = facts.clusterSecurityGroupId;
    this.vpcId = facts.vpcId;
    this.oidcIssuer = facts.issuerUrl.apply((url) => url.replace(/^https:\/\//, ""));
    const region = getRegionOutput({}, { parent: this }).region;
    this.kubeconfig = pulumi.secret(
      pulumi.all([facts.name, facts.endpoint, facts.certificateAuthorityData, region]).apply(([clusterName, endpoint, ca, regionName]) =>
        eksKubeconfig(clusterName, endpoint, ca, regionName),
      ),
    );
    let providerOptions = childOf(this, opts);
    if (nodeGroup && args.mode === "create") {
      this.addons = new EksAddons(
        `${name}-addons`,
        { clusterName: facts.name, kubernetesVersion: args.kubernetesVersion, nodes: nodeGroup, oidcProviderArn: this.oidcProviderArn, oidcIssuer: this.oidcIssuer, tags: args.tags },
        childOf(this, opts),
      );
      // Every Kubernetes object goes through this provider. Pods scheduled before any node exists sit
      // pending and fail the deployment's readiness waits; objects made before the add-ons are active
      // would go unenforced (NetworkPolicies) or find no metrics API (HPAs); a private-only endpoint
      // answers the deployer only once its network is admitted.
      providerOptions = childAfter(this, opts, [nodeGroup, this.addons, ...apiAccessRules]);
    }
    // On someone else's cluster the kit installs nothing: it checks, at preview, that EKS reports what the stack needs.
    const prerequisites = args.mode === "existing" && args.requiredAddons?.length ? requireAddons(args.clusterName, args.requiredAddons, this) : undefined;
    const kubeconfig = prerequisites ? pulumi.all([this.kubeconfig, prerequisites]).apply(([config]) => config) : this.kubeconfig;
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig }, providerOptions);
    if (this.addons) this.defaultStorageClass = defaultStorageClass(`${name}-default-storage`, { ...childOf(this, opts), provider: this.provider });

    this.registerOutputs({
      clusterName: this.clusterName,
      workloadSecurityGroupId: this.workloadSecurityGroupId,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      vpcId: this.vpcId,
    });
  }

  private createCluster(name: string, args: Extract<EksClusterArgs, { mode: "create" }>, opts?: pulumi.ComponentResourceOptions) {
    const tags = (suffix: string) => awsTags(args.tags, `${name}-${suffix}`);
    // GovCloud and China have their own partitions; a hard-coded arn:aws: would not attach there.
    const partition = getPartitionOutput({}, { parent: this }).partition;
    const role = (suffix: string, service: string, description: string, policies: string[]) => {
      const created = new iam.Role(
        `${name}-${suffix}`,
        {
          description,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
          }),
          tags: tags(suffix),
        },
        childOf(this, opts),
      );
      const attachments = policies.map(
        (policy) =>
          new iam.RolePolicyAttachment(
            `${name}-${suffix}-${policy}`,
            { role: created.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
            childOf(this, opts),
          ),
      );
      return { role: created, attachments };
    };
    const clusterRole = role("cluster-role", "eks.amazonaws.com", "Lets the EKS control plane of the Temporal cluster manage its AWS resources", CLUSTER_POLICIES);
    const nodeRole = role("node-role", "ec2.amazonaws.com", "Lets the Temporal cluster's nodes join it, pull images and run pod networking", NODE_POLICIES);

    const secretsKey = new kms.Key(
      `${name}-secrets`,
      { description: "Envelope encryption of the Temporal EKS cluster's Kubernetes secrets", enableKeyRotation: true, tags: tags("secrets") },
      childOf(this, opts),
    );

    const cluster = new eks.Cluster(
      `${name}-cluster`,
      {
        roleArn: clusterRole.role.arn,
        version: args.kubernetesVersion,
        vpcConfig: {
          subnetIds: args.privateSubnetIds,
          // Nodes and in-VPC tooling reach the API server without leaving the VPC.
          endpointPrivateAccess: true,
          endpointPublicAccess: args.endpointPublicAccess,
          // EKS refuses CIDRs on a private-only endpoint.
          ...(args.endpointPublicAccess && args.publicAccessCidrs ? { publicAccessCidrs: args.publicAccessCidrs } : {}),
        },
        enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
        // Access entries for new principals, while aws-auth mappings that tooling still writes keep working;
        // the deployer gets admin so the same deployment can install Temporal into the new cluster.
        accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true },
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
        tags: tags("cluster"),
      },
      // Without its policies EKS cannot clean up the network interfaces and security groups it made when the cluster is deleted.
      childAfter(this, opts, clusterRole.attachments),
    );

    const nodeGroup = new eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: cluster.name,
        // Follows the control plane, so a version bump upgrades the nodes after the cluster.
        version: cluster.version,
        nodeRoleArn: nodeRole.role.arn,
        subnetIds: args.privateSubnetIds,
        instanceTypes: args.nodeGroup.instanceTypes,
        diskSize: args.nodeGroup.diskSizeGb,
        scalingConfig: { minSize: args.nodeGroup.minSize, desiredSize: args.nodeGroup.desiredSize, maxSize: args.nodeGroup.maxSize },
        // One node drains at a time, so replicas spread over nodes keep serving through an upgrade.
        updateConfig: { maxUnavailable: 1 },
        tags: tags("nodes"),
      },
      // Nodes without these policies never join the cluster, and the node group times out.
      childAfter(this, opts, nodeRole.attachments),
    );

    const issuerUrl = cluster.identities[0].oidcs[0].issuer;
    const oidcProvider = new iam.OpenIdConnectProvider(
      `${name}-oidc`,
      // IAM trusts the issuer's certificate authority itself; thumbprints are no longer needed.
      { url: issuerUrl, clientIdLists: [STS_AUDIENCE], tags: tags("oidc") },
      childOf(this, opts),
    );

    // EKS's own group admits only itself, and sits on the control plane's network interfaces (and the
    // managed nodes): the networks that deploy and operate the cluster need 443 on it to reach a private endpoint.
    const clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    const apiAccessRules = (args.privateAccessCidrs ?? []).map((cidr) => {
      // Named by the block, so adding or removing one leaves the others' rules in place.
      const ruleName = `${name}-api-from-${cidr.replace(/[./]/g, "-")}`;
      return new vpc.SecurityGroupIngressRule(
        ruleName,
        {
          securityGroupId: clusterSecurityGroupId,
          cidrIpv4: cidr,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          description: "Kubernetes API (private endpoint) from a network that deploys or operates the cluster",
          tags: awsTags(args.tags, ruleName),
        },
        childOf(this, opts),
      );
    });

    return {
      facts: {
        name: cluster.name,
        endpoint: cluster.endpoint,
        certificateAuthorityData: cluster.certificateAuthority.data,
        issuerUrl,
        clusterSecurityGroupId,
        vpcId: pulumi.output(args.vpcId),
      },
      nodeGroup,
      apiAccessRules,
      oidcProviderArn: oidcProvider.arn,
    };
  }
}

