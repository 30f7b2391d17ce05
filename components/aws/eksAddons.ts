import * as eks from "@pulumi/aws/eks";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childAfter, childOf } from "../childOptions";
import type { EksAddonName } from "../config/awsSchema";
import type { StackConfig } from "../config/schema";
import { frontendAutoscalingOf } from "../config/roleConfig";
import { awsTags } from "./tags";
import { WorkloadIdentityRole } from "./workloadIdentityRole";

/**
 * What an EKS cluster needs beyond what EKS installs itself (vpc-cni, kube-proxy and CoreDNS as
 * self-managed add-ons) before the kit's Kubernetes objects do what they say:
 *
 * - vpc-cni with `enableNetworkPolicy: "true"`: without its network policy agent the cluster
 *   accepts NetworkPolicies and enforces none of them (Amazon EKS User Guide, "Restrict Pod network
 *   traffic with Kubernetes network policies", step "Enable the network policy parameter for the
 *   add-on"; the key and its string value are the guide's own).
 * - aws-ebs-csi-driver: the only provisioner of EBS volumes (the in-tree one is gone), and since
 *   Kubernetes 1.30 EKS no longer marks any StorageClass as default, so an in-cluster store's
 *   volume claim stays Pending without both (EKS User Guide, Kubernetes 1.30 release notes; "Amazon
 *   EBS CSI driver" add-on: IRSA for `kube-system:ebs-csi-controller-sa` with the AWS managed
 *   policy `service-role/AmazonEBSCSIDriverPolicy`).
 * - metrics-server: EKS does not deploy it, and without the metrics API an HPA never acts. EKS
 *   offers it as a community add-on named `metrics-server` in `kube-system`, needing no IAM
 *   (EKS User Guide, "Community add-ons").
 */

/** The vpc-cni add-on's configuration values that turn its network policy agent on. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;
/** The service account the EBS CSI controller runs as, which its IRSA role trusts. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;
/** The AWS managed policy the EBS CSI controller needs; it lives under the service-role/ path. */
export const EBS_CSI_POLICY = "service-role/AmazonEBSCSIDriverPolicy";
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
export const DEFAULT_STORAGE_CLASS = "gp3";
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** Hostings whose store runs in the cluster, on a volume claimed from the default StorageClass. */
const IN_CLUSTER_HOSTINGS: readonly string[] = ["in-cluster", "in-cluster-postgres", "in-cluster-cassandra"];

/**
 * The add-ons this stack's Kubernetes objects rely on: vpc-cni for its NetworkPolicies, the EBS CSI
 * driver for its in-cluster stores' volume claims, metrics-server for its HorizontalPodAutoscalers.
 */
export function eksAddonsNeededBy(config: StackConfig): EksAddonName[] {
  const visibility = config.visibility;
  const volumes =
    IN_CLUSTER_HOSTINGS.includes(config.persistence.hosting) ||
    visibility.store === "elasticsearch" ||
    (visibility.store === "sql-server" && IN_CLUSTER_HOSTINGS.includes(visibility.server.hosting));
  const autoscalers = frontendAutoscalingOf(config, "frontend").autoscaling !== undefined || config.workers.some((pool) => pool.autoscaling);
  return [
    ...(config.kubernetes.networkPolicies ? (["vpc-cni"] as const) : []),
    ...(volumes ? (["aws-ebs-csi-driver"] as const) : []),
    ...(autoscalers ? (["metrics-server"] as const) : []),
  ];
}

/** Why the stack needs an add-on, for messages. */
const NEEDED_FOR: Record<EksAddonName, string> = {
  "vpc-cni": "its network policy agent enforces the stack's NetworkPolicies (kubernetes.networkPolicies)",
  "aws-ebs-csi-driver": "it provisions the EBS volumes of the stack's in-cluster stores",
  "metrics-server": "the stack's HorizontalPodAutoscalers read CPU from it",
};

/** The part of EKS's DescribeAddon answer the check reads. */
export interface InstalledAddon {
  configurationValues?: string;
}

/** What is wrong with an installed add-on for the kit's use, if anything. */
export function addonProblem(addonName: EksAddonName, addon: InstalledAddon): string | undefined {
  if (addonName !== "vpc-cni") return undefined;
  let values: Record<string, unknown> = {};
  try {
    values = addon.configurationValues ? (JSON.parse(addon.configurationValues) as Record<string, unknown>) : {};
  } catch {
    // Unreadable values cannot say the agent is on.
  }
  return String(values.enableNetworkPolicy) === "true"
    ? undefined
    : `its network policy agent is off, so NetworkPolicies would not be enforced: set the add-on's configuration value enableNetworkPolicy to "true" (aws eks update-addon --addon-name vpc-cni --configuration-values '{"enableNetworkPolicy":"true"}')`;
}

/**
 * Asks EKS, through `lookup`, for each add-on the stack needs on a cluster the kit did not create,
 * and fails with every missing or misconfigured one at once. Add-ons installed outside EKS's add-on
 * API are invisible to it: the stack file lists them under `aws.eks.selfManagedAddons` instead.
 */
