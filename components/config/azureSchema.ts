import { z } from "zod";
import { cassandraMaxConns, datacenterName, keyspaceName } from "./cassandraSchema";
import { cidr, sqlIdentifier, sqlPool } from "./primitives";

/** The Azure parts of the stack config: region, network, AKS and the Azure data stores. */

const createdAks = z.strictObject({
  mode: z.literal("create"),
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, "must be an AKS Kubernetes version such as 1.33"),
  nodePool: z.strictObject({
    vmSize: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, "must be an Azure VM size such as Standard_D4s_v5"),
    minCount: z.number().int().min(1),
    count: z.number().int().min(1),
    maxCount: z.number().int().min(1),
    osDiskSizeGb: z.number().int().min(30).max(2048),
  }),
  availabilityZones: z.array(z.enum(["1", "2", "3"])),
  privateCluster: z.boolean(),
  authorizedIpRanges: z.array(cidr).optional(),
});

const existingAks = z.strictObject({
  mode: z.literal("existing"),
  resourceGroupName: z.string().min(1),
  clusterName: z.string().min(1),
});

export const azureConfig = z.strictObject({
  location: z.string().regex(/^[a-z0-9]+$/, "must be an Azure region name such as westeurope"),
  network: z.strictObject({
    addressSpace: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/16$/, "must be an IPv4 /16 such as 10.50.0.0/16"),
  }),
  aks: z.discriminatedUnion("mode", [createdAks, existingAks]),
  /**
   * This tenant's object id of the Azure Cosmos DB service principal, which Managed Instance for
   * Apache Cassandra needs as Network Contributor on the virtual network (a per-tenant value).
   */
  cosmosDbPrincipalObjectId: z.string().uuid("must be an object id (a GUID)").optional(),
  /**
   * Service principals (e.g. an operators' automation identity) allowed to read the stores'
   * passwords from Key Vault; with any, the kit keeps the passwords there too, outside the cluster.
   */
  secretReaderPrincipalIds: z.array(z.string().uuid("must be an object id (a GUID)")).optional(),
});
export type AzureConfig = z.infer<typeof azureConfig>;

const flexibleServer = {
  skuName: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, "must be a Flexible Server SKU such as Standard_D4ads_v5"),
  tier: z.enum(["Burstable", "GeneralPurpose", "MemoryOptimized"]),
  storageGb: z.number().int().min(20).max(16384),
  /** Zone-redundant standby. */
  highAvailability: z.boolean(),
  geoRedundantBackup: z.boolean(),
  backupRetentionDays: z.number().int().min(1).max(35),
  user: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, "must be an administrator login (letters, digits, _)"),
  database: sqlIdentifier,
  visibilityDatabase: sqlIdentifier,
  pool: sqlPool,
};

export const azureMysql = z.strictObject({
  hosting: z.literal("azure-mysql"),
  engine: z.literal("mysql8"),
  version: z.enum(["8.0.21", "8.4"]),
  ...flexibleServer,
});

export const azurePostgres = z.strictObject({
  hosting: z.literal("azure-postgres"),
  engine: z.literal("postgres12"),
  version: z.enum(["14", "15", "16", "17"]),
  ...flexibleServer,
});

export const azureManagedCassandra = z.strictObject({
  hosting: z.literal("azure-managed-cassandra"),
  engine: z.literal("cassandra"),
  cassandraVersion: z.enum(["4.0", "4.1", "5.0"]),
  datacenter: datacenterName,
  nodeCount: z.number().int().min(3).max(100),
  skuName: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, "must be an Azure VM size such as Standard_E8s_v5"),
  disksPerNode: z.number().int().min(1).max(10),
  replicationFactor: z.number().int().min(1).max(7),
  keyspace: keyspaceName,
  maxConns: cassandraMaxConns,
});

export const azureCosmosCassandra = z.strictObject({
  hosting: z.literal("azure-cosmos-cassandra"),
  engine: z.literal("cassandra"),
  keyspace: keyspaceName,
  throughput: z.discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("manual"), ru: z.number().int().min(400).max(1_000_000) }),
    z.strictObject({ mode: z.literal("autoscale"), maxRu: z.number().int().min(1000).max(1_000_000) }),
  ]),
  multiRegionWrites: z.boolean(),
  maxConns: cassandraMaxConns,
});
