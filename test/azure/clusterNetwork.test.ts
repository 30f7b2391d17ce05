import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import type { AksNetworkFacts } from "../../components/azure/aksCluster";
import {
  DeclaredClusterNetwork,
  ExistingClusterNetwork,
  ExistingClusterNetworkArgs,
  checkClusterSubnets,
  checkServiceEndpoints,
  checkStoreAddressSpace,
} from "../../components/azure/clusterNetwork";
import { kitMocks, mockVnetId } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const PEERING_COMPONENT = "temporal-kit:azure:NetworkPeering";
const PEERING = "azure-native:network:VirtualNetworkPeering";
const GET_SUBNET = "azure-native:network:getSubnet";

const declared: DeclaredClusterNetwork = { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet", subnetNames: ["nodes", "pods"] };
const clusterVnetId = mockVnetId("platform-rg", "platform-vnet");
const subnetIdOf = (subnet: string) => `${clusterVnetId}/subnets/${subnet}`;
/** A cluster with Azure CNI pod subnets: nodes in one subnet, pods in another. */
const facts: AksNetworkFacts = {
  pools: [
    { name: "system", vnetSubnetId: subnetIdOf("nodes"), podSubnetId: subnetIdOf("pods") },
    { name: "user", vnetSubnetId: subnetIdOf("nodes"), podSubnetId: subnetIdOf("pods") },
  ],
  podCidrs: [],
  serviceCidrs: ["10.0.0.0/16"],
};
const storeNetwork = { resourceGroupName: "rg-temporal", virtualNetworkName: "temporal-vnet", id: mockVnetId("rg-temporal", "temporal-vnet"), addressSpace: "10.51.0.0/16" };
const base: ExistingClusterNetworkArgs = { clusterName: "platform-aks", clusterNetwork: facts, declared, serviceEndpoints: ["Microsoft.AzureCosmosDB", "Microsoft.Storage"] };
const cases = {
  /** Stores behind firewalls only (Cosmos DB, archive storage): nothing to peer. */
  fw: base,
  /** A store in the kit's network too (a Flexible Server): the networks are peered; waits for a gate. */
  peer: { ...base, serviceEndpoints: ["Microsoft.AzureCosmosDB"], storeNetwork },
} satisfies Record<string, ExistingClusterNetworkArgs>;
type Case = keyof typeof cases;

let records: ResourceRecord[];
const networks = {} as Record<Case, ExistingClusterNetwork>;
const lookups: pulumi.runtime.MockCallArgs[] = [];

beforeAll(async () => {
  const answer = kitMocks.call.bind(kitMocks);
  kitMocks.call = (args) => {
    if (args.token === GET_SUBNET) lookups.push(args);
    return answer(args);
  };
  records = (await startMockRuntime()).resources;
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) networks[name] = new ExistingClusterNetwork(name, cases[name], name === "peer" ? { dependsOn: [gate] } : undefined);
  await settle();
});

const childrenOf = (name: Case) => records.filter((record) => record.name.startsWith(`${name}-`));

describe("checkClusterSubnets", () => {
  const ids = [subnetIdOf("nodes"), subnetIdOf("pods")];

  it("accepts subnets that hold every pool's nodes and pods, whatever the ids' case", () => {
    expect(() => checkClusterSubnets("platform-aks", declared, ids, facts)).not.toThrow();
    expect(() => checkClusterSubnets("platform-aks", declared, ids.map((id) => id.toUpperCase()), facts)).not.toThrow();
  });

  it("refuses a pool in a network AKS manages, which the kit can neither admit nor peer", () => {
    expect(() => checkClusterSubnets("platform-aks", declared, ids, { ...facts, pools: [{ name: "nodepool1" }] })).toThrow(
      'AKS cluster platform-aks\'s node pool "nodepool1" runs in a virtual network AKS created and manages, which the kit cannot peer or admit through the stores\' firewalls',
    );
  });

  it("refuses a pool whose nodes are in a subnet the config leaves out, whose traffic the stores would refuse", () => {
    const spot = { name: "spot", vnetSubnetId: subnetIdOf("spot") };
    expect(() => checkClusterSubnets("platform-aks", declared, ids, { ...facts, pools: [...facts.pools, spot] })).toThrow(
      `AKS cluster platform-aks's node pool "spot" puts its nodes in subnet ${subnetIdOf("spot")}, which azure.aks.network (platform-vnet: nodes, pods) does not list: the stores would refuse their traffic`,
    );
  });

  it("refuses a pool whose pods are in a subnet the config leaves out", () => {
    expect(() => checkClusterSubnets("platform-aks", { ...declared, subnetNames: ["nodes"] }, [subnetIdOf("nodes")], facts)).toThrow(
      `AKS cluster platform-aks's node pool "system" puts its pods in subnet ${subnetIdOf("pods")}, which azure.aks.network (platform-vnet: nodes) does not list`,
    );
  });
});