export async function verifyAddons(
  clusterName: string,
  required: readonly EksAddonName[],
  lookup: (addonName: EksAddonName) => Promise<InstalledAddon>,
): Promise<EksAddonName[]> {
  const problems = await Promise.all(
    required.map(async (addonName) => {
      let addon: InstalledAddon;
      try {
        addon = await lookup(addonName);
      } catch (error) {
        const reason = firstLine(error);
        return `${addonName}: not found as an EKS add-on${reason ? ` (${reason})` : ""}; ${NEEDED_FOR[addonName]}. Install it (aws eks create-addon --cluster-name ${clusterName} --addon-name ${addonName}), or list it under aws.eks.selfManagedAddons if the cluster runs it another way`;
      }
      const problem = addonProblem(addonName, addon);
      return problem ? `${addonName}: ${problem}` : undefined;
    }),
  );
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length) throw new Error(`The existing EKS cluster ${clusterName} lacks what this stack relies on:\n  ${found.join("\n  ")}`);
  return [...required];
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}

/** EKS's DescribeAddon for one cluster, as `verifyAddons` asks it. */
export function eksAddonLookup(clusterName: string, parent: pulumi.Resource): (addonName: EksAddonName) => Promise<InstalledAddon> {
  return (addonName) => eks.getAddon({ clusterName, addonName }, { parent });
}

/** `verifyAddons` against EKS itself, at preview as at deploy: an Output that fails with the problems. */
export function requireAddons(clusterName: string, required: readonly EksAddonName[], parent: pulumi.Resource): pulumi.Output<EksAddonName[]> {
  return pulumi.output(verifyAddons(clusterName, required, eksAddonLookup(clusterName, parent)));
}

export interface EksAddonsArgs {
  clusterName: pulumi.Input<string>;
  /** The cluster's Kubernetes version: each add-on runs EKS's default version for it. */
  kubernetesVersion: pulumi.Input<string>;
  /** The managed node group: EKS reports an add-on whose pods have nowhere to run as degraded, not active. */
  nodes: pulumi.Resource;
  /** The cluster's OIDC provider and its issuer (without https://), for the EBS CSI controller's role. */
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuer: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * The managed add-ons of an EKS cluster the kit creates: vpc-cni with its network policy agent on,
 * the EBS CSI driver with an IRSA role, and metrics-server. All three, whatever the stack deploys
 * today: the kit's AKS cluster has the same (Cilium network policy, AKS's default CSI StorageClass
 * and metrics-server), a later stack change (an in-cluster store, autoscaling) then needs nothing
 * new from the cluster, and removing the CSI driver while volumes it made still exist would strand them.
 *
 * Versions are EKS's default for the cluster's Kubernetes version, looked up at each deploy: always
 * one EKS supports on that version, following the control plane through upgrades, and a change of
 * default shows in the preview as an add-on update before anything happens.
 */
export class EksAddons extends pulumi.ComponentResource {
  readonly vpcCni: eks.Addon;
  readonly ebsCsiDriver: eks.Addon;
  readonly metricsServer: eks.Addon;

  constructor(name: string, args: EksAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:EksAddons", name, {}, opts);
    const partition = getPartitionOutput({}, { parent: this }).partition;
    const addon = (addonName: EksAddonName, settings: Partial<eks.AddonArgs> = {}, after: pulumi.Resource[] = []) =>
      new eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: args.clusterName,
          addonName,
          addonVersion: eks.getAddonVersionOutput({ addonName, kubernetesVersion: args.kubernetesVersion }, { parent: this }).version,
          // EKS installed vpc-cni itself (self-managed); the managed add-on takes it over. Later, the
          // kit's settings win over hand edits, as they do everywhere else in the stack.
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          tags: awsTags(args.tags, `${name}-${addonName}`),
          ...settings,
        },
        childAfter(this, opts, [args.nodes, ...after]),
      );

    this.vpcCni = addon("vpc-cni", {
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      // Deleting the add-on must never take pod networking away from nodes still running.
      preserve: true,
    });

    const ebsCsiIdentity = new WorkloadIdentityRole(
      `${name}-ebs-csi`,
      {
        trust: { platform: "eks", oidcProviderArn: args.oidcProviderArn, oidcIssuer: args.oidcIssuer, namespace: EBS_CSI_SERVICE_ACCOUNT.namespace, serviceAccountName: EBS_CSI_SERVICE_ACCOUNT.name },
        description: "Lets the EBS CSI driver of the Temporal EKS cluster create, attach and delete its volumes",
        policyArns: [pulumi.interpolate`arn:${partition}:iam::aws:policy/${EBS_CSI_POLICY}`],
        tags: args.tags,
      },
      childOf(this, opts),
    );
    // After the role's policy attachment too, not just its ARN: a driver started first fails its first volumes.
    this.ebsCsiDriver = addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebsCsiIdentity.arn }, [ebsCsiIdentity]);

    this.metricsServer = addon("metrics-server");

    this.registerOutputs({});
  }
}

/**
 * The cluster's default StorageClass, for volume claims that name none (the in-cluster stores'):
 * encrypted gp3 from the EBS CSI driver, bound where the pod is scheduled so that the volume lands
 * in the pod's availability zone, and expandable. Deleting a claim deletes its volume, as on AKS.
 */
export function defaultStorageClass(name: string, opts: pulumi.CustomResourceOptions): k8s.storage.v1.StorageClass {
  return new k8s.storage.v1.StorageClass(
    name,
    {
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" },
        labels: { "app.kubernetes.io/part-of": "temporal-kit", "app.kubernetes.io/managed-by": "pulumi" },
      },
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    },
    opts,
  );
}
