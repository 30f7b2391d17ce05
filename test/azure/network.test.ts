import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { AKS_POD_CIDR, AKS_SERVICE_CIDR, AzureNetwork, AzureNetworkArgs, azureSubnetCidrs } from "../../components/azure/network";
import { cidrsOverlap } from "../../components/config/ipv4";
import { azureTags } from "../../components/azure/tags";
import { MOCK_AZURE_CLIENT } from "../../tools/synth/mocks";
import type { Recording, ResourceRecord } from "../../tools/synth/recorder";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const AZURE = {
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  natGateway: "azure-native:network:NatGateway",
  publicIp: "azure-native:network:PublicIPAddress",
} as const;
const NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7";
const COSMOS_PRINCIPAL = "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const ROLES = ["aks", "mysql", "postgres", "cassandra"] as const;

const tags = { "temporal-kit:environment": "test", "managed-by": "pulumi" };
const base: AzureNetworkArgs = { resourceGroupName: "rg-temporal", location: "westeurope", addressSpace: "10.50.0.0/16", tags };
const cases = {
  /** Ready for Managed Cassandra: the Cosmos DB principal's role and explicit outbound; waits for a gate. */
  full: { ...base, cosmosDbPrincipalObjectId: COSMOS_PRINCIPAL, cassandraOutbound: true },
  /** No Managed Cassandra: no role, no NAT gateway. The smallest address space allowed. */
  bare: { ...base, addressSpace: "10.60.16.0/20" },
} satisfies Record<string, AzureNetworkArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
const networks = {} as Record<Case, AzureNetwork>;

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  // Stands in for whatever the network must wait for; only the full network is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) networks[name] = new AzureNetwork(name, cases[name], name === "full" ? { dependsOn: [gate] } : undefined);
  await settle();
});

const of = (name: Case, type: string) => records.filter((record) => record.type === type && record.name.startsWith(`${name}-`));
const only = (name: Case, type: string, nameIncludes = "") => {
  const matches = of(name, type).filter((record) => record.name.includes(nameIncludes));
  expect(matches, `${name}: ${type} *${nameIncludes}*`).toHaveLength(1);
  return matches[0];
};
const subnet = (name: Case, role: string) => only(name, AZURE.subnet, `-${role}`);
const componentOf = (name: Case) => records.find((record) => record.type === "temporal-kit:azure:AzureNetwork" && record.name === name)!;

/** [first, last] address of a CIDR block, as numbers. */
function range(cidr: string): [number, number] {
  const [address, prefix] = cidr.split("/");
  const start = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  return [start, start + 2 ** (32 - Number(prefix)) - 1];
}
const within = (inner: string, outer: string) => range(outer)[0] <= range(inner)[0] && range(inner)[1] <= range(outer)[1];
const prefixOf = (cidr: string) => Number(cidr.split("/")[1]);

describe("azureSubnetCidrs", () => {
  it("gives a /16 a /20 for AKS and /24s for the data stores, each in a fixed slot", () => {
    expect(azureSubnetCidrs("10.50.0.0/16")).toEqual({
      aks: "10.50.0.0/20",
      mysql: "10.50.16.0/24",
      postgres: "10.50.17.0/24",
      cassandra: "10.50.18.0/24",
    });
  });

  it("gives a /20 a /24 for AKS and /28s, the smallest PostgreSQL subnet, for the data stores", () => {
    expect(azureSubnetCidrs("10.60.16.0/20")).toEqual({
      aks: "10.60.16.0/24",
      mysql: "10.60.17.0/28",
      postgres: "10.60.17.16/28",
      cassandra: "10.60.17.32/28",
    });
  });

  it("never overlaps two subnets and keeps them inside the address space, for every allowed size", () => {
    for (const block of ["10.0.0.0/16", "10.128.0.0/17", "172.20.64.0/18", "10.9.0.0/19", "172.31.240.0/20"]) {
      const subnets = Object.values(azureSubnetCidrs(block));
      expect(subnets).toHaveLength(4);
      for (const cidr of subnets) {
        expect(within(cidr, block), `${cidr} in ${block}`).toBe(true);
        expect(prefixOf(cidr), cidr).toBeLessThanOrEqual(28);
      }
      subnets.forEach((a, i) => subnets.slice(i + 1).forEach((b) => expect(cidrsOverlap(a, b), `${a} vs ${b}`).toBe(false)));
    }
  });

  it("keeps every subnet clear of the AKS pod and service ranges", () => {
    for (const cidr of Object.values(azureSubnetCidrs("10.50.0.0/16"))) {
      expect(cidrsOverlap(cidr, AKS_POD_CIDR)).toBe(false);
      expect(cidrsOverlap(cidr, AKS_SERVICE_CIDR)).toBe(false);
    }
  });

  it("refuses address spaces that are not a /16 to /20", () => {
    expect(() => azureSubnetCidrs("10.0.0.0/15")).toThrow('Address space "10.0.0.0/15" must be a /16 to /20, to leave room for a subnet per role');
    expect(() => azureSubnetCidrs("10.0.0.0/21")).toThrow('Address space "10.0.0.0/21" must be a /16 to /20, to leave room for a subnet per role');
  });

  it("refuses text that is not an IPv4 CIDR block", () => {
    for (const bad of ["10.50.0.0", "10.50.0/16", "10.256.0.0/16", "vnet-10.50.0.0/16", "10.50.0.0/33"]) {
      expect(() => azureSubnetCidrs(bad)).toThrow(`Address space "${bad}" is not an IPv4 CIDR block such as 10.50.0.0/16`);
    }
  });

  it("refuses a block with host bits set and names the block it starts", () => {
    expect(() => azureSubnetCidrs("10.50.7.0/16")).toThrow('Address space "10.50.7.0/16" has host bits set; the block starts at 10.50.0.0/16');
  });

  it("refuses public addresses, which the network would hide from everything inside it", () => {
    expect(() => azureSubnetCidrs("20.50.0.0/16")).toThrow('Address space "20.50.0.0/16" must be private (inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)');
  });

  it("refuses an address space that collides with the AKS pod or service range", () => {
    expect(() => azureSubnetCidrs("192.168.0.0/16")).toThrow(`Address space "192.168.0.0/16" overlaps the AKS pod range ${AKS_POD_CIDR}`);
    expect(() => azureSubnetCidrs("172.16.32.0/20")).toThrow(`Address space "172.16.32.0/20" overlaps the AKS service range ${AKS_SERVICE_CIDR}`);
  });
});

