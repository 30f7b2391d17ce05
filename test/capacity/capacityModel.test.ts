import { describe, expect, it } from "vitest";
import { checkCapacity, concurrentChanges, type Workload } from "../../components/capacity/fit";
import {
  AKS_PLATFORM,
  aksAllocatable,
  aksReservedCpuMillicores,
  aksReservedMemoryMiB,
  EKS_PLATFORM,
  eksAllocatable,
  eksReservedCpuMillicores,
  eksReservedMemoryMiB,
  kindAllocatable,
  KIND_PLATFORM,
  type NodePool,
  type Platform,
} from "../../components/capacity/nodes";
import { containerRequest, millicores, podRequest } from "../../components/capacity/requests";
import { declaredNodes, deploymentSurge, type RecordLike, workloadsOf } from "../../components/capacity/stack";

const NO_PLATFORM: Platform = { perNode: [], cluster: [] };
const pool = (count: number, cpu: number, memory = 64 * 1024, platform = NO_PLATFORM): NodePool => ({ label: `${count} × test node`, count, allocatable: { cpu, memory }, platform });
const workload = (name: string, cpu: number, replicas: number, transient = 0, after: string[] = []): Workload => ({ name, pod: { cpu, memory: 64 }, replicas, transient, after });

describe("requests", () => {
  it("reads CPU quantities in millicores", () => {
    expect([millicores("100m"), millicores("1"), millicores("0.5"), millicores("2000m"), millicores(2)]).toEqual([100, 1000, 500, 2000, 2000]);
    expect(millicores("1k")).toBeUndefined();
  });

  it("takes a container's limit as its request when it sets none, as the API server defaults it", () => {
    expect(containerRequest({ resources: { limits: { cpu: "1", memory: "1Gi" } } })).toEqual({ cpu: 1000, memory: 1024 });
    expect(containerRequest({ resources: { requests: { cpu: "250m" }, limits: { memory: "512Mi" } } })).toEqual({ cpu: 250, memory: 512 });
    expect(containerRequest({})).toEqual({ cpu: 0, memory: 0 });
  });

  it("sizes a pod by the larger of its largest init container and its app containers' sum, per resource", () => {
    const spec = {
      initContainers: [{ resources: { requests: { cpu: "2", memory: "128Mi" } } }, { resources: { requests: { cpu: "100m", memory: "1Gi" } } }],
      containers: [{ resources: { requests: { cpu: "500m", memory: "256Mi" } } }, { resources: { requests: { cpu: "500m", memory: "256Mi" } } }],
    };
    expect(podRequest(spec)).toEqual({ cpu: 2000, memory: 1024 });
  });

  it("counts sidecars (restartable init containers) beside every later init container and beside the app", () => {
    const spec = {
      initContainers: [
        { restartPolicy: "Always", resources: { requests: { cpu: "100m", memory: "100Mi" } } },
        { resources: { requests: { cpu: "1", memory: "100Mi" } } },
      ],
      containers: [{ resources: { requests: { cpu: "200m", memory: "500Mi" } } }],
      overhead: { cpu: "10m", memory: "10Mi" },
    };
    // Init phase: 1000m + the sidecar's 100m; running: 200m + 100m. Memory: 100 + 100 vs 500 + 100.
    expect(podRequest(spec)).toEqual({ cpu: 1110, memory: 610 });
  });
});

describe("rollouts", () => {
  it("resolves maxSurge as a count or a percentage of replicas rounded up, 25% by default, none under Recreate", () => {
    expect(deploymentSurge(2, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } })).toBe(1);
    expect(deploymentSurge(2, undefined)).toBe(1);
    expect(deploymentSurge(8, undefined)).toBe(2);
    expect(deploymentSurge(3, { rollingUpdate: { maxSurge: "50%" } })).toBe(2);
    expect(deploymentSurge(3, { type: "Recreate" })).toBe(0);
  });

  it("lets two workloads change together unless one waits for the other, through any chain", () => {
    const workloads = [workload("a", 1, 1, 1), workload("b", 1, 1, 1, ["a"]), workload("c", 1, 1, 1, ["b"]), workload("d", 1, 1, 1), workload("steady", 1, 1)];
    const sets = concurrentChanges(workloads).map((set) => [...set].sort().join("+"));
    expect(sets.sort()).toEqual(["a+d", "b+d", "c+d"]);
  });
});

