import type { Resources } from "./requests";

/**
 * What a node offers the kit's pods: the machine, less what the platform reserves for the kubelet
 * and the system, less the hard eviction threshold (Kubernetes' node allocatable,
 * https://kubernetes.io/docs/tasks/administer-cluster/reserve-compute-resources/), less the
 * platform's own pods. Every number here is cited with where it was read; "read 2026-12-03" marks
 * the sources read when this table was written. A node type the kit's presets or stacks start to use
 * must be added here first: the whole-stack capacity test fails naming it until it is.
 */

/** A pod the platform runs, with its requests: on every node (a DaemonSet) or `count` times in the cluster. */
export interface PlatformPod {
  name: string;
  request: Resources;
  count: number;
  /** Where the number comes from. */
  source: string;
}

export interface Platform {
  /** Pods on every node (DaemonSets): they come off each node's allocatable. */
  perNode: PlatformPod[];
  /** Pods the scheduler places like any other (Deployments in kube-system). */
  cluster: PlatformPod[];
}

/** A pool of identical nodes, as the check sees it. */
export interface NodePool {
  /** "3 × m6i.xlarge (EKS)": for messages. */
  label: string;
  count: number;
  /** One node's allocatable, before the platform's pods. */
  allocatable: Resources;
  platform: Platform;
}

/**
 * The guest never sees all of a VM's memory: firmware, the kernel and its page tables take a cut
 * before the kubelet reads MemTotal as the node's capacity. Karpenter assumes 7.5% for exactly this
 * when it predicts a node's capacity ("VM_MEMORY_OVERHEAD_PERCENT ... default = 0.075",
 * https://karpenter.sh/docs/reference/settings/, read 2026-12-03); the kit assumes the same on EC2,
 * Azure and a laptop's Docker VM.
 */
export const VM_MEMORY_OVERHEAD = 0.075;

/** Kubelet's default hard eviction threshold, memory.available<100Mi, which EKS and AKS both keep. */
export const EVICTION_HARD_MIB = 100;

const GIB = 1024;
const visibleMemoryMiB = (memoryGiB: number) => memoryGiB * GIB * (1 - VM_MEMORY_OVERHEAD);

// ---------------------------------------------------------------------------------------------
// EKS (managed node groups on the EKS-optimized Amazon Linux 2023 AMI, which nodeadm configures)
// ---------------------------------------------------------------------------------------------

export interface Ec2InstanceType {
  vcpu: number;
  memoryGiB: number;
  /** The ENI-based pod limit nodeadm gives the kubelet, which the memory reservation scales with. */
  maxPods: number;
}

/**
 * The EC2 types the kit's presets and stacks use, and their neighbours in the family. vCPU and
 * memory as AWS lists them for M6i (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html);
 * maxPods from the AMI's table, "# of ENI * (# of IPv4 per ENI - 1) + 2"
 * (awslabs/amazon-eks-ami nodeadm/internal/kubelet/eni-max-pods.txt: m6i.large 29, m6i.xlarge 58,
 * m6i.2xlarge 58, m6i.4xlarge 234; read 2026-12-03).
 */
export const EC2_INSTANCE_TYPES: Record<string, Ec2InstanceType> = {
  "m6i.large": { vcpu: 2, memoryGiB: 8, maxPods: 29 },
  "m6i.xlarge": { vcpu: 4, memoryGiB: 16, maxPods: 58 },
  "m6i.2xlarge": { vcpu: 8, memoryGiB: 32, maxPods: 58 },
  "m6i.4xlarge": { vcpu: 16, memoryGiB: 64, maxPods: 234 },
};

/**
 * kube-reserved CPU on an EKS node: 6% of the first core, 1% of the second, 0.5% of the third and
 * fourth, 0.25% of every core past four (awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go,
 * getCPUMillicoresToReserve, integer millicores per range; read 2026-12-03).
 */
export function eksReservedCpuMillicores(vcpu: number): number {
  const total = vcpu * 1000;
  const ranges: [start: number, end: number, basisPoints: number][] = [
    [0, 1000, 600],
    [1000, 2000, 100],
    [2000, 4000, 50],
    [4000, total, 25],
  ];
  return ranges.reduce((reserved, [start, end, basisPoints]) => (total <= start ? reserved : reserved + Math.floor(((Math.min(total, end) - start) * basisPoints) / 10000)), 0);
}

/** kube-reserved memory on an EKS node: 11 MiB per pod the node may hold, plus 255 MiB (same file, GetMemoryMebibytesToReserve). */
export function eksReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** One EKS node's allocatable: the instance less kube-reserved (nodeadm sets no system-reserved) and evictionHard memory.available 100Mi (same file, defaultKubeletSubConfig). */
export function eksAllocatable(instanceType: string): Resources {
  const type = EC2_INSTANCE_TYPES[instanceType];
  if (!type) throw new UnknownNodeType(`EC2 instance type ${instanceType}`, Object.keys(EC2_INSTANCE_TYPES));
  return {
    cpu: type.vcpu * 1000 - eksReservedCpuMillicores(type.vcpu),
    memory: visibleMemoryMiB(type.memoryGiB) - eksReservedMemoryMiB(type.maxPods) - EVICTION_HARD_MIB,
  };
}

