import { beforeAll, describe, expect, it } from "vitest";
import { Network, subnetCidrs } from "../../components/aws/network";
import { MOCK_AWS } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const AWS = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  eip: "aws:ec2/eip:Eip",
  natGateway: "aws:ec2/natGateway:NatGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
} as const;

const tags = { "temporal-kit:environment": "test", "managed-by": "pulumi" };
let records: ResourceRecord[];
const networks: Record<string, Network> = {};
// Staging shape and production shape, built side by side and told apart by their name prefix.
const shapes = {
  stg: { cidrBlock: "10.41.0.0/16", availabilityZoneCount: 2, natGateways: "single" as const },
  prd: { cidrBlock: "10.42.0.0/16", availabilityZoneCount: 3, natGateways: "per-az" as const },
};
type Shape = keyof typeof shapes;

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  for (const [name, shape] of Object.entries(shapes)) networks[name] = new Network(name, { ...shape, tags });
  await settle();
});

const of = (shape: Shape, type: string) => records.filter((record) => record.type === type && record.name.startsWith(`${shape}-`));
const byUrn = (urn: string) => records.find((record) => record.urn === urn)!;
/** Resources of `type` that `record` was given an input from (its routeTableId, subnetId, ...). */
const inputsFrom = (record: ResourceRecord, type: string) => record.dependsOn.map(byUrn).filter((dependency) => dependency?.type === type);
const subnetsOf = (shape: Shape, role: "private" | "public") => of(shape, AWS.subnet).filter((record) => record.name.startsWith(`${shape}-${role}-`));
const routeTableOf = (shape: Shape, subnet: ResourceRecord) => {
  const associations = of(shape, AWS.association).filter((association) => association.dependsOn.includes(subnet.urn));
  expect(associations, subnet.name).toHaveLength(1);
  return inputsFrom(associations[0], AWS.routeTable)[0];
};
const routesOf = (shape: Shape, routeTable: ResourceRecord) => of(shape, AWS.route).filter((route) => route.dependsOn.includes(routeTable.urn));

/** [first, last] address of a CIDR block, as numbers. */
function range(cidr: string): [number, number] {
  const [address, prefix] = cidr.split("/");
  const start = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  return [start, start + 2 ** (32 - Number(prefix)) - 1];
}
const overlaps = (a: string, b: string) => range(a)[0] <= range(b)[1] && range(b)[0] <= range(a)[1];
const within = (inner: string, outer: string) => range(outer)[0] <= range(inner)[0] && range(inner)[1] <= range(outer)[1];

describe("subnetCidrs", () => {
  it("splits a /16 into /20s, private subnets first and public ones after", () => {
    expect(subnetCidrs("10.40.0.0/16", 3)).toEqual({
      private: ["10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"],
      public: ["10.40.48.0/20", "10.40.64.0/20", "10.40.80.0/20"],
    });
  });

  it("keeps every subnet of a two-zone network where it is when a third zone is added", () => {
    const two = subnetCidrs("10.40.0.0/16", 2);
    const three = subnetCidrs("10.40.0.0/16", 3);
    expect(three.private.slice(0, 2)).toEqual(two.private);
    expect(three.public.slice(0, 2)).toEqual(two.public);
  });

  it("gives a /20 VPC /24 subnets", () => {
    expect(subnetCidrs("172.16.32.0/20", 2)).toEqual({
      private: ["172.16.32.0/24", "172.16.33.0/24"],
      public: ["172.16.35.0/24", "172.16.36.0/24"],
    });
  });

  it("never overlaps two subnets and keeps them all inside the VPC, for every allowed size", () => {
    for (const prefix of [16, 17, 18, 19, 20]) {
      for (const zones of [2, 3]) {
        const block = `10.64.0.0/${prefix}`;
        const plan = subnetCidrs(block, zones);
        const all = [...plan.private, ...plan.public];
        expect(all).toHaveLength(2 * zones);
        for (const cidr of all) expect(within(cidr, block), `${cidr} in ${block}`).toBe(true);
        all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(overlaps(a, b), `${a} vs ${b}`).toBe(false)));
      }
    }
  });

  it("refuses blocks that are not a /16 to /20", () => {
    expect(() => subnetCidrs("10.0.0.0/15", 2)).toThrow('VPC CIDR block "10.0.0.0/15" must be a /16 to /20, to leave room for a subnet per zone and role');
    expect(() => subnetCidrs("10.0.0.0/21", 2)).toThrow('VPC CIDR block "10.0.0.0/21" must be a /16 to /20, to leave room for a subnet per zone and role');
  });

  it("refuses text that is not an IPv4 CIDR block", () => {
    for (const bad of ["10.40.0.0", "10.40.0/16", "10.256.0.0/16", "vpc-10.40.0.0/16"]) {
      expect(() => subnetCidrs(bad, 2)).toThrow(`VPC CIDR block "${bad}" is not an IPv4 CIDR block such as 10.40.0.0/16`);
    }
  });

  it("refuses a block with host bits set and names the block it starts", () => {
    expect(() => subnetCidrs("10.40.7.0/16", 2)).toThrow('VPC CIDR block "10.40.7.0/16" has host bits set; the block starts at 10.40.0.0/16');
  });

  it("refuses zone counts other than 2 or 3", () => {
    expect(() => subnetCidrs("10.40.0.0/16", 1)).toThrow("availabilityZoneCount must be 2 or 3; given 1");
    expect(() => subnetCidrs("10.40.0.0/16", 4)).toThrow("availabilityZoneCount must be 2 or 3; given 4");
  });
});

