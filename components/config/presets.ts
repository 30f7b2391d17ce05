import { PERSISTENCE_PRESETS, VISIBILITY_PRESETS } from "./storePresets";
import { IN_CLUSTER_MYSQL_PRESETS } from "../stores/in-cluster-mysql/config";
import { SECURITY_PRESETS } from "./securitySchema";
import type { BranchPresets } from "./merge";
import type { AwsConfig, AwsEcsConfig, AwsEksConfig } from "./awsSchema";
import type { AzureConfig } from "./azureSchema";
import type { ObservabilityConfig } from "./observabilitySchema";
import type { Environment, Platform, ResourcesConfig, StackConfig, WorkerConfig } from "./schema";
import { PRESET_KUBERNETES_VERSION } from "./kubernetesVersions";

/**
 * Every default of the stack config, found through presetFor (end of file): the environment
 * presets here, the platforms' below, and the store kinds' assembled in storePresets.ts. The
 * schema carries no default of its own (test/config/presets.test.ts). A stack file overrides them
 * key by key (objects merge, lists replace, merge.ts).
 *
 * Sizing follows Temporal's "Scaling Temporal: The Basics": services at 1 CPU / 1 GiB per pod held
 * ~400 state transitions/s on 512 shards; history is the role that grows with shards (it caches
 * shard state and mutable state), so it gets the most memory.
 */

export const SERVER_VERSION = "1.31.2";
/**
 * The release a cluster upgrades to SERVER_VERSION from: the newest patch of the minor just before
 * it (Temporal upgrades one minor at a time, versionSkew.ts), the version the real-run upgrade
 * suite deploys first (test/real/devPostgres.real.test.ts, its first steps) and tools/e2e/tools.sh builds beside it.
 * Bump it with SERVER_VERSION.
 */
export const PREVIOUS_SERVER_VERSION = "1.30.9";
export const UI_VERSION = "2.52.0";

const small = (cpu: string, memory: string): ResourcesConfig => ({
  requests: { cpu, memory },
  limits: { memory },
});

/** Off in dev (one pod is plenty to poke at); staging scales like production so the behaviour is tried first. */
const frontendAutoscaling = (enabled: boolean, minReplicas: number, maxReplicas: number) => ({ enabled, minReplicas, maxReplicas, targetCpuUtilization: 70 });

const base = {
  platform: "kubernetes",
  clusterName: "temporal",
  kubernetes: { namespace: "temporal", createNamespace: true, networkPolicies: true },
  temporal: {
    serverImage: `temporalio/server:${SERVER_VERSION}`,
    adminToolsImage: `temporalio/admin-tools:${SERVER_VERSION}`,
    allowVersionSkew: false,
    logLevel: "info",
    dynamicConfig: {},
  },
  visibility: { store: "sql" },
  // Archives cost storage for as long as they are kept: a stack file turns archival on.
  archival: { enabled: false, history: true, visibility: true, lifecycle: {} },
} as const;



const webConsole = (replicas: number) => ({
  enabled: true,
  image: `temporalio/ui:${UI_VERSION}`,
  replicas,
  resources: small("100m", "256Mi"),
  corsOrigins: [],
  // Off by default: without an Ingress the console is reached by kubectl port-forward only.
  auth: { enabled: false, scopes: ["openid", "profile", "email"] },
  ingress: { enabled: false, annotations: {} },
  allowUnauthenticated: false,
});

/**
 * Observability defaults. The Prometheus Operator stays off everywhere: the EKS and AKS clusters
 * the kit creates do not have its CRDs, and a ServiceMonitor without them fails the deploy; a
 * stack on a cluster that runs kube-prometheus-stack turns it on. Dashboards (plain ConfigMaps)
 * and CloudWatch metrics on ECS cost little and are on outside dev.
 */
const observability = (environment: Environment): ObservabilityConfig => ({
  prometheusOperator: false,
  scrapeInterval: "30s",
  operatorLabels: {},
  dashboards: { enabled: environment !== "dev", labels: { grafana_dashboard: "1" } },
  alerts: {
    enabled: true,
    thresholds: {
      serviceErrorRatio: 0.05,
      persistenceErrorRatio: 0.01,
      persistenceLatencyP99Seconds: 1,
      lockLatencyP99Seconds: 1,
      taskBacklogWaitP95Seconds: 10,
      resourceExhaustedRatio: 0.01,
      membershipChangesPer10m: 6,
      shardClosesPer10m: 50,
    },
  },
  ecsMetrics: environment === "dev" ? "none" : "cloudwatch",
});

