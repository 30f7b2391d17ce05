import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { awsTags } from "./tags";

export interface NetworkArgs {
  cidrBlock: string;
  /** 2 or 3; fixes the resource count, so it never depends on what the zone lookup returns. */
  availabilityZoneCount: number;
  /** `single` saves money and loses egress with its zone; `per-az` keeps each zone independent. */
  natGateways: "single" | "per-az";
  tags: Record<string, string>;
}

/** The zones the address plan keeps room for. */
export const MAX_AVAILABILITY_ZONES = 3;
const MIN_AVAILABILITY_ZONES = 2;
const MIN_VPC_PREFIX = 16;
const MAX_VPC_PREFIX = 20;
/** Every subnet is 1/16 of the VPC: a /16 gives /20s (4,096 addresses; EKS pods take one each). */
const SUBNET_EXTRA_BITS = 4;

export interface SubnetCidrs {
  /** One per zone, in zone order. */
  private: string[];
  /** One per zone, in zone order. */
  public: string[];
}

/**
 * Splits the VPC block into sixteen equal subnets and hands them out by slot: private subnets take
 * slots 0-2, public ones slots 3-5, whatever the zone count. Growing from two zones to three then
 * only adds subnets; no existing subnet changes its block, which AWS could only do by replacing it.
 * Slots 6-15 stay free for later needs.
 */
export function subnetCidrs(cidrBlock: string, availabilityZoneCount: number): SubnetCidrs {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidrBlock);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  if (!match || octets.some((octet) => octet > 255)) {
    throw new Error(`VPC CIDR block "${cidrBlock}" is not an IPv4 CIDR block such as 10.40.0.0/16`);
  }
  const prefix = Number(match[5]);
  if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
    throw new Error(`VPC CIDR block "${cidrBlock}" must be a /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}, to leave room for a subnet per zone and role`);
  }
  if (!Number.isInteger(availabilityZoneCount) || availabilityZoneCount < MIN_AVAILABILITY_ZONES || availabilityZoneCount > MAX_AVAILABILITY_ZONES) {
    throw new Error(`availabilityZoneCount must be ${MIN_AVAILABILITY_ZONES} or ${MAX_AVAILABILITY_ZONES}; given ${availabilityZoneCount}`);
  }
  const base = octets.reduce((address, octet) => address * 256 + octet, 0);
  const blockSize = 2 ** (32 - prefix);
  if (base % blockSize !== 0) {
    const network = toDottedQuad(base - (base % blockSize));
    throw new Error(`VPC CIDR block "${cidrBlock}" has host bits set; the block starts at ${network}/${prefix}`);
  }
  const subnetPrefix = prefix + SUBNET_EXTRA_BITS;
  const subnetSize = 2 ** (32 - subnetPrefix);
  const slot = (index: number) => `${toDottedQuad(base + index * subnetSize)}/${subnetPrefix}`;
  const zones = [...Array(availabilityZoneCount).keys()];
  return {
    private: zones.map((zone) => slot(zone)),
    public: zones.map((zone) => slot(MAX_AVAILABILITY_ZONES + zone)),
  };
}

function toDottedQuad(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/**
 * A VPC spread over two or three zones: private subnets for the database and the cluster's nodes,
 * public subnets for load balancers and NAT only, and a way out to the internet through NAT. With
 * `per-az`, each zone's private subnet leaves through the NAT gateway in its own zone, so losing a
 * zone costs no other zone its egress.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  /** Data and compute, one per zone. */
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** Load balancers only, one per zone. */
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly availabilityZones: pulumi.Output<string>[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:Network", name, {}, opts);
    const cidrs = subnetCidrs(args.cidrBlock, args.availabilityZoneCount);
    const zoneCount = args.availabilityZoneCount;
    const tags = (suffix: string, extra?: Record<string, string>) => awsTags(args.tags, `${name}-${suffix}`, extra);

    // Opted-in Local and Wavelength Zones report "available" too; the network belongs in the region's own zones.
    const zones = getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      { parent: this },
    );
    this.availabilityZones = cidrs.private.map((_, index) =>
      zones.names.apply((names) => {
        if (names.length < zoneCount) {
          throw new Error(`the region has ${names.length} available availability zones (${names.join(", ")}); the network needs ${zoneCount}`);
        }
        return names[index];
      }),
    );

    const vpc = new ec2.Vpc(
      `${name}-vpc`,
      // EKS and RDS endpoints are DNS names that must resolve inside the VPC.
      { cidrBlock: args.cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: tags("vpc") },
      childOf(this, opts),
    );
    this.vpcId = vpc.id;

    const internetGateway = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, childOf(this, opts));

    const subnet = (role: "private" | "public", index: number) =>
      new ec2.Subnet(
        `${name}-${role}-${index}`,
        {
          vpcId: vpc.id,
          availabilityZone: this.availabilityZones[index],
          cidrBlock: cidrs[role][index],
          // Only load balancers and NAT gateways live in public subnets, and they get their addresses explicitly.
          mapPublicIpOnLaunch: false,
          // Where the AWS Load Balancer Controller puts internet-facing and internal load balancers.
          tags: tags(`${role}-${index}`, role === "public" ? { "kubernetes.io/role/elb": "1" } : { "kubernetes.io/role/internal-elb": "1" }),
        },
        childOf(this, opts),
      );
    const privateSubnets = cidrs.private.map((_, index) => subnet("private", index));
    const publicSubnets = cidrs.public.map((_, index) => subnet("public", index));
    this.privateSubnetIds = privateSubnets.map((item) => item.id);
    this.publicSubnetIds = publicSubnets.map((item) => item.id);

    const publicRouteTable = new ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tags("public-rt") }, childOf(this, opts));
    new ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id },
      childOf(this, opts),
    );
    publicSubnets.forEach(
      (item, index) =>
        new ec2.RouteTableAssociation(`${name}-public-assoc-${index}`, { subnetId: item.id, routeTableId: publicRouteTable.id }, childOf(this, opts)),
    );

    // NAT gateway n sits in public subnet n and serves private route table n.
    const natCount = args.natGateways === "per-az" ? zoneCount : 1;
    const privateRouteTables = publicSubnets.slice(0, natCount).map((publicSubnet, index) => {
      const address = new ec2.Eip(`${name}-nat-eip-${index}`, { domain: "vpc", tags: tags(`nat-eip-${index}`) }, childOf(this, opts));
      const natGateway = new ec2.NatGateway(
        `${name}-nat-${index}`,
        {
          allocationId: address.id,
          // A public NAT gateway fails to create until the VPC has its internet gateway; the id makes it wait.
          subnetId: pulumi.all([publicSubnet.id, internetGateway.id]).apply(([subnetId]) => subnetId),
          tags: tags(`nat-${index}`),
        },
        childOf(this, opts),
      );
      const routeTable = new ec2.RouteTable(`${name}-private-rt-${index}`, { vpcId: vpc.id, tags: tags(`private-rt-${index}`) }, childOf(this, opts));
      new ec2.Route(
        `${name}-private-default-${index}`,
        { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natGateway.id },
        childOf(this, opts),
      );
      return routeTable;
    });
    privateSubnets.forEach(
      (item, index) =>
        new ec2.RouteTableAssociation(
          `${name}-private-assoc-${index}`,
          { subnetId: item.id, routeTableId: privateRouteTables[natCount === 1 ? 0 : index].id },
          childOf(this, opts),
        ),
    );

    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      availabilityZones: this.availabilityZones,
    });
  }
}
