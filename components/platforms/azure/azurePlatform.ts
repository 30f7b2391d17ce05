import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { childAfter, childOf } from "../../childOptions";
import type { StackConfig } from "../../config/schema";
import type { ManagedStores } from "../../stores/contract";
import { AksCluster } from "../../azure/aksCluster";
import { ExistingClusterNetwork } from "../../azure/clusterNetwork";
import { SecretVault } from "../../azure/keyVault";
import { flexibleServerOnAzure } from "../../stores/azure-flexible-server/onAzure";
import { cosmosCassandraOnAzure } from "../../stores/cosmos-cassandra/onAzure";
import { managedCassandraOnAzure } from "../../stores/managed-cassandra/onAzure";
import { AzureNetwork, type AksServiceEndpoint } from "../../azure/network";
import { NetworkPeering } from "../../azure/networkPeering";

export interface AzurePlatformArgs {
  config: StackConfig;
  /** From the Temporal connection budget; becomes the SQL servers' max_connections. */
  sqlConnectionsNeeded: number;
}

/**
 * Everything Temporal needs from an Azure subscription: a resource group, the virtual network, the
 * AKS cluster the Kubernetes platform deploys onto, and the stores the config picks (Flexible
 * Servers, Managed Instance for Apache Cassandra or Cosmos DB), all reachable only from the
 * cluster's network and only over TLS. With reader identities configured, the stores' passwords are
 * also kept in Key Vault, so that operators can reach them without the cluster and they outlive it.
 *
 * Two networks may join the kit's. A private API server is reached from the deployer's network,
 * peered with the kit's, so that the deployment that creates the cluster can also deploy onto it.
 * An existing cluster keeps its own network: the stores' firewalls admit its subnets, and the kit's
 * network, where the VNet-injected stores live, is peered with it.
 */
export class AzurePlatform extends pulumi.ComponentResource {
  readonly tags: Record<string, string>;
  readonly location: string;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly network: AzureNetwork;
  readonly aks: AksCluster;
  /**
   * The subnets the cluster's nodes and pods are in, which every store firewall admits: the kit's AKS
   * subnet, or the subnets an existing cluster's pools use (`azure.aks.network`), once checked.
   */
  readonly clusterSubnetIds: pulumi.Input<string>[];
  /** An existing cluster's network as the stores see it; with a store in the kit's network, peered with it. */
  readonly clusterNetwork?: ExistingClusterNetwork;
  /** With a private cluster: the peering that lets the deployer's network reach its API server. */
  readonly deployerPeering?: NetworkPeering;
  readonly managedStores: ManagedStores = {};
  /** host:port of the default store, for the stack outputs. */
  readonly databaseEndpoint?: pulumi.Output<string>;
  readonly vault?: SecretVault;