export const PRESETS: Record<Environment, StackConfig> = {
  dev: {
    ...base,
    environment: "dev",
    observability: observability("dev"),
    // Dev stays easy to poke at; staging and production are locked down.
    kubernetes: { ...base.kubernetes, networkPolicies: false },
    temporal: { ...base.temporal, numHistoryShards: 4 },
    roles: {
      frontend: { replicas: 1, resources: small("100m", "256Mi"), autoscaling: frontendAutoscaling(false, 1, 2) },
      history: { replicas: 1, resources: small("200m", "512Mi") },
      matching: { replicas: 1, resources: small("100m", "256Mi") },
      worker: { replicas: 1, resources: small("100m", "256Mi") },
      internalFrontend: { enabled: false, replicas: 1, resources: small("100m", "256Mi") },
    },
    persistence: IN_CLUSTER_MYSQL_PRESETS.dev,
    webConsole: webConsole(1),
    workers: [],
    namespaces: [{ name: "default", retention: "24h", description: "Default namespace for development" }],
    security: SECURITY_PRESETS.off,
  },
  staging: {
    ...base,
    environment: "staging",
    observability: observability("staging"),
    temporal: { ...base.temporal, numHistoryShards: 512 },
    roles: {
      frontend: { replicas: 2, resources: small("500m", "1Gi"), autoscaling: frontendAutoscaling(true, 2, 4) },
      history: { replicas: 2, resources: small("1", "2Gi") },
      matching: { replicas: 2, resources: small("500m", "1Gi") },
      worker: { replicas: 2, resources: small("250m", "512Mi") },
      internalFrontend: { enabled: false, replicas: 2, resources: small("250m", "512Mi") },
    },
    persistence: IN_CLUSTER_MYSQL_PRESETS.staging,
    webConsole: webConsole(2),
    workers: [],
    namespaces: [{ name: "default", retention: "72h", description: "Default namespace" }],
    security: SECURITY_PRESETS.locked,
  },
  production: {
    ...base,
    environment: "production",
    observability: observability("production"),
    temporal: { ...base.temporal, numHistoryShards: 512 },
    roles: {
      frontend: { replicas: 3, resources: small("1", "1Gi"), autoscaling: frontendAutoscaling(true, 3, 8) },
      history: { replicas: 3, resources: small("2", "4Gi") },
      matching: { replicas: 3, resources: small("1", "1Gi") },
      worker: { replicas: 2, resources: small("500m", "512Mi") },
      internalFrontend: { enabled: false, replicas: 2, resources: small("500m", "512Mi") },
    },
    persistence: IN_CLUSTER_MYSQL_PRESETS.production,
    webConsole: webConsole(2),
    workers: [],
    namespaces: [{ name: "default", retention: "7d", description: "Default namespace" }],
    security: SECURITY_PRESETS.locked,
  },
};

const AWS_NETWORK: Record<Environment, AwsConfig["network"]> = {
  dev: { mode: "create", cidrBlock: "10.40.0.0/16", availabilityZones: 2, natGateways: "single" },
  staging: { mode: "create", cidrBlock: "10.41.0.0/16", availabilityZones: 2, natGateways: "single" },
  production: { mode: "create", cidrBlock: "10.42.0.0/16", availabilityZones: 3, natGateways: "per-az" },
};

/**
 * EKS defaults, the same node shapes as the AKS presets. No cluster autoscaler runs on the kit's
 * clusters, so the desired size must hold every pod (the frontend at its autoscaler's ceiling)
 * plus whatever a change starts at once (a role's rolling-update surge, Jobs), node by node: a pod
 * needs one node with room for all of it. test/stacks/capacity.test.ts checks that on every stack
 * (components/capacity/). Staging asks for ~6.2 vCPU (the EKS add-ons and four frontends included)
 * plus history's 1 vCPU surge: 3 x m6i.xlarge (4 vCPU / 16 GiB; on 3 x m6i.large the pods did not
 * fit even at rest). Production asks for ~18.7 vCPU (eight frontends) plus history's 2 vCPU surge:
 * 6 x m6i.2xlarge (8 vCPU / 32 GiB) over 3 zones; on 4-vCPU nodes the pods spread until no node
 * kept 2 vCPU free for the surge, even with nine of them. The API endpoint is public with the
 * private one beside it for the nodes; who may reach the public one is a stack file decision
 * outside dev. The Kubernetes version is the newest under EKS standard support that the kit's
 * manifests are checked against (PRESET_KUBERNETES_VERSION, kubernetesVersions.ts).
 */
const EKS: Record<Environment, AwsEksConfig> = {
  dev: {
    mode: "create",
    kubernetesVersion: PRESET_KUBERNETES_VERSION,
    nodeGroup: { instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 2, maxSize: 3, diskSizeGb: 50 },
    endpointPublicAccess: true,
  },
  staging: {
    mode: "create",
    kubernetesVersion: PRESET_KUBERNETES_VERSION,
    nodeGroup: { instanceTypes: ["m6i.xlarge"], minSize: 2, desiredSize: 3, maxSize: 6, diskSizeGb: 50 },
    endpointPublicAccess: true,
  },
  production: {
    mode: "create",
    kubernetesVersion: PRESET_KUBERNETES_VERSION,
    nodeGroup: { instanceTypes: ["m6i.2xlarge"], minSize: 3, desiredSize: 6, maxSize: 12, diskSizeGb: 100 },
    // Public, because the run that creates the VPC cannot reach a private-only endpoint; staging and
    // production must then name publicAccessCidrs, and may close it later (privateAccessCidrs).
    endpointPublicAccess: true,
  },
};

