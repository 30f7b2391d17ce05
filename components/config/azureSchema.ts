import { z } from "zod";
import { cidr } from "./primitives";

/** The Azure parts of the stack config: region, network, AKS and the Azure data stores. */

/** AKS accepts at most this many authorized IP ranges on a public API server. */
export const MAX_AUTHORIZED_IP_RANGES = 200;

const resourceGroupName = z.string().regex(/^[-\w.()]{0,89}[-\w()]$/, "must be an Azure resource group name (up to 90 letters, digits, -, _, ., ( and ), not ending in .)");
const virtualNetworkName = z.string().regex(/^[A-Za-z0-9]([-\w.]{0,62}\w)?$/, "must be an Azure virtual network name (up to 64 letters, digits, -, _ and ., starting with a letter or digit)");
const subnetName = z.string().regex(/^[A-Za-z0-9]([-\w.]{0,78}\w)?$/, "must be an Azure subnet name (up to 80 letters, digits, -, _ and ., starting with a letter or digit)");

/** A virtual network in the stack's subscription, by resource group and name. */
const virtualNetworkRef = {
  resourceGroupName: resourceGroupName.meta({ description: "The resource group that holds the virtual network." }),
  virtualNetworkName: virtualNetworkName.meta({ description: "The virtual network's name." }),
};

const createdAks = z.strictObject({
  mode: z.literal("create").meta({ description: "The kit creates the AKS cluster and its node pool." }),
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, "must be an AKS Kubernetes minor version such as 1.36 (AKS picks and keeps the latest patch)").meta({ description: "The Kubernetes minor version of the AKS cluster the kit creates." }),
  nodePool: z.strictObject({
    vmSize: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, "must be an Azure VM size such as Standard_D4s_v5").meta({ description: "The Azure VM size of the nodes." }),
    minCount: z.number().int().min(1).meta({ description: "The fewest nodes the pool's autoscaler keeps." }),
    count: z.number().int().min(1).meta({ description: "The nodes the pool starts with; they must hold every pod, since the autoscaler adds one only after a pod has waited." }),
    maxCount: z.number().int().min(1).meta({ description: "The most nodes the pool's autoscaler adds." }),
    osDiskSizeGb: z.number().int().min(30).max(2048).meta({ description: "Each node's OS disk, in GB." }),
  }),
  availabilityZones: z.array(z.enum(["1", "2", "3"])).meta({ description: "The zones the node pool spreads over; 3 in production." }),
  privateCluster: z.boolean().meta({ description: "An API server on a private address in the stack's network only; needs deployerNetwork (see azureRules)." }),
  authorizedIpRanges: z
    .array(cidr)
    .min(1, "must list at least one range, or be left out (which leaves a public API server open to all)")
    .max(MAX_AUTHORIZED_IP_RANGES, `must list at most ${MAX_AUTHORIZED_IP_RANGES} ranges, AKS's limit`)
    .optional().meta({ description: "Who may reach a public API server: the deployer's and the operators' public egress ranges." }),
  deployerNetwork: z.strictObject(virtualNetworkRef).optional().meta({ description: "With privateCluster: the virtual network `pulumi up` runs in (a self-hosted CI runner's, a jump host's). The kit peers it with the stack's network and links the API server's private DNS zone to it, so that the deployment reaches the API server it has just created." }),
});

const existingAks = z.strictObject({
  mode: z.literal("existing").meta({ description: "The kit deploys into an AKS cluster you already have, named by resourceGroupName and clusterName." }),
  resourceGroupName: z.string().min(1).meta({ description: "The resource group of the existing AKS cluster." }),
  clusterName: z.string().min(1).meta({ description: "The existing AKS cluster to deploy into." }),
  network: z
    .strictObject({
      ...virtualNetworkRef,
      subnetNames: z
        .array(subnetName)
        .min(1, "must list the subnet(s) the cluster's node pools use")
        .meta({ description: "Every subnet the cluster's node pools put nodes (or, with pod subnets, pods) in; each must already carry the service endpoints the stores' firewalls need." }),
    })
    .optional().meta({ description: "The virtual network the cluster runs in and every subnet its node pools put nodes or pods in. Required when the kit creates an Azure store or archive storage for the cluster: their firewalls admit these subnets, and the kit's store network is peered with this one (see azureRules)." }),
});

export const azureConfig = z.strictObject({
  location: z.string().regex(/^[a-z0-9]+$/, "must be an Azure region name such as westeurope").meta({ description: "The Azure region the stack's resources are created in." }),
  network: z.strictObject({
    addressSpace: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/16$/, "must be an IPv4 /16 such as 10.50.0.0/16").meta({ description: "The address space of the virtual network the kit creates." }),
  }),
  aks: z.discriminatedUnion("mode", [createdAks, existingAks]).meta({ description: "An AKS cluster the kit creates, or an existing one." }),
  cosmosDbPrincipalObjectId: z.string().uuid("must be an object id (a GUID)").optional().meta({ description: "This tenant's object id of the Azure Cosmos DB service principal, which Managed Instance for Apache Cassandra needs as Network Contributor on the virtual network (a per-tenant value)." }),
  secretReaderPrincipalIds: z.array(z.string().uuid("must be an object id (a GUID)")).optional().meta({ description: "Service principals (e.g. an operators' automation identity) allowed to read the stores' passwords from Key Vault; with any, the kit keeps the passwords there too, outside the cluster." }),
});
export type AzureConfig = z.infer<typeof azureConfig>;
