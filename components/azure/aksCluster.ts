import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { childAfter } from "../childOptions";
import { parseCidr, toDottedQuad } from "../config/ipv4";
import { AKS_DNS_SERVICE_IP, AKS_POD_CIDR, AKS_SERVICE_CIDR } from "./network";
import { BUILT_IN_ROLES, builtInRoleDefinitionId } from "./roleAssignments";
import { azureTags } from "./tags";

export interface AksNodePoolArgs {
  vmSize: string;
  minCount: number;
  maxCount: number;
  /** Nodes at creation; the autoscaler owns the count afterwards. */
  count: number;
  osDiskSizeGb: number;
  /** "1" to "3"; empty in a region without zones. */
  availabilityZones: string[];
}

export type AksClusterArgs =
  | {
      mode: "create";
      resourceGroupName: pulumi.Input<string>;
      location: pulumi.Input<string>;
      /** 1.33 (AKS picks and keeps the latest patch) or 1.33.2. */
      kubernetesVersion: string;
      /** The subnet the nodes and internal load balancers go in. */
      subnetId: pulumi.Input<string>;
      nodePool: AksNodePoolArgs;
      /** API server on a private address in the network only; deployments must then run from inside it (see deployerVnetId). */
      privateCluster: boolean;
      /** Who may reach a public API server; without it, anyone can try to. Not allowed with a private cluster. */
      authorizedIpRanges?: string[];
      /**
       * With a private cluster: the virtual network the deployment runs in, which the caller peers with
       * the cluster's. The API server's private DNS zone is linked to it, so that the private name the
       * kubeconfig holds resolves there and the deployment reaches the cluster it has just created.
       */
      deployerVnetId?: pulumi.Input<string>;
      /** `Standard` (the default) has an uptime SLA and a control plane sized for production; `Free` has neither. */
      skuTier?: "Free" | "Standard";
      tags: Record<string, string>;
    }
  | { mode: "existing"; resourceGroupName: string; clusterName: string; tags: Record<string, string> };

type CreateArgs = Extract<AksClusterArgs, { mode: "create" }>;

/** The one node pool's name; Linux pool names are at most 12 lowercase letters and digits. */
export const NODE_POOL_NAME = "system";
const ZONES = ["1", "2", "3"];
const MIN_OS_DISK_GB = 30;
const MAX_OS_DISK_GB = 2048;
const MAX_NODES = 1000;
/** AKS accepts at most this many authorized IP ranges. */
const MAX_AUTHORIZED_RANGES = 200;

/** Checks the create arguments AKS would otherwise only refuse midway through a deployment. */
export function validateAksCluster(name: string, args: CreateArgs): void {
  // The name becomes the DNS prefix of the API server's address.
  if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]$/.test(name)) {
    throw new Error(`"${name}" cannot prefix the AKS API server's DNS name: use 2 to 54 letters, digits and hyphens, starting and ending with a letter or digit`);
  }
  if (!/^1\.\d{2}(\.\d+)?$/.test(args.kubernetesVersion)) {
    throw new Error(`Kubernetes version "${args.kubernetesVersion}" must look like 1.33 or 1.33.2`);
  }
  const { minCount, count, maxCount, osDiskSizeGb, availabilityZones, vmSize } = args.nodePool;
  if (![minCount, count, maxCount].every(Number.isInteger) || minCount < 1 || maxCount > MAX_NODES || !(minCount <= count && count <= maxCount)) {
    throw new Error(`node pool sizes must be whole numbers with 1 <= minCount <= count <= maxCount <= ${MAX_NODES}; given ${minCount}, ${count}, ${maxCount}`);
  }
  if (!Number.isInteger(osDiskSizeGb) || osDiskSizeGb < MIN_OS_DISK_GB || osDiskSizeGb > MAX_OS_DISK_GB) {
    throw new Error(`osDiskSizeGb must be a whole number from ${MIN_OS_DISK_GB} to ${MAX_OS_DISK_GB}; given ${osDiskSizeGb}`);
  }
  if (!/^Standard_[A-Za-z0-9_]+$/.test(vmSize)) throw new Error(`"${vmSize}" is not an Azure VM size such as Standard_D4s_v5`);
  if (availabilityZones.some((zone) => !ZONES.includes(zone)) || new Set(availabilityZones).size !== availabilityZones.length) {
    throw new Error(`availabilityZones must be distinct zones among ${ZONES.join(", ")}; given ${availabilityZones.join(", ")}`);
  }
  const ranges = args.authorizedIpRanges;
  if (ranges !== undefined) {
    if (args.privateCluster) {
      throw new Error("authorizedIpRanges only apply to a public API server; a private cluster has no public endpoint to restrict");
    }
    if (ranges.length === 0 || ranges.length > MAX_AUTHORIZED_RANGES) {
      throw new Error(`authorizedIpRanges must list 1 to ${MAX_AUTHORIZED_RANGES} ranges, or be left out`);
    }
    for (const range of ranges) {
      const block = parseCidr(range, "Authorized IP range");
      const size = 2 ** (32 - block.prefix);
      // AKS wants a block by its first address.
      if (block.base % size !== 0) throw new Error(`Authorized IP range "${range}" has host bits set; the block starts at ${toDottedQuad(block.base - (block.base % size))}/${block.prefix}`);
    }
  }
  if (args.deployerVnetId !== undefined && !args.privateCluster) {
    throw new Error("deployerVnetId only applies to a private cluster; a public API server is reached through authorizedIpRanges");
  }
}