describe("checkServiceEndpoints", () => {
  const subnet = { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet", subnetName: "nodes" };

  it("accepts a subnet with every endpoint the firewalls need", () => {
    expect(() => checkServiceEndpoints(subnet, ["Microsoft.Sql", "Microsoft.AzureCosmosDB"], ["Microsoft.AzureCosmosDB"])).not.toThrow();
  });

  it("refuses a subnet without them, with the command that adds them and keeps the ones it has", () => {
    expect(() => checkServiceEndpoints(subnet, ["Microsoft.Sql"], ["Microsoft.AzureCosmosDB", "Microsoft.Storage"])).toThrow(
      "Subnet nodes of platform-vnet lacks the service endpoints Microsoft.AzureCosmosDB, Microsoft.Storage that the stores' firewalls need to admit the cluster's traffic; " +
        "add them (the list replaces the subnet's): az network vnet subnet update -g platform-rg --vnet-name platform-vnet -n nodes --service-endpoints Microsoft.Sql Microsoft.AzureCosmosDB Microsoft.Storage",
    );
  });
});

describe("checkStoreAddressSpace", () => {
  it("accepts a store network outside the cluster's pod and Service ranges", () => {
    expect(() => checkStoreAddressSpace("platform-aks", "10.51.0.0/16", { ...facts, podCidrs: ["10.244.0.0/16"] })).not.toThrow();
  });

  it("refuses a store network inside the cluster's Service or pod range, which its pods would never leave for", () => {
    expect(() => checkStoreAddressSpace("platform-aks", "10.0.0.0/16", facts)).toThrow(
      "azure.network.addressSpace 10.0.0.0/16 overlaps AKS cluster platform-aks's Service range 10.0.0.0/16: its pods would not reach the stores there; pick another azure.network.addressSpace",
    );
    expect(() => checkStoreAddressSpace("platform-aks", "10.244.0.0/16", { ...facts, podCidrs: ["10.244.0.0/16"] })).toThrow("overlaps AKS cluster platform-aks's pod range 10.244.0.0/16");
  });
});

describe.each(Object.keys(cases) as Case[])("ExistingClusterNetwork %s", (name) => {
  it("looks every declared subnet up in the cluster's network, once", () => {
    // Both cases declare the same two subnets.
    expect(lookups.map((call) => call.inputs).sort((a, b) => String(a.subnetName).localeCompare(String(b.subnetName)))).toEqual([
      { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet", subnetName: "nodes" },
      { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet", subnetName: "nodes" },
      { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet", subnetName: "pods" },
      { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet", subnetName: "pods" },
    ]);
  });

  it("hands out the declared subnets' ids, as Azure reports them, for the stores' firewalls", async () => {
    expect(await Promise.all(networks[name].subnetIds.map((id) => promiseOf(id)))).toEqual([subnetIdOf("nodes"), subnetIdOf("pods")]);
  });
});

describe("ExistingClusterNetwork without a store in the kit's network", () => {
  it("creates nothing: the stores' firewalls admit the cluster's subnets", () => {
    expect(childrenOf("fw")).toEqual([]);
    expect(networks.fw.vnetId).toBeUndefined();
    expect(networks.fw.ready).toEqual([]);
  });
});

describe("ExistingClusterNetwork with a store in the kit's network", () => {
  it("peers the kit's network with the cluster's, both ways", () => {
    const peerings = records.filter((record) => record.type === PEERING && record.name.startsWith("peer-peering-"));
    expect(peerings.map((record) => [record.inputs.virtualNetworkName, record.inputs.remoteVirtualNetwork]).sort()).toEqual([
      ["platform-vnet", { id: storeNetwork.id }],
      ["temporal-vnet", { id: clusterVnetId }],
    ]);
    const component = records.find((record) => record.type === PEERING_COMPONENT && record.name === "peer-peering")!;
    expect(component.parent).toBe(records.find((record) => record.name === "peer")!.urn);
    expect(networks.peer.ready).toHaveLength(2);
  });

  it("hands out the cluster's network, for the stores' private DNS zones", async () => {
    expect(await promiseOf(networks.peer.vnetId!)).toBe(clusterVnetId);
  });
});

describe("ExistingClusterNetwork options", () => {
  it("makes the peerings wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const peerings = records.filter((record) => record.type === PEERING && record.name.startsWith("peer-"));
    expect(peerings).toHaveLength(2);
    for (const record of peerings) expect(record.dependsOn, record.name).toContain(gateUrn);
  });

  it("refuses a network without subnets before looking anything up", () => {
    expect(() => new ExistingClusterNetwork("none", { ...base, declared: { ...declared, subnetNames: [] } })).toThrow("an existing cluster's network needs at least one subnet");
  });
});
