import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { COSMOS_DB_APP_ID } from "../config/azureRules";
import { blockSize, cidrsOverlap, parseCidr, toDottedQuad } from "../config/ipv4";
import { oneAtATime } from "./dependencies";
import { BUILT_IN_ROLES, builtInRoleDefinitionId, isGuid } from "./roleAssignments";
import { azureTags } from "./tags";

export type AksServiceEndpoint = "Microsoft.Storage" | "Microsoft.KeyVault" | "Microsoft.AzureCosmosDB";

export interface AzureNetworkArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /** A private (RFC 1918) /16 to /20; see `azureSubnetCidrs` for how it is split. */
  addressSpace: string;
  /**
   * The object id, in this tenant, of the "Azure Cosmos DB" service principal (application id
   * a232010e-820c-4083-83bb-3ace5fc29d0b). Managed Instance for Apache Cassandra only deploys into
   * the network once that principal is a Network Contributor on it. ARM takes object ids, which differ
   * per tenant and can only be read from Microsoft Graph:
   * `az ad sp show --id a232010e-820c-4083-83bb-3ace5fc29d0b --query id -o tsv`.
   * Without it no role assignment is made; the stack config requires it with Managed Cassandra,
   * since the network is created in the same run and nobody could grant the role beforehand.
   */
  cosmosDbPrincipalObjectId?: pulumi.Input<string>;
  /**
   * Gives the Cassandra subnet explicit outbound access: a NAT gateway with a static public IP.
   * Managed Instance for Apache Cassandra deploys only with internet access (its nodes reach Azure
   * Storage, Key Vault, Monitor, Entra ID and more: "Required outbound network rules",
   * https://learn.microsoft.com/azure/managed-instance-apache-cassandra/network-rules), and Azure
   * is withdrawing the implicit default outbound access those nodes would otherwise get: subnets
   * created with network API versions released after 31 March 2026 (2025-07-01 on) are private by
   * default (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access).
   */
  cassandraOutbound?: boolean;
  /**
   * Service endpoints of the AKS subnet: a Key Vault, Cosmos DB or storage account firewall can
   * admit the subnet only when it has the service's endpoint (ARM refuses the rule otherwise).
   */
  aksServiceEndpoints?: AksServiceEndpoint[];
  tags: Record<string, string>;
}

export interface AzureSubnetCidrs {
  /** AKS nodes and internal load balancers; pods take overlay addresses outside the network. */
  aks: string;
  /** Delegated to MySQL Flexible Server. */
  mysql: string;
  /** Delegated to PostgreSQL Flexible Server; a delegated subnet serves one service only. */
  postgres: string;
  /** Managed Instance for Apache Cassandra, which wants a subnet of its own. */
  cassandra: string;
}

/** The application id of the "Azure Cosmos DB" first-party app in Azure's public cloud. */
export { COSMOS_DB_APP_ID };

/**
 * AKS's own address ranges, outside the network: Azure CNI Overlay hands pods addresses from the pod
 * range and Services from the service range, and neither may overlap the network or anything it
 * reaches. AKS's defaults (10.244.0.0/16 and 10.0.0.0/16) sit where a 10.x network often does, so
 * the kit pins ranges of its own and refuses an address space that collides with them.
 */
export const AKS_POD_CIDR = "192.168.0.0/16";
export const AKS_SERVICE_CIDR = "172.16.0.0/16";
/** The cluster DNS Service; it must sit inside the service range. */
export const AKS_DNS_SERVICE_IP = "172.16.0.10";

const MIN_PREFIX = 16;
const MAX_PREFIX = 20;
/** The AKS subnet is 1/16 of the network: a /20 (4,091 nodes) in a /16. */
const AKS_EXTRA_BITS = 4;
/**
 * Data subnets are 1/256 of the network: a /24 in a /16, a /28 in a /20. A /28 is the smallest
 * PostgreSQL Flexible Server accepts (MySQL's is a /29), so a /20 is the smallest network allowed.
 */
