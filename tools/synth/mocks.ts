import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What the engine and providers would answer, made up deterministically so that every output
 * resolves offline: ids from names, generated passwords from a hash of the resource name, and
 * plausible AWS identities, endpoints and ARNs in one fixed account and region.
 */
export const MOCK_AWS = {
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
} as const;

export const kitMocks: pulumi.runtime.Mocks = {
  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    return { id: mockId(args), state: { ...args.inputs, ...extraState(args) } };
  },
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return callResult(args) ?? args.inputs;
  },
};

const hash = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

function mockId(args: pulumi.runtime.MockResourceArgs): string {
  // AWS ids carry a type prefix that some resources validate (sg-, vpc-, subnet-).
  const prefixes: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
  };
  const prefix = prefixes[args.type];
  return prefix ? `${prefix}${hash(args.name, 17)}` : `${args.name}-id`;
}

function awsArn(args: pulumi.runtime.MockResourceArgs): string {
  const service = args.type.split(":")[1].split("/")[0];
  const region = service === "iam" ? "" : MOCK_AWS.region;
  return `arn:${MOCK_AWS.partition}:${service}:${region}:${MOCK_AWS.accountId}:${args.name}`;
}

/** IAM names an OIDC provider by its issuer URL without the scheme. */
function oidcProviderArn(url: string): string {
  return `arn:${MOCK_AWS.partition}:iam::${MOCK_AWS.accountId}:oidc-provider/${url.replace(/^https:\/\//, "")}`;
}

function extraState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, any>;
  switch (args.type) {
    case "random:index/randomPassword:RandomPassword": {
      const length = Number(inputs.length ?? 32);
      return { result: hash(`mock-password:${args.name}`, length) };
    }
    case "aws:rds/instance:Instance": {
      const port = inputs.port ?? (String(inputs.engine).startsWith("postgres") ? 5432 : 3306);
      const address = `${inputs.identifier ?? args.name}.c${hash(args.name, 12)}.${MOCK_AWS.region}.rds.amazonaws.com`;
      return { arn: awsArn(args), address, port, endpoint: `${address}:${port}`, resourceId: `db-${hash(args.name, 26).toUpperCase()}` };
    }
    case "aws:eks/cluster:Cluster": {
      const id = hash(args.name, 32).toUpperCase();
      return {
        arn: awsArn(args),
        // The provider autonames the cluster; the mocks stand in for it.
        name: inputs.name ?? args.name,
        endpoint: `https://${id}.gr7.${MOCK_AWS.region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`mock-ca:${args.name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${MOCK_AWS.region}.amazonaws.com/id/${id}` }] }],
        vpcConfig: { ...(inputs.vpcConfig ?? {}), clusterSecurityGroupId: `sg-${hash(`${args.name}-cluster`, 17)}` },
        version: inputs.version ?? "1.31",
      };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return { arn: oidcProviderArn(String(inputs.url)) };
    case "aws:iam/role:Role":
      return { arn: `arn:${MOCK_AWS.partition}:iam::${MOCK_AWS.accountId}:role/${inputs.name ?? args.name}`, name: inputs.name ?? args.name };
    // The provider autonames these; ARNs take the shapes IAM policies and autoscaling ids are built from.
    case "aws:ecs/cluster:Cluster":
      return { arn: `arn:${MOCK_AWS.partition}:ecs:${MOCK_AWS.region}:${MOCK_AWS.accountId}:cluster/${inputs.name ?? args.name}`, name: inputs.name ?? args.name };
    case "aws:ecs/service:Service":
      return { name: inputs.name ?? args.name };
    case "aws:ecs/taskDefinition:TaskDefinition":
      return { arn: `arn:${MOCK_AWS.partition}:ecs:${MOCK_AWS.region}:${MOCK_AWS.accountId}:task-definition/${inputs.family}:1`, revision: 1 };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:${MOCK_AWS.partition}:logs:${MOCK_AWS.region}:${MOCK_AWS.accountId}:log-group:${inputs.name ?? args.name}`, name: inputs.name ?? args.name };
    case "aws:lb/loadBalancer:LoadBalancer":
      return { arn: awsArn(args), dnsName: `${args.name}-${hash(args.name, 10)}.elb.${MOCK_AWS.region}.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K" };
    default:
      return args.type.startsWith("aws:") && inputs.arn === undefined ? { arn: awsArn(args) } : {};
  }
}

function callResult(args: pulumi.runtime.MockCallArgs): Record<string, unknown> | undefined {
  const inputs = args.inputs as Record<string, any>;
  switch (args.token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        id: MOCK_AWS.region,
        names: [...MOCK_AWS.availabilityZones],
        zoneIds: MOCK_AWS.availabilityZones.map((_, index) => `use1-az${index + 1}`),
        state: "available",
      };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: MOCK_AWS.accountId,
        accountId: MOCK_AWS.accountId,
        arn: `arn:${MOCK_AWS.partition}:iam::${MOCK_AWS.accountId}:user/temporal-kit-synth`,
        userId: "AIDAMOCKTEMPORALKIT",
      };
    case "aws:index/getPartition:getPartition":
      return { id: MOCK_AWS.partition, partition: MOCK_AWS.partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getRegion:getRegion":
      return { id: MOCK_AWS.region, name: MOCK_AWS.region, region: MOCK_AWS.region, endpoint: `ec2.${MOCK_AWS.region}.amazonaws.com` };
    case "aws:eks/getCluster:getCluster": {
      const id = hash(inputs.name, 32).toUpperCase();
      return {
        id: inputs.name,
        name: inputs.name,
        arn: `arn:${MOCK_AWS.partition}:eks:${MOCK_AWS.region}:${MOCK_AWS.accountId}:cluster/${inputs.name}`,
        endpoint: `https://${id}.gr7.${MOCK_AWS.region}.eks.amazonaws.com`,
        certificateAuthorities: [{ data: Buffer.from(`mock-ca:${inputs.name}`).toString("base64") }],
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${MOCK_AWS.region}.amazonaws.com/id/${id}` }] }],
        vpcConfig: { clusterSecurityGroupId: `sg-${hash(`${inputs.name}-cluster`, 17)}`, vpcId: `vpc-${hash(inputs.name, 17)}`, subnetIds: [] },
        version: "1.31",
        status: "ACTIVE",
      };
    }
    case "aws:ec2/getVpc:getVpc":
      // An existing VPC: a plausible private range, so rules built from it resolve.
      return { id: inputs.id, arn: `arn:${MOCK_AWS.partition}:ec2:${MOCK_AWS.region}:${MOCK_AWS.accountId}:vpc/${inputs.id}`, cidrBlock: "10.20.0.0/16", state: "available" };
    case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": {
      // Looked up by issuer URL: an existing cluster's provider, as IAM registered it.
      const url = String(inputs.url ?? "");
      return { id: oidcProviderArn(url), arn: oidcProviderArn(url), url: url.replace(/^https:\/\//, ""), clientIdLists: ["sts.amazonaws.com"], thumbprintLists: [], tags: {} };
    }
    default:
      return undefined;
  }
}
