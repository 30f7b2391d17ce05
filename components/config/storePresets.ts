import type { AzureConfig } from "./azureSchema";
import { ENVIRONMENTS, type Environment, type PersistenceConfig, type VisibilityConfig } from "./schema";
import { AZURE_MYSQL_PRESETS, AZURE_POSTGRES_PRESETS } from "../stores/azure-flexible-server/config";
import { COSMOS_CASSANDRA_PRESETS } from "../stores/cosmos-cassandra/config";
import { IN_CLUSTER_CASSANDRA_PRESETS } from "../stores/in-cluster-cassandra/config";
import { IN_CLUSTER_ELASTICSEARCH_PRESETS } from "../stores/in-cluster-elasticsearch/config";
import { MANAGED_CASSANDRA_PRESETS } from "../stores/managed-cassandra/config";
import { OPENSEARCH_PRESETS } from "../stores/opensearch/config";

export { SQL_ACCOUNT } from "../stores/sql/config";
import { PRESET_KUBERNETES_VERSION } from "./kubernetesVersions";

/**
 * Defaults for the Cassandra, Azure and search stores, merged under a stack file that picks them.
 * Each store kind keeps its own presets and says why they are sized so (components/stores/<kind>/config.ts).
 */

/** Every store kind's presets but the in-cluster MySQL server's, which is the environment presets' own default store. */
export const STORE_PRESETS: Record<Environment, Partial<Record<PersistenceConfig["hosting"], PersistenceConfig>>> = Object.fromEntries(
  ENVIRONMENTS.map((environment) => [
    environment,
    {
      "in-cluster-cassandra": IN_CLUSTER_CASSANDRA_PRESETS[environment],
      "azure-mysql": AZURE_MYSQL_PRESETS[environment],
      "azure-postgres": AZURE_POSTGRES_PRESETS[environment],
      "azure-managed-cassandra": MANAGED_CASSANDRA_PRESETS[environment],
      "azure-cosmos-cassandra": COSMOS_CASSANDRA_PRESETS[environment],
    },
  ]),
) as Record<Environment, Partial<Record<PersistenceConfig["hosting"], PersistenceConfig>>>;

/** Visibility defaults by store; `sql-server` takes its server's defaults from the store presets. */
export const VISIBILITY_PRESETS: Record<Environment, Partial<Record<VisibilityConfig["store"], VisibilityConfig>>> = Object.fromEntries(
  ENVIRONMENTS.map((environment) => [
    environment,
    {
      sql: { store: "sql" },
      ...(IN_CLUSTER_ELASTICSEARCH_PRESETS[environment] ? { elasticsearch: IN_CLUSTER_ELASTICSEARCH_PRESETS[environment] } : {}),
      opensearch: OPENSEARCH_PRESETS[environment],
    },
  ]),
) as Record<Environment, Partial<Record<VisibilityConfig["store"], VisibilityConfig>>>;

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