const DATA_EXTRA_BITS = 8;
/** Data subnets take /24 slots 16-18 of a /16, i.e. the start of the second AKS-sized block. */
const DATA_SLOTS = { mysql: 16, postgres: 17, cassandra: 18 } as const;
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * Splits the network's address space by role. Every role has a fixed slot, whatever else exists, so
 * a subnet never has to move: Azure cannot change the range of a subnet that holds anything. Most of
 * the space stays free for later subnets (a pod subnet, a gateway, private endpoints).
 */
export function azureSubnetCidrs(addressSpace: string): AzureSubnetCidrs {
  const block = parseCidr(addressSpace, "Address space");
  if (block.prefix < MIN_PREFIX || block.prefix > MAX_PREFIX) {
    throw new Error(`Address space "${addressSpace}" must be a /${MIN_PREFIX} to /${MAX_PREFIX}, to leave room for a subnet per role`);
  }
  if (block.base % blockSize(block) !== 0) {
    throw new Error(`Address space "${addressSpace}" has host bits set; the block starts at ${toDottedQuad(block.base - (block.base % blockSize(block)))}/${block.prefix}`);
  }
  // A network on public addresses would hide those internet hosts from everything inside it.
  if (!PRIVATE_RANGES.some((range) => parseCidr(range).base <= block.base && block.base + blockSize(block) <= parseCidr(range).base + blockSize(parseCidr(range)))) {
    throw new Error(`Address space "${addressSpace}" must be private (inside ${PRIVATE_RANGES.join(", ")})`);
  }
  for (const [range, role] of [
    [AKS_POD_CIDR, "pod"],
    [AKS_SERVICE_CIDR, "service"],
  ]) {
    if (cidrsOverlap(addressSpace, range)) {
      throw new Error(`Address space "${addressSpace}" overlaps the AKS ${role} range ${range}; pick a block outside it, such as 10.50.0.0/16`);
    }
  }
  const slot = (extraBits: number, index: number) => {
    const prefix = block.prefix + extraBits;
    return `${toDottedQuad(block.base + index * 2 ** (32 - prefix))}/${prefix}`;
  };
  return {
    aks: slot(AKS_EXTRA_BITS, 0),
    mysql: slot(DATA_EXTRA_BITS, DATA_SLOTS.mysql),
    postgres: slot(DATA_EXTRA_BITS, DATA_SLOTS.postgres),
    cassandra: slot(DATA_EXTRA_BITS, DATA_SLOTS.cassandra),
  };
}

/** The service each data subnet is delegated to; Flexible Servers only deploy into such a subnet. */
export const SUBNET_DELEGATIONS = {
  mysql: "Microsoft.DBforMySQL/flexibleServers",
  postgres: "Microsoft.DBforPostgreSQL/flexibleServers",
} as const;

type Role = keyof AzureSubnetCidrs;
const ROLES: Role[] = ["aks", "mysql", "postgres", "cassandra"];

/**
 * The virtual network Temporal and its data stores live in: one subnet for AKS, one delegated to
 * each Flexible Server service, and one for Managed Instance for Apache Cassandra. The databases
 * are reachable from inside the network only; the one public address, with `cassandraOutbound`, is
 * the Cassandra subnet's NAT gateway's, which only carries connections the nodes open.
 */