describe.each(Object.keys(shapes) as Shape[])("Network %s", (shape) => {
  const { availabilityZoneCount: zones, natGateways, cidrBlock } = shapes[shape];
  const firstZones = MOCK_AWS.availabilityZones.slice(0, zones);

  it("creates one VPC with DNS support and hostnames, tagged with the caller's tags and a Name", () => {
    const vpcs = of(shape, AWS.vpc);
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0].inputs).toMatchObject({ cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: { ...tags, Name: `${shape}-vpc` } });
  });

  it("creates one private and one public subnet in each of the first zones", () => {
    expect(subnetsOf(shape, "private").map((subnet) => subnet.inputs.availabilityZone)).toEqual(firstZones);
    expect(subnetsOf(shape, "public").map((subnet) => subnet.inputs.availabilityZone)).toEqual(firstZones);
    expect(of(shape, AWS.subnet)).toHaveLength(2 * zones);
  });

  it("tags public subnets for internet-facing load balancers and private ones for internal ones only", () => {
    for (const subnet of subnetsOf(shape, "public")) {
      expect(subnet.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1" });
      expect(subnet.inputs.tags).not.toHaveProperty("kubernetes.io/role/internal-elb");
    }
    for (const subnet of subnetsOf(shape, "private")) {
      expect(subnet.inputs.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1" });
      expect(subnet.inputs.tags).not.toHaveProperty("kubernetes.io/role/elb");
    }
  });

  it("gives nothing a public IP on launch", () => {
    for (const subnet of of(shape, AWS.subnet)) expect(subnet.inputs.mapPublicIpOnLaunch, subnet.name).toBe(false);
  });

  it("uses subnet blocks inside the VPC that do not overlap", () => {
    const blocks = of(shape, AWS.subnet).map((subnet) => String(subnet.inputs.cidrBlock));
    for (const block of blocks) expect(within(block, cidrBlock), block).toBe(true);
    blocks.forEach((a, i) => blocks.slice(i + 1).forEach((b) => expect(overlaps(a, b), `${a} vs ${b}`).toBe(false)));
  });

  it(`creates ${natGateways === "per-az" ? "one NAT gateway per zone" : "a single NAT gateway"}, each with its own Elastic IP`, () => {
    const nats = of(shape, AWS.natGateway);
    expect(nats).toHaveLength(natGateways === "per-az" ? zones : 1);
    expect(of(shape, AWS.eip)).toHaveLength(nats.length);
    for (const nat of nats) {
      expect(inputsFrom(nat, AWS.eip)).toHaveLength(1);
      expect(inputsFrom(nat, AWS.eip)[0].inputs.domain).toBe("vpc");
    }
  });

  it("puts NAT gateways in public subnets and creates them only after the internet gateway", () => {
    const publicUrns = subnetsOf(shape, "public").map((subnet) => subnet.urn);
    const internetGateway = of(shape, AWS.internetGateway);
    expect(internetGateway).toHaveLength(1);
    for (const nat of of(shape, AWS.natGateway)) {
      const [subnet] = inputsFrom(nat, AWS.subnet);
      expect(publicUrns).toContain(subnet.urn);
      expect(nat.dependsOn).toContain(internetGateway[0].urn);
    }
  });

  it("routes public subnets to the internet gateway and nowhere else", () => {
    const internetGateway = of(shape, AWS.internetGateway)[0];
    for (const subnet of subnetsOf(shape, "public")) {
      const routes = routesOf(shape, routeTableOf(shape, subnet));
      expect(routes).toHaveLength(1);
      expect(routes[0].inputs).toMatchObject({ destinationCidrBlock: "0.0.0.0/0" });
      expect(routes[0].inputs.natGatewayId).toBeUndefined();
      expect(inputsFrom(routes[0], AWS.internetGateway)).toEqual([internetGateway]);
    }
  });

  it("routes private subnets out through NAT, never straight to the internet gateway", () => {
    for (const subnet of subnetsOf(shape, "private")) {
      const routes = routesOf(shape, routeTableOf(shape, subnet));
      expect(routes).toHaveLength(1);
      expect(routes[0].inputs).toMatchObject({ destinationCidrBlock: "0.0.0.0/0" });
      expect(routes[0].inputs.gatewayId).toBeUndefined();
      expect(inputsFrom(routes[0], AWS.internetGateway)).toEqual([]);
      expect(inputsFrom(routes[0], AWS.natGateway)).toHaveLength(1);
    }
  });

  it(
    natGateways === "per-az"
      ? "sends each zone's private traffic through the NAT gateway in the same zone"
      : "shares one private route table and its NAT gateway between all zones",
    () => {
      const privateSubnets = subnetsOf(shape, "private");
      const routeTables = privateSubnets.map((subnet) => routeTableOf(shape, subnet));
      expect(new Set(routeTables.map((table) => table.urn)).size).toBe(natGateways === "per-az" ? zones : 1);
      expect(of(shape, AWS.routeTable)).toHaveLength(1 + (natGateways === "per-az" ? zones : 1));
      if (natGateways === "per-az") {
        privateSubnets.forEach((subnet, index) => {
          const [nat] = inputsFrom(routesOf(shape, routeTables[index])[0], AWS.natGateway);
          const [natSubnet] = inputsFrom(nat, AWS.subnet);
          expect(natSubnet.inputs.availabilityZone).toBe(subnet.inputs.availabilityZone);
        });
      }
    },
  );

  it("publishes the VPC, the subnets by role and the zones they are in", async () => {
    const network = networks[shape];
    expect(await promiseOf(network.vpcId)).toMatch(/^vpc-/);
    expect(await Promise.all(network.availabilityZones.map(promiseOf))).toEqual(firstZones);
    const privateIds = await Promise.all(network.privateSubnetIds.map(promiseOf));
    const publicIds = await Promise.all(network.publicSubnetIds.map(promiseOf));
    expect(privateIds).toHaveLength(zones);
    expect(publicIds).toHaveLength(zones);
    for (const id of [...privateIds, ...publicIds]) expect(id).toMatch(/^subnet-/);
    expect(new Set([...privateIds, ...publicIds]).size).toBe(2 * zones);
  });

  it("tags every resource with the caller's tags and its own Name, and parents it to the component", () => {
    const component = records.find((record) => record.type === "temporal-kit:aws:Network" && record.name === shape)!;
    const children = records.filter((record) => record.name.startsWith(`${shape}-`));
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      expect(child.parent, child.name).toBe(component.urn);
      const taggable = ![AWS.route, AWS.association].includes(child.type as typeof AWS.route);
      if (taggable) expect(child.inputs.tags, child.name).toEqual({ ...tags, ...pickKubernetesTags(child), Name: child.name });
    }
  });
});

function pickKubernetesTags(record: ResourceRecord): Record<string, string> {
  const recorded = (record.inputs.tags ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(recorded).filter(([key]) => key.startsWith("kubernetes.io/")));
}