/**
 * The private DNS zone AKS registers a private cluster's API server in (`privateDNSZone: system`,
 * in the node resource group): the private FQDN without its first label, normally
 * `<guid>.privatelink.<region>.azmk8s.io`.
 */
export function apiServerPrivateZone(clusterName: string, privateFqdn: string | undefined): string {
  const match = /^[^.]+\.((?:[^.]+\.)?privatelink\.[a-z0-9]+\.azmk8s\.io)$/.exec(privateFqdn ?? "");
  if (!match) {
    throw new Error(`AKS cluster ${clusterName} reported the private FQDN "${privateFqdn ?? ""}", which is not in a privatelink.<region>.azmk8s.io zone; the deployer's network cannot be linked to it`);
  }
  return match[1];
}

/** Where a node pool puts its nodes and, with Azure CNI pod subnets, its pods. */
export interface AksPoolNetwork {
  name: string;
  /** Absent when the pool is in a virtual network AKS created and manages itself. */
  vnetSubnetId?: string;
  podSubnetId?: string;
}

/** What the cluster's network looks like from outside: the pools' subnets and the ranges pods and Services take. */
export interface AksNetworkFacts {
  pools: AksPoolNetwork[];
  podCidrs: string[];
  serviceCidrs: string[];
}

interface ArmClusterNetwork {
  agentPoolProfiles?: { name: string; vnetSubnetID?: string; podSubnetID?: string }[];
  networkProfile?: { podCidr?: string; podCidrs?: string[]; serviceCidr?: string; serviceCidrs?: string[] };
}

/** {@link AksNetworkFacts} from what ARM reports of a cluster. */
export function aksNetworkFacts(cluster: ArmClusterNetwork): AksNetworkFacts {
  const profile = cluster.networkProfile ?? {};
  const ranges = (many: string[] | undefined, one: string | undefined) => [...new Set([...(many ?? []), ...(one ? [one] : [])])];
  return {
    pools: (cluster.agentPoolProfiles ?? []).map((pool) => ({
      name: pool.name,
      ...(pool.vnetSubnetID ? { vnetSubnetId: pool.vnetSubnetID } : {}),
      ...(pool.podSubnetID ? { podSubnetId: pool.podSubnetID } : {}),
    })),
    podCidrs: ranges(profile.podCidrs, profile.podCidr),
    serviceCidrs: ranges(profile.serviceCidrs, profile.serviceCidr),
  };
}

/** Said at every deployment onto an existing private cluster, which the kit cannot tell whether it reaches. */
export function privateClusterWarning(clusterName: string): string {
  return (
    `AKS cluster ${clusterName} has a private API server: pulumi up reaches it only from the cluster's virtual network, or from one peered with it ` +
    "and linked to its private DNS zone (or over VPN or ExpressRoute); from anywhere else every Kubernetes resource fails to connect"
  );
}

/** The kubeconfig in the first credential AKS returns; AKS hands it out base64-encoded. */
export function decodeKubeconfig(clusterName: string, kubeconfigs: { name: string; value: string }[]): string {
  if (kubeconfigs.length === 0) throw new Error(`AKS returned no user credentials for cluster "${clusterName}"`);
  return Buffer.from(kubeconfigs[0].value, "base64").toString("utf8");
}

/**
 * The cluster's OIDC issuer URL, once it is sure workload identity works there. An existing cluster
 * may have either switched off; Temporal's workers would then fail to reach Azure at run time.
 */
export function workloadIdentityIssuer(clusterName: string, profile: { enabled?: boolean; issuerURL?: string } | undefined, workloadIdentity: boolean | undefined): string {
  if (!profile?.enabled || !profile.issuerURL || !workloadIdentity) {
    throw new Error(
      `AKS cluster "${clusterName}" needs its OIDC issuer and workload identity on, which Temporal's workers use to reach Azure: ` +
        "az aks update --enable-oidc-issuer --enable-workload-identity",
    );
  }
  return profile.issuerURL;
}