describe("cidrsOverlap", () => {
  it("tells blocks that share an address from blocks that only touch", () => {
    expect(cidrsOverlap("10.0.0.0/16", "10.0.255.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/24", "10.0.0.0/8")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/24", "10.0.1.0/24")).toBe(false);
  });
});

describe("azureTags", () => {
  it("returns a copy of valid tags, adding nothing", () => {
    const result = azureTags(tags);
    expect(result).toEqual(tags);
    expect(result).not.toBe(tags);
  });

  it("refuses tag names with characters Azure rejects", () => {
    for (const bad of ["team/name", "a<b", "50%", "a&b", "why?", "back\\slash"]) {
      expect(() => azureTags({ [bad]: "x" }), bad).toThrow(`tag name "${bad}" is not valid on Azure`);
    }
  });

  it("refuses more than 50 tags and values longer than 256 characters", () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`tag${index}`, "x"]));
    expect(() => azureTags(many)).toThrow("Azure allows at most 50 tags on a resource; given 51");
    expect(() => azureTags({ owner: "x".repeat(257) })).toThrow('tag "owner" has a value longer than Azure\'s 256 characters');
  });
});

describe("AzureNetwork argument checks", () => {
  it("refuses a Cosmos DB principal that is not an object id", () => {
    expect(() => new AzureNetwork("bad-principal", { ...base, cosmosDbPrincipalObjectId: "Azure Cosmos DB" })).toThrow(
      'cosmosDbPrincipalObjectId "Azure Cosmos DB" is not an object id (a GUID); find it with az ad sp show --id a232010e-820c-4083-83bb-3ace5fc29d0b --query id -o tsv',
    );
  });

  it("refuses an address space the subnet plan cannot split", () => {
    expect(() => new AzureNetwork("bad-space", { ...base, addressSpace: "10.50.0.0/24" })).toThrow('Address space "10.50.0.0/24" must be a /16 to /20');
  });
});