export class AzureNetwork extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly vnetName: pulumi.Output<string>;
  readonly subnetIds: Record<Role, pulumi.Output<string>>;
  readonly subnetCidrs: AzureSubnetCidrs;
  /**
   * What a Cassandra datacenter must wait for: its subnet and, when the Cosmos DB principal was
   * given, that principal's role on the network.
   */
  readonly cassandraReady: pulumi.Resource[];
  /** The public address the Cassandra nodes reach Azure services from, with `cassandraOutbound`. */
  readonly cassandraOutboundIp?: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:AzureNetwork", name, {}, opts);
    this.subnetCidrs = azureSubnetCidrs(args.addressSpace);
    const principal = args.cosmosDbPrincipalObjectId;
    if (typeof principal === "string" && !isGuid(principal)) {
      throw new Error(`cosmosDbPrincipalObjectId "${principal}" is not an object id (a GUID); find it with az ad sp show --id ${COSMOS_DB_APP_ID} --query id -o tsv`);
    }
    const tags = azureTags(args.tags);

    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        addressSpace: { addressPrefixes: [args.addressSpace] },
        // No inline subnets: the subnets below are resources of their own, and since API version
        // 2023-11-01 an update that leaves `subnets` out keeps them instead of deleting them.
        tags,
      },
      childOf(this, opts),
    );
    this.vnetId = vnet.id;
    this.vnetName = vnet.name;

    // Outbound for the Cassandra nodes. Both are Standard, as NAT gateway requires, and zonal: Azure
    // places them in one zone of its choosing, so a zone outage can cut the nodes' management
    // traffic (the data path stays inside the network). Neither depends on the network.
    let natGateway: network.NatGateway | undefined;
    if (args.cassandraOutbound) {
      const address = new network.PublicIPAddress(
        `${name}-cassandra-nat-ip`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          sku: { name: "Standard", tier: "Regional" },
          publicIPAllocationMethod: "Static",
          publicIPAddressVersion: "IPv4",
          tags,
        },
        childOf(this, opts),
      );
      natGateway = new network.NatGateway(
        `${name}-cassandra-nat`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          sku: { name: "Standard" },
          publicIpAddresses: [{ id: address.id }],
          idleTimeoutInMinutes: 4,
          tags,
        },
        childOf(this, opts),
      );
      this.cassandraOutboundIp = address.ipAddress;
    }
    const outbound = (role: Role) => (role === "cassandra" && natGateway ? { natGateway: { id: natGateway.id } } : {});

    const delegation = (role: Role) => {
      const service = role === "mysql" || role === "postgres" ? SUBNET_DELEGATIONS[role] : undefined;
      return service ? { delegations: [{ name: `${role}-flexible-servers`, serviceName: service }] } : {};
    };
    const subnets = oneAtATime(
      this,
      opts,
      [],
      ROLES.map(
        (role) => (options: pulumi.CustomResourceOptions) =>
          new network.Subnet(
            `${name}-${role}`,
            {
              resourceGroupName: args.resourceGroupName,
              virtualNetworkName: vnet.name,
              subnetName: role,
              addressPrefix: this.subnetCidrs[role],
              ...delegation(role),
              ...outbound(role),
              ...(role === "aks" && args.aksServiceEndpoints?.length ? { serviceEndpoints: args.aksServiceEndpoints.map((service) => ({ service })) } : {}),
            },
            options,
          ),
      ),
    );
    const [aks, mysql, postgres, cassandra] = subnets;
    this.subnetIds = { aks: aks.id, mysql: mysql.id, postgres: postgres.id, cassandra: cassandra.id };

    this.cassandraReady = [cassandra];
    if (principal !== undefined) {
      const access = new authorization.RoleAssignment(
        `${name}-cosmos-db-network`,
        {
          // The scope Microsoft documents for Managed Instance for Apache Cassandra: the whole network.
          scope: vnet.id,
          roleDefinitionId: builtInRoleDefinitionId(this, BUILT_IN_ROLES.networkContributor),
          principalId: principal,
          // Skips the directory lookup that fails for a principal Entra has not replicated yet.
          principalType: "ServicePrincipal",
          description: "Lets Azure Managed Instance for Apache Cassandra place its nodes in the Temporal network",
        },
        childOf(this, opts),
      );
      this.cassandraReady.push(access);
    }

    this.registerOutputs({ vnetId: this.vnetId, vnetName: this.vnetName, subnetIds: this.subnetIds, subnetCidrs: this.subnetCidrs });
  }
}