/**
 * ECS Fargate defaults. The web console sits behind an internal load balancer that only the VPC
 * reaches; exposing it is a stack file decision (and needs a certificate in production). Logs are
 * kept long enough to investigate an incident after a holiday (staging) or an audit (production).
 */
const ECS: Record<Environment, AwsEcsConfig> = {
  dev: { logRetentionDays: 7, containerInsights: false, webConsole: { internetFacing: false } },
  staging: { logRetentionDays: 30, containerInsights: true, webConsole: { internetFacing: false } },
  production: { logRetentionDays: 90, containerInsights: true, webConsole: { internetFacing: false } },
};

/** AWS defaults for a stack file that picks an AWS platform: the network plus EKS or ECS. */
function awsPresetFor(environment: Environment, platform: Platform): AwsConfig | undefined {
  switch (platform) {
    case "aws-eks":
      return { network: AWS_NETWORK[environment], eks: EKS[environment] };
    case "aws-ecs":
      return { network: AWS_NETWORK[environment], ecs: ECS[environment] };
    case "kubernetes":
    case "azure-aks":
      return undefined;
  }
}

/**
 * AKS defaults: node pools that hold every pod, the frontend at its autoscaler's ceiling, plus a
 * role's rolling-update surge, node by node, with the nodes they start with (the pool's autoscaler
 * adds one only after a pod has waited; test/stacks/capacity.test.ts), over three zones in
 * production, with a private API server there. The EKS presets use the same node shapes and the
 * same Kubernetes version, one AKS creates under community support (kubernetesVersions.ts).
 */
const AZURE_PRESETS: Record<Environment, AzureConfig> = {
  dev: {
    location: "westeurope",
    network: { addressSpace: "10.50.0.0/16" },
    aks: { mode: "create", kubernetesVersion: PRESET_KUBERNETES_VERSION, nodePool: { vmSize: "Standard_D4s_v5", minCount: 1, count: 2, maxCount: 3, osDiskSizeGb: 128 }, availabilityZones: [], privateCluster: false },
  },
  staging: {
    location: "westeurope",
    network: { addressSpace: "10.51.0.0/16" },
    aks: { mode: "create", kubernetesVersion: PRESET_KUBERNETES_VERSION, nodePool: { vmSize: "Standard_D4s_v5", minCount: 2, count: 3, maxCount: 6, osDiskSizeGb: 128 }, availabilityZones: ["1", "2", "3"], privateCluster: false },
  },
  production: {
    location: "westeurope",
    network: { addressSpace: "10.52.0.0/16" },
    aks: { mode: "create", kubernetesVersion: PRESET_KUBERNETES_VERSION, nodePool: { vmSize: "Standard_D8s_v5", minCount: 3, count: 6, maxCount: 12, osDiskSizeGb: 128 }, availabilityZones: ["1", "2", "3"], privateCluster: true },
  },
};

/**
 * The defaults of a worker pool's optional keys. A stack file's list of pools replaces the
 * preset's whole (merge.ts), so no preset reaches inside a pool: the runtimes read the default
 * here rather than each spelling it.
 */
const WORKER_POOL_DEFAULTS = { egress: "any" } as const satisfies Partial<WorkerConfig>;

/** What the pool's pods may reach: the stack file's choice, else any address (activities call the services they were written for). */
export const workerEgressOf = (pool: WorkerConfig): NonNullable<WorkerConfig["egress"]> => pool.egress ?? WORKER_POOL_DEFAULTS.egress;

/** The defaults a stack file of this environment and platform is merged on, in full. */
export interface Preset {
  /** The whole config, the preset's own union branches included. */
  config: StackConfig;
  /** The defaults of every union branch the stack file may pick instead of the preset's (merge.ts). */
  branches: BranchPresets;
}

/** The one lookup of defaults: the environment's, its platform's (the environment's own when none is given), and every store kind's. */
export function presetFor(environment: Environment, platform: Platform = PRESETS[environment].platform): Preset {
  const aws = awsPresetFor(environment, platform);
  const azure = platform === "azure-aks" ? AZURE_PRESETS[environment] : undefined;
  return {
    config: { ...PRESETS[environment], platform, ...(aws ? { aws } : {}), ...(azure ? { azure } : {}) },
    branches: {
      persistence: PERSISTENCE_PRESETS[environment],
      visibility: VISIBILITY_PRESETS[environment],
      // A visibility server of its own takes the defaults of its hosting, as the default store does.
      "visibility.server": PERSISTENCE_PRESETS[environment],
    },
  };
}
