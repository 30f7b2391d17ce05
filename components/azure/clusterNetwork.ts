import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { AksNetworkFacts } from "./aksCluster";
import { cidrsOverlap } from "../config/ipv4";
import type { AksServiceEndpoint } from "./network";
import { NetworkPeering, type NetworkPeeringArgs, type VirtualNetworkRef } from "./networkPeering";

/** An existing cluster's virtual network and the subnets its node pools use, as the stack config declares them. */
export interface DeclaredClusterNetwork extends VirtualNetworkRef {
  subnetNames: string[];
}

export interface ExistingClusterNetworkArgs {
  clusterName: pulumi.Input<string>;
  /** The cluster's pools and ranges, as AKS reports them. */
  clusterNetwork: pulumi.Input<AksNetworkFacts>;
  declared: DeclaredClusterNetwork;
  /** The service endpoints the stores' firewalls need on every subnet they admit. */
  serviceEndpoints: AksServiceEndpoint[];
  /**
   * The kit's store network, when a store sits in it (a Flexible Server, Managed Instance for
   * Apache Cassandra): it is peered with the cluster's, whose pods must reach addresses there.
   */
  storeNetwork?: NetworkPeeringArgs["local"];
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Checks that the declared subnets are every subnet the cluster's pools put nodes or pods in: a
 * store firewall admits only the subnets it lists, so traffic from a pool left out would be refused.
 * `subnetIds` are the declared subnets' ids as ARM spells them.
 */
export function checkClusterSubnets(clusterName: string, declared: DeclaredClusterNetwork, subnetIds: string[], facts: AksNetworkFacts): void {
  const where = `azure.aks.network (${declared.virtualNetworkName}: ${declared.subnetNames.join(", ")})`;
  for (const pool of facts.pools) {
    if (!pool.vnetSubnetId) {
      throw new Error(
        `AKS cluster ${clusterName}'s node pool "${pool.name}" runs in a virtual network AKS created and manages, which the kit cannot peer or admit through the stores' firewalls; ` +
          "use a cluster whose pools are in a virtual network of your own (az aks create --vnet-subnet-id), or let the kit create the cluster (azure.aks.mode: create)",
      );
    }
    for (const [what, subnetId] of [
      ["nodes", pool.vnetSubnetId],
      ["pods", pool.podSubnetId],
    ] as const) {
      if (subnetId && !subnetIds.some((id) => sameId(id, subnetId))) {
        throw new Error(
          `AKS cluster ${clusterName}'s node pool "${pool.name}" puts its ${what} in subnet ${subnetId}, which ${where} does not list: ` +
            "the stores would refuse their traffic; list every subnet the cluster's pools use (they must all be in the one virtual network)",
        );
      }
    }
  }
}

/**
 * Checks that a subnet has the service endpoints the stores' firewalls need: without them ARM
 * refuses the firewall rule, and the traffic would reach the store from a public address anyway.
 */
export function checkServiceEndpoints(subnet: VirtualNetworkRef & { subnetName: string }, present: string[], needed: AksServiceEndpoint[]): void {
  const missing = needed.filter((service) => !present.includes(service));
  if (missing.length === 0) return;
  const all = [...new Set([...present, ...needed])];
  throw new Error(
    `Subnet ${subnet.subnetName} of ${subnet.virtualNetworkName} lacks the service endpoint${missing.length > 1 ? "s" : ""} ${missing.join(", ")} that the stores' firewalls need to admit the cluster's traffic; ` +
      `add ${missing.length > 1 ? "them" : "it"} (the list replaces the subnet's): az network vnet subnet update -g ${subnet.resourceGroupName} --vnet-name ${subnet.virtualNetworkName} -n ${subnet.subnetName} --service-endpoints ${all.join(" ")}`,
  );
}

/**
 * Checks that the kit's store network is not inside the cluster's pod or Service ranges: the cluster
 * routes those addresses to its pods and Services, so its pods would never reach a store there.
 */
export function checkStoreAddressSpace(clusterName: string, addressSpace: string, facts: AksNetworkFacts): void {
  for (const [what, ranges] of [
    ["pod", facts.podCidrs],
    ["Service", facts.serviceCidrs],
  ] as const) {
    const clash = ranges.find((range) => cidrsOverlap(range, addressSpace));
    if (clash) {
      throw new Error(`azure.network.addressSpace ${addressSpace} overlaps AKS cluster ${clusterName}'s ${what} range ${clash}: its pods would not reach the stores there; pick another azure.network.addressSpace`);
    }
  }
}

/**
 * The network of an existing AKS cluster, as the kit's stores must see it. The subnets its pools
 * use are checked against the cluster and for the service endpoints the stores' firewalls need, and
 * are what those firewalls admit; when a store sits in the kit's own network, the two networks are
 * peered. Every id it hands out waits for the checks, so a mismatch stops the deployment at preview.
 */
export class ExistingClusterNetwork extends pulumi.ComponentResource {
  /** The declared subnets' ids, once checked: what the stores' firewalls admit. */
  readonly subnetIds: pulumi.Output<string>[];
  /** The cluster's virtual network, when peered with the store network: where the stores' private DNS zones are linked. */
  readonly vnetId?: pulumi.Output<string>;
  /** The peerings, when there are any: what the cluster's traffic to the stores must wait for. */
  readonly ready: pulumi.Resource[] = [];

  constructor(name: string, args: ExistingClusterNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:ExistingClusterNetwork", name, {}, opts);
    const { declared } = args;
    if (declared.subnetNames.length === 0) throw new Error("an existing cluster's network needs at least one subnet");

    const subnets = declared.subnetNames.map((subnetName) => {
      const ref = { resourceGroupName: declared.resourceGroupName, virtualNetworkName: declared.virtualNetworkName, subnetName };
      return network.getSubnetOutput(ref, { parent: this }).apply((found) => {
        if (!found.id) throw new Error(`Azure returned no id for subnet ${subnetName} of ${declared.virtualNetworkName}`);
        checkServiceEndpoints(ref, (found.serviceEndpoints ?? []).flatMap((endpoint) => (endpoint.service ? [endpoint.service] : [])), args.serviceEndpoints);
        return found.id;
      });
    });
    const store = args.storeNetwork;
    const checked = pulumi.all([args.clusterName, args.clusterNetwork, pulumi.all(subnets)]).apply(([clusterName, facts, subnetIds]) => {
      checkClusterSubnets(clusterName, declared, subnetIds, facts);
      if (store) checkStoreAddressSpace(clusterName, store.addressSpace, facts);
      return true;
    });
    const afterChecks = <T>(value: pulumi.Input<T>): pulumi.Output<T> => pulumi.all([checked, value]).apply(([, passed]) => passed as T);
    this.subnetIds = subnets.map((id) => afterChecks(id));

    if (store) {
      const peering = new NetworkPeering(
        `${name}-peering`,
        {
          local: { ...store, resourceGroupName: afterChecks(store.resourceGroupName), virtualNetworkName: afterChecks(store.virtualNetworkName), id: afterChecks(store.id) },
          remote: { resourceGroupName: declared.resourceGroupName, virtualNetworkName: declared.virtualNetworkName },
          role: "the AKS cluster's network",
        },
        childOf(this, opts),
      );
      this.vnetId = afterChecks(peering.remoteNetworkId);
      this.ready = peering.ready;
    }

    this.registerOutputs({ subnetIds: this.subnetIds, vnetId: this.vnetId });
  }
}
