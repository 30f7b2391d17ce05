import type { AzureConfig } from "./azureSchema";
import type { Environment, PersistenceConfig, VisibilityConfig } from "./schema";
import { PRESET_KUBERNETES_VERSION } from "./kubernetesVersions";

/**
 * Defaults for the Cassandra, Azure and search stores, merged under a stack file that picks them.
 *
 * Cassandra: three nodes with replication factor 3 outside dev, so LOCAL_QUORUM (two of three)
 * survives a node; heap at half the container memory up to 8 GiB, Cassandra's own guidance. Azure:
 * Flexible Servers sized like RDS (production 4 vCPU / 16 GiB General Purpose, zone-redundant, geo
 * backups); Managed Instance for Cassandra starts at its minimum of three nodes per data center, on
 * its smallest documented size. Every size is one its service offers (azureSkus.ts): MySQL's
 * General Purpose tier has Standard_D4ads_v5 but not PostgreSQL's Standard_D4ds_v5, and a new
 * Cassandra data center takes E-series v5 sizes only.
 */

const resources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });
/** The Temporal account, databases and connection pool every SQL store preset starts from. */
export const SQL_ACCOUNT = { user: "temporal", database: "temporal", visibilityDatabase: "temporal_visibility", pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" } } as const;

const inClusterCassandra = (replicas: number, storageSize: string, cpu: string, memory: string, heapSize: string): PersistenceConfig => ({
  hosting: "in-cluster-cassandra",
  engine: "cassandra",
  image: "cassandra:5.0.4",
  replicas,
  datacenter: "dc1",
  replicationFactor: Math.min(3, replicas),
  storageSize,
  resources: resources(cpu, memory),
  heapSize,
  keyspace: "temporal",
  maxConns: 10,
});

type Flexible = "azure-mysql" | "azure-postgres";
const flexible = (hosting: Flexible, skuName: string, tier: "Burstable" | "GeneralPurpose", storageGb: number, production: boolean): PersistenceConfig =>
  ({
    hosting,
    // 8.0.21 is the MySQL version the Flexible Server API lists; 8.4 is not in the SDK's enum yet.
    ...(hosting === "azure-mysql" ? { engine: "mysql8", version: "8.0.21" } : { engine: "postgres12", version: "16" }),
    skuName,
    tier,
    storageGb,
    highAvailability: production,
    geoRedundantBackup: production,
    backupRetentionDays: production ? 14 : 7,
    ...SQL_ACCOUNT,
  }) as PersistenceConfig;

const managedCassandra = (skuName: string, disksPerNode: number): PersistenceConfig => ({
  hosting: "azure-managed-cassandra",
  engine: "cassandra",
  cassandraVersion: "4.1",
  datacenter: "dc1",
  nodeCount: 3,
  skuName,
  disksPerNode,
  replicationFactor: 3,
  keyspace: "temporal",
  maxConns: 10,
});

const cosmosCassandra = (maxRu: number): PersistenceConfig => ({
  hosting: "azure-cosmos-cassandra",
  engine: "cassandra",
  keyspace: "temporal",
  throughput: { mode: "autoscale", maxRu },
  multiRegionWrites: false,
  maxConns: 10,
});

export const STORE_PRESETS: Record<Environment, Partial<Record<PersistenceConfig["hosting"], PersistenceConfig>>> = {
  dev: {
    "in-cluster-cassandra": inClusterCassandra(1, "10Gi", "500m", "2Gi", "1G"),
    "azure-mysql": flexible("azure-mysql", "Standard_B1ms", "Burstable", 32, false),
    "azure-postgres": flexible("azure-postgres", "Standard_B1ms", "Burstable", 32, false),
    "azure-managed-cassandra": managedCassandra("Standard_E8s_v5", 1),
    "azure-cosmos-cassandra": cosmosCassandra(4000),
  },
  staging: {
    "in-cluster-cassandra": inClusterCassandra(3, "50Gi", "1", "8Gi", "4G"),
    "azure-mysql": flexible("azure-mysql", "Standard_B2ms", "Burstable", 64, false),
    "azure-postgres": flexible("azure-postgres", "Standard_B2ms", "Burstable", 64, false),
    "azure-managed-cassandra": managedCassandra("Standard_E8s_v5", 2),
    "azure-cosmos-cassandra": cosmosCassandra(4000),
  },
  production: {
    "in-cluster-cassandra": inClusterCassandra(3, "200Gi", "4", "16Gi", "8G"),
    "azure-mysql": flexible("azure-mysql", "Standard_D4ads_v5", "GeneralPurpose", 256, true),
    "azure-postgres": flexible("azure-postgres", "Standard_D4ds_v5", "GeneralPurpose", 256, true),
    "azure-managed-cassandra": managedCassandra("Standard_E8s_v5", 4),
    "azure-cosmos-cassandra": cosmosCassandra(20000),
  },
};

const VISIBILITY_INDEX = "temporal_visibility_v1";

/** Visibility defaults by store; `sql-server` takes its server's defaults from the store presets. */
export const VISIBILITY_PRESETS: Record<Environment, Partial<Record<VisibilityConfig["store"], VisibilityConfig>>> = {
  dev: {
    sql: { store: "sql" },
    elasticsearch: {
      store: "elasticsearch",
      hosting: "in-cluster",
      image: "docker.elastic.co/elasticsearch/elasticsearch:8.17.4",
      storageSize: "10Gi",
      resources: resources("500m", "2Gi"),
      heapSize: "1G",
      index: VISIBILITY_INDEX,
    },
    opensearch: { store: "opensearch", hosting: "aws", engineVersion: "OpenSearch_2.19", instanceType: "t3.medium.search", instanceCount: 1, dedicatedMasters: false, volumeSizeGb: 20, index: VISIBILITY_INDEX, createServiceLinkedRole: false },
  },
  staging: {
    sql: { store: "sql" },
    opensearch: { store: "opensearch", hosting: "aws", engineVersion: "OpenSearch_2.19", instanceType: "r6g.large.search", instanceCount: 2, dedicatedMasters: false, volumeSizeGb: 50, index: VISIBILITY_INDEX, createServiceLinkedRole: false },
  },
  production: {
    sql: { store: "sql" },
    opensearch: { store: "opensearch", hosting: "aws", engineVersion: "OpenSearch_2.19", instanceType: "r6g.large.search", instanceCount: 3, dedicatedMasters: true, volumeSizeGb: 200, index: VISIBILITY_INDEX, createServiceLinkedRole: false },
  },
};

/**
 * AKS defaults: node pools that hold every pod, the frontend at its autoscaler's ceiling, plus a
 * role's rolling-update surge, node by node, with the nodes they start with (the pool's autoscaler
 * adds one only after a pod has waited; test/stacks/capacity.test.ts), over three zones in
 * production, with a private API server there. The EKS presets use the same node shapes and the
 * same Kubernetes version, one AKS creates under community support (kubernetesVersions.ts).
 */
export const AZURE_PRESETS: Record<Environment, AzureConfig> = {
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
