import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { cidrsOverlap } from "../config/ipv4";

/** A virtual network in the deployment's subscription, by resource group and name. */
export interface VirtualNetworkRef {
  resourceGroupName: string;
  virtualNetworkName: string;
}

export interface NetworkPeeringArgs {
  /** The kit's network: its resource group, name, id and address space. */
  local: { resourceGroupName: pulumi.Input<string>; virtualNetworkName: pulumi.Input<string>; id: pulumi.Input<string>; addressSpace: string };
  /** A network that already exists, which the kit looks up. */
  remote: VirtualNetworkRef;
  /** What the remote network is, for messages: "the deployer's network", "the AKS cluster's network". */
  role: string;
}

/** What the kit reads of the remote network: ARM's id, its address ranges and its DNS servers. */
export interface RemoteNetworkFacts {
  id?: string;
  addressSpace?: { addressPrefixes?: string[] };
  dhcpOptions?: { dnsServers?: string[] };
}

/**
 * The remote network's id, once it is sure the two can be peered: Azure refuses to peer networks
 * whose address ranges overlap, and would only say so midway through the deployment.
 */
export function peerableNetworkId(role: string, remote: VirtualNetworkRef, localAddressSpace: string, facts: RemoteNetworkFacts): string {
  const where = `${role} ${remote.virtualNetworkName} (resource group ${remote.resourceGroupName})`;
  if (!facts.id) throw new Error(`Azure returned no id for ${where}`);
  const clashes = (facts.addressSpace?.addressPrefixes ?? []).filter((prefix) => cidrsOverlap(prefix, localAddressSpace));
  if (clashes.length > 0) {
    throw new Error(
      `${where} cannot be peered with the stack's network: its ${clashes.join(", ")} overlaps azure.network.addressSpace ${localAddressSpace}, and Azure only peers networks whose ranges are disjoint; pick another azure.network.addressSpace`,
    );
  }
  return facts.id;
}

/**
 * Private DNS zones linked to a network answer only when its machines ask Azure's resolver; a network
 * with DNS servers of its own must forward to it, which the kit cannot check.
 */
export function customDnsWarning(role: string, remote: VirtualNetworkRef, facts: RemoteNetworkFacts): string | undefined {
  const servers = facts.dhcpOptions?.dnsServers ?? [];
  if (servers.length === 0) return undefined;
  return (
    `${role} ${remote.virtualNetworkName} uses its own DNS servers (${servers.join(", ")}): the private DNS zones the kit links to it only resolve ` +
    "if those servers forward the zones' names (privatelink.<region>.azmk8s.io, *.database.azure.com) to Azure's resolver 168.63.129.16"
  );
}

/**
 * Peers the kit's network with a network that already exists, both ways (a peering only carries
 * traffic once each side has one): machines on either side reach private addresses on the other,
 * with no forwarded or gateway traffic. The deployer needs write access to both networks.
 */
export class NetworkPeering extends pulumi.ComponentResource {
  /** The remote network's id, as ARM spells it, once the two were found peerable. */
  readonly remoteNetworkId: pulumi.Output<string>;
  /** Both peerings: what traffic across them must wait for. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: NetworkPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:NetworkPeering", name, {}, opts);
    const { remote, role } = args;
    const facts = network.getVirtualNetworkOutput({ resourceGroupName: remote.resourceGroupName, virtualNetworkName: remote.virtualNetworkName }, { parent: this });
    this.remoteNetworkId = facts.apply((found) => {
      const warning = customDnsWarning(role, remote, found);
      if (warning) pulumi.log.warn(warning, this);
      return peerableNetworkId(role, remote, args.local.addressSpace, found);
    });

    const settings = { allowVirtualNetworkAccess: true, allowForwardedTraffic: false, allowGatewayTransit: false, useRemoteGateways: false };
    const outbound = new network.VirtualNetworkPeering(
      `${name}-out`,
      { resourceGroupName: args.local.resourceGroupName, virtualNetworkName: args.local.virtualNetworkName, remoteVirtualNetwork: { id: this.remoteNetworkId }, ...settings },
      childOf(this, opts),
    );
    const inbound = new network.VirtualNetworkPeering(
      `${name}-back`,
      {
        resourceGroupName: remote.resourceGroupName,
        virtualNetworkName: remote.virtualNetworkName,
        // Waits for the check too, so that no half of a peering Azure would refuse is attempted.
        remoteVirtualNetwork: { id: pulumi.all([this.remoteNetworkId, args.local.id]).apply(([, localId]) => localId) },
        ...settings,
      },
      childOf(this, opts),
    );
    this.ready = [outbound, inbound];

    this.registerOutputs({ remoteNetworkId: this.remoteNetworkId });
  }
}