  constructor(name: string, args: AzurePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:AzurePlatform", name, {}, opts);
    const { config } = args;
    const azure = config.azure;
    if (!azure) throw new Error("the Azure platform needs the azure config (checked by the stack config)");
    const production = config.environment === "production";
    const tags = (this.tags = {
      "temporal-kit-cluster": config.clusterName,
      "temporal-kit-environment": config.environment,
      "managed-by": "pulumi",
    });
    const child = childOf(this, opts);
    // Temporal's state cannot be rebuilt: in production Pulumi refuses to delete the stores (children inherit it).
    const storeOptions = { ...child, protect: production };
    const location = (this.location = azure.location);

    const group = new resources.ResourceGroup(`${name}-rg`, { location, tags }, child);
    this.resourceGroupName = group.name;
    const resourceGroupName = group.name;

    const cassandra = config.persistence.hosting === "azure-managed-cassandra";
    // Checked by the stack config: the network is created in this run, so the Azure Cosmos DB
    // principal can only get its role here, and the data center waits for it (cassandraReady).
    if (cassandra && azure.cosmosDbPrincipalObjectId === undefined) {
      throw new Error("Managed Instance for Apache Cassandra needs azure.cosmosDbPrincipalObjectId (checked by the stack config)");
    }
    const aks = azure.aks;
    // The firewalls that admit the cluster's subnets: the archive account, the Cosmos DB account, the vault.
    const firewalledServices: AksServiceEndpoint[] = [
      ...(config.archival.enabled ? (["Microsoft.Storage"] as const) : []),
      ...(config.persistence.hosting === "azure-cosmos-cassandra" ? (["Microsoft.AzureCosmosDB"] as const) : []),
      ...(azure.secretReaderPrincipalIds?.length ? (["Microsoft.KeyVault"] as const) : []),
    ];
    this.network = new AzureNetwork(
      `${name}-network`,
      {
        resourceGroupName,
        location,
        addressSpace: azure.network.addressSpace,
        // Only for Managed Cassandra: the Cosmos DB principal's Network Contributor role on the
        // network, and the NAT gateway its nodes reach Azure's management services through.
        ...(cassandra ? { cosmosDbPrincipalObjectId: azure.cosmosDbPrincipalObjectId, cassandraOutbound: true } : {}),
        // An existing cluster's nodes are in its own subnets, which carry the endpoints instead.
        aksServiceEndpoints: aks.mode === "create" ? firewalledServices : [],
        tags,
      },
      child,
    );
    const storeNetwork = { resourceGroupName, virtualNetworkName: this.network.vnetName, id: this.network.vnetId, addressSpace: azure.network.addressSpace };

    // A private API server has only an address in the network created above: the machine running
    // pulumi up reaches it through a peering from its own network (the config requires one).
    if (aks.mode === "create" && aks.privateCluster && aks.deployerNetwork) {
      this.deployerPeering = new NetworkPeering(
        `${name}-deployer-peering`,
        { local: storeNetwork, remote: aks.deployerNetwork, role: "the deployer's network" },
        // Azure serialises writes to a network: the peering waits for the subnets.
        childAfter(this, opts, [this.network]),
      );
    }
    const deployerPeering = this.deployerPeering;

    this.aks = new AksCluster(
      `${name}-aks`,
      aks.mode === "create"
        ? {
            mode: "create",
            resourceGroupName,
            location,
            kubernetesVersion: aks.kubernetesVersion,
            subnetId: this.network.subnetIds.aks,
            nodePool: { ...aks.nodePool, availabilityZones: aks.availabilityZones },
            privateCluster: aks.privateCluster,
            ...(aks.authorizedIpRanges ? { authorizedIpRanges: aks.authorizedIpRanges } : {}),
            ...(deployerPeering ? { deployerVnetId: deployerPeering.remoteNetworkId } : {}),
            skuTier: production ? "Standard" : "Free",
            tags,
          }
        : { mode: "existing", resourceGroupName: aks.resourceGroupName, clusterName: aks.clusterName, tags },
      deployerPeering ? childAfter(this, opts, deployerPeering.ready) : child,
    );

    const persistence = config.persistence;
    const visibility = config.visibility;
    const azureSqlVisibility = visibility.store === "sql-server" && (visibility.server.hosting === "azure-mysql" || visibility.server.hosting === "azure-postgres");
    // Stores with an address in the kit's network, rather than a firewall in front of a public endpoint.
    const storeInNetwork = ["azure-mysql", "azure-postgres", "azure-managed-cassandra"].includes(persistence.hosting) || azureSqlVisibility;
    if (aks.mode === "existing") {
      const clusterReaches = persistence.hosting.startsWith("azure-") || azureSqlVisibility || config.archival.enabled;
      if (clusterReaches && !aks.network) {
        throw new Error(`azure.aks.network is required for the existing cluster ${aks.clusterName}: the kit creates stores it must reach (checked by the stack config)`);
      }
      if (aks.network) {
        this.clusterNetwork = new ExistingClusterNetwork(
          `${name}-cluster-network`,
          {
            clusterName: this.aks.clusterName,
            clusterNetwork: this.aks.network,
            declared: aks.network,
            serviceEndpoints: firewalledServices,
            ...(storeInNetwork ? { storeNetwork } : {}),
          },
          childAfter(this, opts, [this.network]),
        );
      }
    }
    this.clusterSubnetIds = aks.mode === "create" ? [this.network.subnetIds.aks] : (this.clusterNetwork?.subnetIds ?? []);
    const clusterVnetIds = this.clusterNetwork?.vnetId ? [this.clusterNetwork.vnetId] : [];
    // Temporal's traffic to a store in the kit's network crosses the peering.
    const peered = this.clusterNetwork?.ready ?? [];

    const placement = {
      resourceGroupName,
      location,
      network: this.network,
      clusterVnetIds,
      clusterSubnetIds: this.clusterSubnetIds,
      peered,
      production,
      tags,
    };
    switch (persistence.hosting) {
      case "azure-mysql":
      case "azure-postgres":
        this.managedStores.default = flexibleServerOnAzure(`${name}-db`, placement, persistence, args.sqlConnectionsNeeded, storeOptions);
        break;
      case "azure-managed-cassandra":
        this.managedStores.default = managedCassandraOnAzure(`${name}-cassandra`, placement, persistence, storeOptions);
        break;
      case "azure-cosmos-cassandra":
        this.managedStores.default = cosmosCassandraOnAzure(`${name}-cosmos`, placement, persistence, storeOptions);
        break;
      default:
        // In-cluster stores (MySQL, Cassandra) and external ones live on the Kubernetes side.
        break;
    }

    if (visibility.store === "sql-server" && (visibility.server.hosting === "azure-mysql" || visibility.server.hosting === "azure-postgres")) {
      this.managedStores.visibility = flexibleServerOnAzure(`${name}-visibility-db`, placement, visibility.server, args.sqlConnectionsNeeded, storeOptions);
    }

    const defaultStore = this.managedStores.default;
    if (defaultStore?.kind === "sql") this.databaseEndpoint = pulumi.interpolate`${defaultStore.host}:${defaultStore.port}`;
    if (defaultStore?.kind === "cassandra") this.databaseEndpoint = pulumi.interpolate`${defaultStore.hosts}:${defaultStore.port}`;

    const secrets = Object.fromEntries(
      (["default", "visibility"] as const)
        .filter((store) => this.managedStores[store] !== undefined)
        .map((store) => [`${store}-store-password`, this.managedStores[store]!.password]),
    );
    // Nothing in the cluster reads the vault (the pods get Kubernetes Secrets); it is for the
    // identities the stack names, and survives the cluster.
    if (azure.secretReaderPrincipalIds?.length && Object.keys(secrets).length) {
      this.vault = new SecretVault(
        `${name}-vault`,
        {
          resourceGroupName,
          location,
          tenantId: authorization.getClientConfigOutput({ parent: this }).tenantId,
          readerPrincipalIds: azure.secretReaderPrincipalIds,
          secrets,
          allowedSubnetIds: this.clusterSubnetIds,
          tags,
        },
        child,
      );
    }

    this.registerOutputs({ resourceGroupName: this.resourceGroupName, databaseEndpoint: this.databaseEndpoint });
  }
}