/** What the outputs need, whether the cluster is created here or looked up. */
interface ClusterFacts {
  name: pulumi.Output<string>;
  network: pulumi.Output<AksNetworkFacts>;
  resourceGroupName: pulumi.Input<string>;
  oidcIssuerProfile: pulumi.Output<{ enabled?: boolean; issuerURL: string } | undefined>;
  workloadIdentity: pulumi.Output<boolean | undefined>;
  nodeResourceGroup: pulumi.Output<string | undefined>;
}

/**
 * The Kubernetes cluster Temporal runs on: an AKS cluster created here (Azure CNI Overlay with
 * Cilium in the given subnet, one autoscaling node pool spread over zones, Kubernetes RBAC, and the
 * OIDC issuer and workload identity Temporal's workers use to reach Azure without secrets) or an
 * existing one looked up by name. Either way it hands out a Kubernetes provider for it.
 *
 * Local accounts stay on: turning them off needs Entra ID integration with an admin group, which
 * the kit does not manage, and the kubeconfig below is the local cluster-user credential. That
 * credential is effectively cluster-admin, so it only ever travels as a secret.
 */
export class AksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  /** Secret: it holds the cluster's client certificate. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** Where workload identity federation points: Entra trusts tokens this issuer signs. */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** The resource group AKS keeps the nodes, disks and load balancers in. */
  readonly nodeResourceGroup: pulumi.Output<string>;
  /** The node pools' subnets and the pod and Service ranges, as AKS reports them. */
  readonly network: pulumi.Output<AksNetworkFacts>;

  constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:AksCluster", name, {}, opts);
    let facts: ClusterFacts;
    let providerOptions: pulumi.CustomResourceOptions;
    if (args.mode === "create") {
      validateAksCluster(name, args);
      const created = this.createCluster(name, args, opts);
      facts = created.facts;
      // Internal load balancers in the subnet fail until the cluster may use it; a deployer outside
      // a private cluster's network resolves its API server only once the zone is linked.
      providerOptions = childAfter(this, opts, [created.subnetAccess, ...created.deployerDns]);
    } else {
      const cluster = containerservice.getManagedClusterOutput({ resourceGroupName: args.resourceGroupName, resourceName: args.clusterName }, { parent: this });
      facts = {
        name: cluster.apply((found) => {
          if (found.apiServerAccessProfile?.enablePrivateCluster) pulumi.log.warn(privateClusterWarning(found.name), this);
          return found.name;
        }),
        network: cluster.apply((found) => aksNetworkFacts(found)),
        resourceGroupName: args.resourceGroupName,
        oidcIssuerProfile: cluster.apply((found) => found.oidcIssuerProfile),
        workloadIdentity: cluster.apply((found) => found.securityProfile?.workloadIdentity?.enabled),
        nodeResourceGroup: cluster.apply((found) => found.nodeResourceGroup),
      };
      providerOptions = childOf(this, opts);
    }

    this.clusterName = facts.name;
    this.network = facts.network;
    this.nodeResourceGroup = facts.nodeResourceGroup.apply((group) => {
      if (!group) throw new Error(`AKS reported no node resource group for cluster ${name}`);
      return group;
    });
    this.oidcIssuerUrl = pulumi
      .all([facts.name, facts.oidcIssuerProfile, facts.workloadIdentity])
      .apply(([clusterName, profile, workloadIdentity]) => workloadIdentityIssuer(clusterName, profile, workloadIdentity));

    // A private cluster's kubeconfig names its private address: only a deployment inside the network reaches it.
    const credentials = containerservice.listManagedClusterUserCredentialsOutput(
      { resourceGroupName: facts.resourceGroupName, resourceName: facts.name },
      { parent: this },
    );
    this.kubeconfig = pulumi.secret(pulumi.all([facts.name, credentials.kubeconfigs]).apply(([clusterName, kubeconfigs]) => decodeKubeconfig(clusterName, kubeconfigs)));
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, providerOptions);

    this.registerOutputs({ clusterName: this.clusterName, oidcIssuerUrl: this.oidcIssuerUrl, nodeResourceGroup: this.nodeResourceGroup, network: this.network });
  }

  private createCluster(name: string, args: CreateArgs, opts?: pulumi.ComponentResourceOptions) {
    const pool = args.nodePool;
    const apiServerAccessProfile = args.privateCluster
      ? // AKS creates and links the private DNS zone that resolves the API server inside the network.
        { enablePrivateCluster: true, privateDNSZone: "system" }
      : { enablePrivateCluster: false, ...(args.authorizedIpRanges ? { authorizedIPRanges: args.authorizedIpRanges } : {}) };

    const cluster = new containerservice.ManagedCluster(
      `${name}-cluster`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        dnsPrefix: name,
        kubernetesVersion: args.kubernetesVersion,
        sku: { name: "Base", tier: args.skuTier ?? "Standard" },
        // AKS manages the identity's credentials; see the subnet role below for what it needs.
        identity: { type: containerservice.ResourceIdentityType.SystemAssigned },
        enableRBAC: true,
        disableLocalAccounts: false,
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        apiServerAccessProfile,
        networkProfile: {
          // Overlay: pods take addresses outside the network, so the subnet only has to hold nodes.
          networkPlugin: "azure",
          networkPluginMode: "overlay",
          // Cilium enforces Kubernetes NetworkPolicies; without a policy engine they are silently ignored.
          networkDataplane: "cilium",
          networkPolicy: "cilium",
          podCidr: AKS_POD_CIDR,
          serviceCidr: AKS_SERVICE_CIDR,
          dnsServiceIP: AKS_DNS_SERVICE_IP,
          loadBalancerSku: "standard",
          outboundType: "loadBalancer",
        },
        agentPoolProfiles: [
          {
            name: NODE_POOL_NAME,
            // Runs the system add-ons as well as Temporal, like the single node group on EKS.
            mode: "System",
            type: "VirtualMachineScaleSets",
            osType: "Linux",
            vmSize: pool.vmSize,
            osDiskSizeGB: pool.osDiskSizeGb,
            enableAutoScaling: true,
            minCount: pool.minCount,
            maxCount: pool.maxCount,
            count: pool.count,
            ...(pool.availabilityZones.length > 0 ? { availabilityZones: pool.availabilityZones } : {}),
            vnetSubnetID: args.subnetId,
            enableNodePublicIP: false,
            // Follows the control plane, so a version bump upgrades the nodes with the cluster.
            orchestratorVersion: args.kubernetesVersion,
          },
        ],
        // Patch releases and node image security updates arrive without a deployment.
        autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
        tags: azureTags(args.tags),
      },
      // The autoscaler moves the count; sending the initial count again would scale the pool back.
      { ...childOf(this, opts), ignoreChanges: ["agentPoolProfiles[0].count"] },
    );

    // The system-assigned identity only exists once the cluster does, so AKS cannot be given the
    // subnet beforehand (the Azure CLI does this step itself). It needs it to put internal load
    // balancers in the subnet.
    const subnetAccess = new authorization.RoleAssignment(
      `${name}-subnet-access`,
      {
        scope: args.subnetId,
        roleDefinitionId: builtInRoleDefinitionId(this, BUILT_IN_ROLES.networkContributor),
        principalId: cluster.identity.apply((identity) => {
          if (!identity?.principalId) throw new Error(`AKS cluster ${name} has no system-assigned identity`);
          return identity.principalId;
        }),
        principalType: "ServicePrincipal",
        description: "Lets the Temporal AKS cluster manage load balancers and addresses in its subnet",
      },
      childOf(this, opts),
    );

    // The deployer's network resolves the API server's private name once AKS's zone is linked to it
    // (https://learn.microsoft.com/azure/aks/private-clusters: a machine in a peered network needs both).
    const deployerDns =
      args.privateCluster && args.deployerVnetId !== undefined
        ? [
            new privatedns.VirtualNetworkLink(
              `${name}-deployer-dns`,
              {
                resourceGroupName: cluster.nodeResourceGroup.apply((group) => {
                  if (!group) throw new Error(`AKS reported no node resource group for cluster ${name}`);
                  return group;
                }),
                privateZoneName: pulumi.all([cluster.name, cluster.privateFQDN]).apply(([clusterName, fqdn]) => apiServerPrivateZone(clusterName, fqdn)),
                location: "global",
                virtualNetwork: { id: args.deployerVnetId },
                // The deployer's machines only look names up; AKS writes the zone's one record.
                registrationEnabled: false,
                tags: azureTags(args.tags),
              },
              childOf(this, opts),
            ),
          ]
        : [];

    return {
      facts: {
        name: cluster.name,
        network: pulumi.all([cluster.agentPoolProfiles, cluster.networkProfile]).apply(([agentPoolProfiles, networkProfile]) => aksNetworkFacts({ agentPoolProfiles, networkProfile })),
        resourceGroupName: args.resourceGroupName,
        oidcIssuerProfile: cluster.oidcIssuerProfile,
        workloadIdentity: cluster.securityProfile.apply((profile) => profile?.workloadIdentity?.enabled),
        nodeResourceGroup: cluster.nodeResourceGroup,
      },
      subnetAccess,
      deployerDns,
    };
  }
}
