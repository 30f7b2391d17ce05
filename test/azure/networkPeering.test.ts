import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { NetworkPeering, NetworkPeeringArgs, customDnsWarning, peerableNetworkId } from "../../components/azure/networkPeering";
import { kitMocks, mockVnetId } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { caseQueries } from "../helpers/caseQueries";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const PEERING = "azure-native:network:VirtualNetworkPeering";
const GET_VNET = "azure-native:network:getVirtualNetwork";

const local = { resourceGroupName: "rg-temporal", virtualNetworkName: "temporal-vnet", id: mockVnetId("rg-temporal", "temporal-vnet"), addressSpace: "10.50.0.0/16" };
const cases = {
  /** A deployer's network on Azure's DNS; waits for a gate. */
  ci: { local, remote: { resourceGroupName: "ci-rg", virtualNetworkName: "ci-runners" }, role: "the deployer's network" },
  /** A hub network with DNS servers of its own. */
  hub: { local, remote: { resourceGroupName: "hub-rg", virtualNetworkName: "hub-vnet" }, role: "the deployer's network" },
} satisfies Record<string, NetworkPeeringArgs>;
type Case = keyof typeof cases;
const HUB_DNS = ["10.0.0.4", "10.0.0.5"];

let records: ResourceRecord[];
const peerings = {} as Record<Case, NetworkPeering>;
const lookups: pulumi.runtime.MockCallArgs[] = [];
const warn = vi.spyOn(pulumi.log, "warn").mockResolvedValue(undefined);

beforeAll(async () => {
  const answer = kitMocks.call.bind(kitMocks);
  kitMocks.call = (args) => {
    const result = answer(args);
    if (args.token !== GET_VNET) return result;
    lookups.push(args);
    return args.inputs.virtualNetworkName === "hub-vnet" ? { ...result, dhcpOptions: { dnsServers: HUB_DNS } } : result;
  };
  records = (await startMockRuntime()).resources;
  // Stands in for whatever the peering must wait for (the subnets of the kit's network); only ci is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) peerings[name] = new NetworkPeering(name, cases[name], name === "ci" ? { dependsOn: [gate] } : undefined);
  await settle();
});

const { of, componentOf } = caseQueries<Case>(() => records, "temporal-kit:azure:NetworkPeering");
const peeringOf = (name: Case, direction: "out" | "back") => {
  const matches = of(name, PEERING).filter((record) => record.name === `${name}-${direction}`);
  expect(matches, `${name}-${direction}`).toHaveLength(1);
  return matches[0];
};

describe("peerableNetworkId", () => {
  const remote = { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet" };

  it("is the remote network's id when its ranges and the stack's are disjoint", () => {
    expect(peerableNetworkId("the AKS cluster's network", remote, "10.51.0.0/16", { id: "vnet-id", addressSpace: { addressPrefixes: ["10.20.0.0/16", "10.52.0.0/16"] } })).toBe("vnet-id");
  });

  it("refuses a network overlapping the stack's address space, which Azure will not peer, naming the ranges", () => {
    expect(() => peerableNetworkId("the AKS cluster's network", remote, "10.51.0.0/16", { id: "vnet-id", addressSpace: { addressPrefixes: ["10.20.0.0/16", "10.48.0.0/12"] } })).toThrow(
      "the AKS cluster's network platform-vnet (resource group platform-rg) cannot be peered with the stack's network: its 10.48.0.0/12 overlaps azure.network.addressSpace 10.51.0.0/16, and Azure only peers networks whose ranges are disjoint; pick another azure.network.addressSpace",
    );
  });

  it("refuses an answer without an id", () => {
    expect(() => peerableNetworkId("the deployer's network", remote, "10.51.0.0/16", {})).toThrow("Azure returned no id for the deployer's network platform-vnet (resource group platform-rg)");
  });
});

describe("customDnsWarning", () => {
  const remote = { resourceGroupName: "hub-rg", virtualNetworkName: "hub-vnet" };

  it("says nothing of a network on Azure's resolver", () => {
    expect(customDnsWarning("the deployer's network", remote, { dhcpOptions: { dnsServers: [] } })).toBeUndefined();
    expect(customDnsWarning("the deployer's network", remote, {})).toBeUndefined();
  });

  it("warns that a network's own DNS servers must forward the private zones to Azure's resolver", () => {
    expect(customDnsWarning("the deployer's network", remote, { dhcpOptions: { dnsServers: HUB_DNS } })).toBe(
      "the deployer's network hub-vnet uses its own DNS servers (10.0.0.4, 10.0.0.5): the private DNS zones the kit links to it only resolve if those servers forward the zones' names (privatelink.<region>.azmk8s.io, *.database.azure.com) to Azure's resolver 168.63.129.16",
    );
  });
});

describe.each(Object.keys(cases) as Case[])("NetworkPeering %s", (name) => {
  const { remote } = cases[name];
  const remoteId = mockVnetId(remote.resourceGroupName, remote.virtualNetworkName);

  it("looks the remote network up by resource group and name", () => {
    expect(lookups.filter((call) => call.inputs.virtualNetworkName === remote.virtualNetworkName).map((call) => call.inputs)).toEqual([remote]);
  });

  it("peers the kit's network to the remote one, by the id Azure reports", async () => {
    expect(peeringOf(name, "out").inputs).toEqual({
      resourceGroupName: local.resourceGroupName,
      virtualNetworkName: local.virtualNetworkName,
      remoteVirtualNetwork: { id: remoteId },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    });
    expect(await promiseOf(peerings[name].remoteNetworkId)).toBe(remoteId);
  });

  it("peers the remote network back, as a peering carries traffic only once both sides have one", () => {
    expect(peeringOf(name, "back").inputs).toEqual({
      resourceGroupName: remote.resourceGroupName,
      virtualNetworkName: remote.virtualNetworkName,
      remoteVirtualNetwork: { id: local.id },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    });
  });

  it("hands out both peerings as what traffic across them waits for, parented to the component", () => {
    expect(peerings[name].ready.map((resource) => (resource as unknown as { __name: string }).__name).sort()).toEqual([`${name}-back`, `${name}-out`]);
    for (const record of of(name, PEERING)) expect(record.parent).toBe(componentOf(name).urn);
  });
});

describe("NetworkPeering warnings and options", () => {
  it("warns of a remote network's own DNS servers, and only of those", () => {
    expect(warn).toHaveBeenCalledWith(customDnsWarning("the deployer's network", cases.hub.remote, { dhcpOptions: { dnsServers: HUB_DNS } }), peerings.hub);
    expect(warn.mock.calls.filter(([message]) => String(message).includes("ci-runners"))).toEqual([]);
  });

  it("makes both peerings wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    for (const record of of("ci", PEERING)) expect(record.dependsOn, record.name).toContain(gateUrn);
  });
});