/**
 * What EKS runs besides the kit, with requests, on the managed add-ons the kit's clusters carry
 * (vpc-cni, kube-proxy, CoreDNS, the EBS CSI driver, metrics-server). Where a version leaves a
 * sidecar without requests, the allowance gives it the plugin container's, so the figure errs high.
 */
export const EKS_PLATFORM: Platform = {
  perNode: [
    { name: "kube-proxy", request: { cpu: 100, memory: 0 }, count: 1, source: "EKS kube-proxy add-on DaemonSet: requests cpu 100m" },
    {
      name: "aws-node (vpc-cni and its network policy agent)",
      request: { cpu: 50, memory: 0 },
      count: 1,
      source: "aws/amazon-vpc-cni-k8s manifests: aws-node and aws-eks-nodeagent containers request cpu 25m each (read 2026-12-03)",
    },
    {
      name: "ebs-csi-node",
      request: { cpu: 30, memory: 120 },
      count: 1,
      source: "kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/values.yaml: node requests cpu 10m / memory 40Mi, three containers (read 2026-12-03)",
    },
    {
      name: "allowance for other node agents (eks-pod-identity-agent, node-local add-ons)",
      request: { cpu: 70, memory: 136 },
      count: 1,
      source: "rounds the per-node total up to 250m / 256Mi",
    },
  ],
  cluster: [
    { name: "coredns", request: { cpu: 100, memory: 70 }, count: 2, source: "CoreDNS Deployment as EKS and kubeadm ship it: requests cpu 100m / memory 70Mi, 2 replicas" },
    { name: "metrics-server", request: { cpu: 100, memory: 200 }, count: 2, source: "kubernetes-sigs/metrics-server components.yaml: requests cpu 100m / memory 200Mi; 2 replicas assumed for the high-availability add-on" },
    {
      name: "ebs-csi-controller",
      request: { cpu: 60, memory: 240 },
      count: 2,
      source: "aws-ebs-csi-driver values.yaml: controller requests cpu 10m / memory 40Mi, replicaCount 2; six containers each counted at that (read 2026-12-03)",
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// AKS (Linux node pools, Kubernetes 1.29 and later)
// ---------------------------------------------------------------------------------------------

export interface AzureVmSize {
  vcpu: number;
  memoryGiB: number;
}

/**
 * The Azure sizes the kit's presets and stacks use, and their neighbours in Dsv5: vCPU and memory as
 * Microsoft lists them (https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/general-purpose/dsv5-series).
 */
export const AZURE_VM_SIZES: Record<string, AzureVmSize> = {
  Standard_D2s_v5: { vcpu: 2, memoryGiB: 8 },
  Standard_D4s_v5: { vcpu: 4, memoryGiB: 16 },
  Standard_D8s_v5: { vcpu: 8, memoryGiB: 32 },
  Standard_D16s_v5: { vcpu: 16, memoryGiB: 64 },
};

/**
 * The pod limit of a node pool that sets none, under Azure CNI Overlay (the kit's clusters): "The
 * default for Azure CNI Overlay is 250" (https://learn.microsoft.com/en-us/azure/aks/concepts-network-azure-cni-overlay,
 * "Maximum pods per node"; read 2026-12-03).
 */
export const AKS_OVERLAY_DEFAULT_MAX_PODS = 250;

/**
 * kube-reserved CPU on an AKS node by its cores: 60m for 1, 100m for 2, 140m for 4, 180m for 8,
 * 260m for 16, 420m for 32, 740m for 64 (https://learn.microsoft.com/en-us/azure/aks/node-resource-reservations,
 * "CPU reservations"; read 2026-12-03).
 */
const AKS_RESERVED_CPU: Record<number, number> = { 1: 60, 2: 100, 4: 140, 8: 180, 16: 260, 32: 420, 64: 740 };

export function aksReservedCpuMillicores(vcpu: number): number {
  const reserved = AKS_RESERVED_CPU[vcpu];
  if (reserved === undefined) throw new Error(`AKS lists no CPU reservation for ${vcpu} cores; add it from the node resource reservations page`);
  return reserved;
}

/**
 * kube-reserved memory on AKS 1.29 and later: the lesser of 20 MB per pod the node may hold plus
 * 50 MB, and 25% of the machine's memory (same page, "Memory reservations"). The page says MB; the
 * kit reads MiB, the larger.
 */
export function aksReservedMemoryMiB(memoryGiB: number, maxPods: number): number {
  return Math.min(20 * maxPods + 50, 0.25 * memoryGiB * GIB);
}

/** One AKS node's allocatable: the VM less kube-reserved and the memory.available<100Mi eviction rule (same page). */
export function aksAllocatable(vmSize: string, maxPods: number = AKS_OVERLAY_DEFAULT_MAX_PODS): Resources {
  const size = AZURE_VM_SIZES[vmSize];
  if (!size) throw new UnknownNodeType(`Azure VM size ${vmSize}`, Object.keys(AZURE_VM_SIZES));
  return {
    cpu: size.vcpu * 1000 - aksReservedCpuMillicores(size.vcpu),
    memory: visibleMemoryMiB(size.memoryGiB) - aksReservedMemoryMiB(size.memoryGiB, maxPods) - EVICTION_HARD_MIB,
  };
}

/**
 * What AKS runs besides the kit. AKS publishes no list with requests, so the per-node figure is an
 * allowance taken from what users report: Azure/AKS#3525 found about 750 MB of kube-system memory
 * requests on one node (azure-cns and azure-npm 550 MB of it; the kit's Cilium clusters run no
 * azure-npm, and Azure/AKS#5244 shows the Cilium agent requesting 100Mi); Azure/AKS#5251 lists
 * cloud-node-manager at 50m / 50Mi and CoreDNS at 100m / 70Mi (all read 2026-12-03).
 */
export const AKS_PLATFORM: Platform = {
  perNode: [
    {
      name: "node agents (cilium, azure-cns, cloud-node-manager, csi-azuredisk-node, csi-azurefile-node)",
      request: { cpu: 300, memory: 768 },
      count: 1,
      source: "allowance after Azure/AKS#3525, #5244 and #5251 (read 2026-12-03)",
    },
  ],
  cluster: [
    { name: "coredns", request: { cpu: 100, memory: 70 }, count: 2, source: "Azure/AKS#5251: coredns requests 100m / 70Mi" },
    { name: "metrics-server", request: { cpu: 100, memory: 200 }, count: 2, source: "allowance at upstream metrics-server's requests, 2 replicas" },
    { name: "konnectivity-agent and coredns-autoscaler", request: { cpu: 20, memory: 20 }, count: 3, source: "allowance" },
  ],
};

// ---------------------------------------------------------------------------------------------
// kind: one node in Docker, the documented minimum for the stacks that run on a laptop
// ---------------------------------------------------------------------------------------------

/**
 * The smallest Docker VM the laptop stacks (`dev`, `dev-postgres`, `dev-cassandra`, `local`) are
 * sized for: 4 CPUs and 8 GiB. Docker Desktop gives its VM every host CPU and up to 50% of the
 * host's memory by default ("CPU limit ... By default, Docker Desktop is set to use all the
 * processors available on the host machine"; "Memory limit. By default, Docker Desktop is set to use
 * up to 50% of your host's memory", https://docs.docker.com/desktop/settings-and-maintenance/settings/,
 * read 2026-12-03), so a 16 GB laptop with four or more cores has this by default.
 */
export const KIND_MINIMUM_NODE = { cpus: 4, memoryGiB: 8 } as const;

/**
 * kind's node reports the VM's CPUs and memory and reserves nothing for the kubelet; the kit still
 * subtracts the kubelet's default 100Mi eviction threshold and the VM's memory overhead.
 */
export function kindAllocatable(node: { cpus: number; memoryGiB: number } = KIND_MINIMUM_NODE): Resources {
  return { cpu: node.cpus * 1000, memory: visibleMemoryMiB(node.memoryGiB) - EVICTION_HARD_MIB };
}

/**
 * A kind cluster's own pods, all on its one node: kubeadm's control plane static pods (kube-apiserver
 * 250m, kube-controller-manager 200m, kube-scheduler 100m, etcd 100m / 100Mi:
 * kubernetes/kubernetes cmd/kubeadm/app/phases/controlplane/manifests.go and phases/etcd/local.go),
 * CoreDNS (2 × 100m / 70Mi) and kindnet (100m / 50Mi: kubernetes-sigs/kind
 * pkg/build/nodeimage/const_cni.go; read 2026-12-03). kube-proxy and local-path-provisioner request nothing.
 */
export const KIND_PLATFORM: Platform = {
  perNode: [{ name: "kindnet", request: { cpu: 100, memory: 50 }, count: 1, source: "kind const_cni.go" }],
  cluster: [
    { name: "kube-apiserver", request: { cpu: 250, memory: 0 }, count: 1, source: "kubeadm manifests.go" },
    { name: "kube-controller-manager", request: { cpu: 200, memory: 0 }, count: 1, source: "kubeadm manifests.go" },
    { name: "kube-scheduler", request: { cpu: 100, memory: 0 }, count: 1, source: "kubeadm manifests.go" },
    { name: "etcd", request: { cpu: 100, memory: 100 }, count: 1, source: "kubeadm etcd/local.go" },
    { name: "coredns", request: { cpu: 100, memory: 70 }, count: 2, source: "kubeadm's CoreDNS manifest" },
  ],
};

export function kindMinimumPool(): NodePool {
  return {
    label: `the minimum kind node (${KIND_MINIMUM_NODE.cpus} CPUs / ${KIND_MINIMUM_NODE.memoryGiB} GiB Docker VM)`,
    count: 1,
    allocatable: kindAllocatable(),
    platform: KIND_PLATFORM,
  };
}

export class UnknownNodeType extends Error {
  constructor(what: string, known: string[]) {
    super(`${what} is not in the capacity model's table (components/capacity/nodes.ts knows ${known.join(", ")}): add its vCPU, memory and pod limit with their source`);
  }
}