describe.each(Object.keys(cases) as Case[])("AzureNetwork %s", (name) => {
  const args: AzureNetworkArgs = cases[name];
  const plan = azureSubnetCidrs(args.addressSpace);

  it("creates one virtual network over the address space, in the resource group and region given, with the caller's tags", () => {
    const vnet = only(name, AZURE.vnet);
    expect(vnet.inputs).toMatchObject({
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      addressSpace: { addressPrefixes: [args.addressSpace] },
      tags,
    });
  });

  it("defines no subnets inline, so an update of the network never deletes the subnet resources", () => {
    expect(only(name, AZURE.vnet).inputs.subnets).toBeUndefined();
  });

  it("creates one subnet per role, named after it, on the planned range inside this network", () => {
    const vnet = only(name, AZURE.vnet);
    expect(of(name, AZURE.subnet)).toHaveLength(ROLES.length);
    for (const role of ROLES) {
      expect(subnet(name, role).inputs).toMatchObject({
        resourceGroupName: args.resourceGroupName,
        virtualNetworkName: vnet.name,
        subnetName: role,
        addressPrefix: plan[role],
      });
      expect(subnet(name, role).dependsOn).toContain(vnet.urn);
    }
  });

  it("delegates the MySQL subnet to MySQL Flexible Server only", () => {
    expect(subnet(name, "mysql").inputs.delegations).toEqual([{ name: "mysql-flexible-servers", serviceName: "Microsoft.DBforMySQL/flexibleServers" }]);
  });

  it("delegates the PostgreSQL subnet to PostgreSQL Flexible Server only", () => {
    expect(subnet(name, "postgres").inputs.delegations).toEqual([{ name: "postgres-flexible-servers", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }]);
  });

  it("leaves the AKS and Cassandra subnets undelegated, as those services require", () => {
    expect(subnet(name, "aks").inputs.delegations).toBeUndefined();
    expect(subnet(name, "cassandra").inputs.delegations).toBeUndefined();
  });

  it("creates the subnets one after another, since Azure refuses concurrent changes to one network", () => {
    const subnets = ROLES.map((role) => subnet(name, role));
    subnets.slice(1).forEach((current, index) => expect(current.dependsOn, current.name).toContain(subnets[index].urn));
  });

  it("creates only the network and its subnets, plus for Managed Cassandra its role and NAT gateway: no other public address or gateway", () => {
    const types = new Set(records.filter((record) => record.name.startsWith(`${name}-`)).map((record) => record.type));
    expect([...types].sort()).toEqual(
      name === "full" ? [AZURE.natGateway, AZURE.publicIp, AZURE.roleAssignment, AZURE.subnet, AZURE.vnet].sort() : [AZURE.subnet, AZURE.vnet].sort(),
    );
  });

  it("publishes the network's id and each role's subnet id", async () => {
    const network = networks[name];
    expect(await promiseOf(network.vnetId)).toBe(`${only(name, AZURE.vnet).name}-id`);
    expect(await promiseOf(network.vnetName)).toBe(only(name, AZURE.vnet).name);
    for (const role of ROLES) expect(await promiseOf(network.subnetIds[role]), role).toBe(`${subnet(name, role).name}-id`);
    expect(network.subnetCidrs).toEqual(plan);
  });

  it("parents every resource to the component", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children.length).toBeGreaterThanOrEqual(5);
    for (const child of children) expect(child.parent, child.name).toBe(componentOf(name).urn);
  });
});

describe("AzureNetwork access for Managed Instance for Apache Cassandra", () => {
  it("makes the given Cosmos DB principal a Network Contributor on the whole network", () => {
    const assignment = only("full", AZURE.roleAssignment);
    expect(assignment.inputs).toMatchObject({
      scope: `${only("full", AZURE.vnet).name}-id`,
      roleDefinitionId: `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${NETWORK_CONTRIBUTOR}`,
      principalId: COSMOS_PRINCIPAL,
      principalType: "ServicePrincipal",
    });
    expect(assignment.dependsOn).toContain(only("full", AZURE.vnet).urn);
  });

  it("hands Cassandra its subnet and that role to wait for", () => {
    expect(networks.full.cassandraReady.map((resource) => (resource as unknown as { __name: string }).__name)).toEqual([
      subnet("full", "cassandra").name,
      only("full", AZURE.roleAssignment).name,
    ]);
  });

  it("grants nothing without a principal, and hands Cassandra only its subnet to wait for", () => {
    expect(of("bare", AZURE.roleAssignment)).toEqual([]);
    expect(networks.bare.cassandraReady.map((resource) => (resource as unknown as { __name: string }).__name)).toEqual([subnet("bare", "cassandra").name]);
  });
});

describe("AzureNetwork outbound for Managed Instance for Apache Cassandra", () => {
  it("gives the Cassandra subnet a NAT gateway, so its nodes do not depend on default outbound access", () => {
    const nat = only("full", AZURE.natGateway);
    expect(subnet("full", "cassandra").inputs.natGateway).toEqual({ id: `${nat.name}-id` });
    expect(subnet("full", "cassandra").dependsOn).toContain(nat.urn);
  });

  it("sends the nodes out through one static Standard public IP, in the network's region and group", () => {
    const nat = only("full", AZURE.natGateway);
    const address = only("full", AZURE.publicIp);
    expect(nat.inputs).toMatchObject({ resourceGroupName: base.resourceGroupName, location: base.location, sku: { name: "Standard" }, publicIpAddresses: [{ id: `${address.name}-id` }], tags });
    expect(address.inputs).toMatchObject({
      resourceGroupName: base.resourceGroupName,
      location: base.location,
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      tags,
    });
  });

  it("leaves every other subnet without it: only the Cassandra nodes need it", () => {
    for (const role of ROLES.filter((candidate) => candidate !== "cassandra")) expect(subnet("full", role).inputs.natGateway, role).toBeUndefined();
    expect(subnet("bare", "cassandra").inputs.natGateway).toBeUndefined();
    expect(networks.bare.cassandraOutboundIp).toBeUndefined();
  });
});

describe("AzureNetwork options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("full-") && record.custom);
    expect(children).toHaveLength(8);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});