describe("fit", () => {
  it("fails a pod that fits the cluster's sum but no single node", () => {
    const report = checkCapacity({ nodes: pool(2, 1000), workloads: [workload("big", 600, 3)] });
    expect(report.fits).toBe(false);
    expect(report.steady.requested.cpu).toBe(1800);
    expect(report.problems).toEqual([expect.stringMatching(/^2 × test node: each node has 1,000m CPU .*; at rest, big #\d \(600m CPU \/ 64 MiB\) finds no node: the most left on any node is 400m CPU/)]);
  });

  it("spreads the steady pods as the scheduler does, so a surge needs one node with room, not room in total", () => {
    // Four 500m pods spread two per node leave 1,000m on each; a 1,500m surge fits neither, though 2,000m is free.
    const report = checkCapacity({ nodes: pool(2, 2000), workloads: [workload("small", 500, 4), workload("history", 1500, 0, 1)] });
    expect(report.steady.fits).toBe(true);
    expect(report.fits).toBe(false);
    expect(report.problems[0]).toMatch(/while history changes, history \(while it changes\) \(1,500m CPU \/ 64 MiB\) finds no node: the most left on any node is 1,000m CPU/);
  });

  it("adds the extra pods of workloads that change together, and not of those that wait for each other", () => {
    const nodes = pool(1, 1000);
    const together = checkCapacity({ nodes, workloads: [workload("a", 400, 1, 1), workload("b", 400, 0, 1)] });
    expect(together.fits).toBe(false);
    const inTurn = checkCapacity({ nodes, workloads: [workload("a", 400, 1, 1), workload("b", 400, 0, 1, ["a"])] });
    expect(inTurn.fits).toBe(true);
  });

  it("takes the platform's node agents and the stack's DaemonSets off every node, and places the platform's pods first", () => {
    const platform: Platform = { perNode: [{ name: "agent", request: { cpu: 100, memory: 0 }, count: 1, source: "test" }], cluster: [{ name: "dns", request: { cpu: 200, memory: 0 }, count: 2, source: "test" }] };
    const daemon: Workload = { ...workload("logs", 100, 1), perNode: true };
    const report = checkCapacity({ nodes: pool(2, 1000, 1024, platform), workloads: [daemon, workload("app", 600, 2)] });
    expect(report.perNode).toEqual({ cpu: 800, memory: 1024 - 64 });
    expect(report.fits).toBe(true);
    const tight = checkCapacity({ nodes: pool(2, 1000, 1024, platform), workloads: [daemon, workload("app", 650, 2)] });
    expect(tight.fits).toBe(false);
  });
});

describe("node allocatable", () => {
  it("reserves on EKS what nodeadm does: an m6i.large keeps 70m and 574 MiB (29 pods) for the kubelet", () => {
    expect([1, 2, 4, 8, 16].map(eksReservedCpuMillicores)).toEqual([60, 70, 80, 90, 110]);
    expect(eksReservedMemoryMiB(29)).toBe(574);
    expect(eksReservedMemoryMiB(58)).toBe(893);
    const large = eksAllocatable("m6i.large");
    expect(large.cpu).toBe(1930);
    // 8 GiB less 7.5% for the VM, 574 MiB kube-reserved and 100 MiB eviction threshold.
    expect(large.memory).toBeCloseTo(8192 * 0.925 - 574 - 100, 6);
  });

  it("reserves on AKS what the reservations page says, with its own worked examples", () => {
    expect([2, 4, 8, 16].map(aksReservedCpuMillicores)).toEqual([100, 140, 180, 260]);
    // "8 GB memory, 30 pods: 20 MB * 30 + 50 MB = 650 MB"; "4 GB, 70 pods: 25% * 4 GB = 1000 MB" (the kit reads MiB).
    expect(aksReservedMemoryMiB(8, 30)).toBe(650);
    expect(aksReservedMemoryMiB(4, 70)).toBe(1024);
    // Overlay's 250 pods ask for 5,050: a 16 GiB node caps it at 25%.
    expect(aksReservedMemoryMiB(16, 250)).toBe(4096);
    expect(aksAllocatable("Standard_D4s_v5").cpu).toBe(3860);
  });

  it("names a node type it does not know, and where to add it", () => {
    expect(() => eksAllocatable("m7i.large")).toThrow(/EC2 instance type m7i\.large is not in the capacity model's table \(components\/capacity\/nodes\.ts knows m6i\.large/);
    expect(() => aksAllocatable("Standard_E8s_v5")).toThrow(/Azure VM size Standard_E8s_v5 is not in/);
  });

  it("gives a kind node the Docker VM less its overhead and eviction threshold, and puts kind's control plane on it", () => {
    expect(kindAllocatable()).toEqual({ cpu: 4000, memory: 8192 * 0.925 - 100 });
    const controlPlane = KIND_PLATFORM.cluster.reduce((total, pod) => total + pod.request.cpu * pod.count, 0) + KIND_PLATFORM.perNode[0].request.cpu;
    expect(controlPlane).toBe(950);
  });

  it("allows at least what the EKS and AKS add-ons it lists request on every node", () => {
    const perNode = (platform: Platform) => platform.perNode.reduce((total, pod) => total + pod.request.cpu * pod.count, 0);
    expect(perNode(EKS_PLATFORM)).toBe(250);
    expect(perNode(AKS_PLATFORM)).toBe(300);
  });
});

describe("reading a synthesized stack", () => {
  const deployment = (name: string, replicas: number, cpu: string) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "t" },
    spec: { replicas, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, template: { spec: { containers: [{ resources: { requests: { cpu, memory: "1Gi" } } }] } } },
  });
  const record = (urn: string, type: string, inputs: Record<string, unknown>, dependsOn: string[] = []): RecordLike => ({ urn, type, custom: true, dependsOn, inputs });

  it("orders workloads by what they depend on, through other resources", () => {
    const records = [
      record("job", "kubernetes:batch/v1:Job", { kind: "Job", metadata: { name: "schema" }, spec: { template: { spec: { containers: [{ resources: { requests: { cpu: "100m", memory: "128Mi" } } }] } } } }),
      record("config", "kubernetes:core/v1:ConfigMap", { kind: "ConfigMap", metadata: { name: "c" } }, ["job"]),
      record("history", "kubernetes:apps/v1:Deployment", deployment("history", 2, "1"), ["config"]),
      record("web", "kubernetes:apps/v1:Deployment", { ...deployment("web", 2, "100m"), spec: { ...deployment("web", 2, "100m").spec, strategy: undefined } }),
    ];
    expect(workloadsOf(records)).toEqual([
      { name: "Job schema", pod: { cpu: 100, memory: 128 }, replicas: 0, transient: 1, after: [] },
      { name: "Deployment t/history", pod: { cpu: 1000, memory: 1024 }, replicas: 2, transient: 1, after: ["Job schema"] },
      { name: "Deployment t/web", pod: { cpu: 100, memory: 1024 }, replicas: 2, transient: 1, after: [] },
    ]);
  });

  it("counts a Deployment a HorizontalPodAutoscaler scales at the autoscaler's maximum", () => {
    const records = [
      record("frontend", "kubernetes:apps/v1:Deployment", deployment("frontend", 2, "500m")),
      record("hpa", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "frontend", namespace: "t" },
        spec: { minReplicas: 2, maxReplicas: 4, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "frontend" } },
      }),
    ];
    expect(workloadsOf(records)).toEqual([{ name: "Deployment t/frontend", pod: { cpu: 500, memory: 1024 }, replicas: 4, transient: 1, after: [] }]);
  });

  it("reads the nodes an EKS node group or AKS pool declares, the smallest of its types, and skips ECS and existing clusters", () => {
    const eks = declaredNodes([record("ng", "aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["m6i.2xlarge", "m6i.xlarge"], scalingConfig: { desiredSize: 4, minSize: 2, maxSize: 6 } })]);
    expect(eks).toMatchObject({ kind: "nodes", pool: { label: "4 × m6i.xlarge (EKS node group)", count: 4, allocatable: eksAllocatable("m6i.xlarge") } });
    const aks = declaredNodes([record("mc", "azure-native:containerservice:ManagedCluster", { agentPoolProfiles: [{ vmSize: "Standard_D8s_v5", count: 6, maxPods: 110 }] })]);
    expect(aks).toMatchObject({ kind: "nodes", pool: { count: 6, allocatable: aksAllocatable("Standard_D8s_v5", 110) } });
    expect(declaredNodes([record("ecs", "aws:ecs/cluster:Cluster", {})])).toMatchObject({ kind: "none", reason: expect.stringMatching(/Fargate/) });
    expect(declaredNodes([{ ...record("eks", "temporal-kit:aws:EksCluster", {}), custom: false }])).toMatchObject({ kind: "none", reason: expect.stringMatching(/existing cluster/) });
    expect(declaredNodes([])).toEqual({ kind: "plain-kubernetes" });
  });
});
