import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { OPENSEARCH_INDEX_DEFAULT, OpenSearchDomain, OpenSearchDomainArgs, openSearchDomainName, zoneCount } from "../../../components/stores/opensearch/openSearchDomain";
import { MOCK_AWS } from "../../../tools/synth/mocks";
import { type Recording, type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { caseQueries } from "../../helpers/caseQueries";

const AWS = {
  domain: "aws:opensearch/domain:Domain",
  domainPolicy: "aws:opensearch/domainPolicy:DomainPolicy",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  legacyRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  password: "random:index/randomPassword:RandomPassword",
} as const;

const base: OpenSearchDomainArgs = {
  engineVersion: "OpenSearch_2.19",
  instanceType: "r6g.large.search",
  instanceCount: 3,
  dedicatedMasters: true,
  volumeSizeGb: 100,
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc"],
  clientSecurityGroupIds: ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"],
  createServiceLinkedRole: false,
  tags: { "temporal-kit:environment": "test" },
};
const cases = {
  /** Production-like: three nodes over three zones, dedicated masters; two client security groups. */
  prd: base,
  /** Staging-like: one node in one zone, no dedicated masters; one client security group. */
  stg: { ...base, instanceType: "t3.medium.search", instanceCount: 1, dedicatedMasters: false, volumeSizeGb: 20, clientSecurityGroupIds: ["sg-0cccccccccccccccc"] },
  /** Two nodes: two zones although three subnets are offered; in a fresh account, so it creates the service-linked role. */
  duo: { ...base, instanceType: "m6g.large.search", instanceCount: 2, dedicatedMasters: false, volumeSizeGb: 50, createServiceLinkedRole: true },
} satisfies Record<string, OpenSearchDomainArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
let gate: random.RandomPassword;
const domains = {} as Record<Case, OpenSearchDomain>;
/** The `deleteBeforeReplace` option of every registration, by name: the recorder does not keep it. */
const deleteBeforeReplaceByName = new Map<string, boolean>();

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  tapDeleteBeforeReplace(deleteBeforeReplaceByName);
  // Stands in for whatever the domain must wait for; only the production domain is given it.
  gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) {
    domains[name] = new OpenSearchDomain(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  }
  await settle();
});

function tapDeleteBeforeReplace(into: Map<string, boolean>): void {
  interface Request {
    getName(): string;
    getDeletebeforereplace(): boolean;
  }
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, callback: unknown): void };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    into.set(req.getName(), req.getDeletebeforereplace());
    register(req, callback);
  };
}

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:aws:OpenSearchDomain");
const domainOf = (name: Case) => only(name, AWS.domain).inputs as Record<string, any>;

describe("openSearchDomainName", () => {
  it("keeps a short component name readable and adds a hash", () => {
    expect(openSearchDomainName("visibility", "temporal-kit/prd")).toMatch(/^visibility-[0-9a-f]{8}$/);
  });

  it("fits AWS's 28 lowercase characters, starting with a letter, however the component is named", () => {
    for (const name of ["temporal-production-aws-opensearch", "Temporal_PRD.Search", "42-visibility", "---", "x"]) {
      const domainName = openSearchDomainName(name, "temporal-kit/prd");
      expect(domainName, name).toMatch(/^[a-z][a-z0-9-]{2,27}$/);
      expect(domainName.length, name).toBeLessThanOrEqual(28);
    }
  });

  it("is stable for one stack and differs between stacks and between components", () => {
    const name = "temporal-aws-opensearch";
    expect(openSearchDomainName(name, "temporal-kit/prd")).toBe(openSearchDomainName(name, "temporal-kit/prd"));
    expect(openSearchDomainName(name, "temporal-kit/prd")).not.toBe(openSearchDomainName(name, "temporal-kit/stg"));
    expect(openSearchDomainName(name, "temporal-kit/prd")).not.toBe(openSearchDomainName(`${name}-2`, "temporal-kit/prd"));
  });
});

describe("zoneCount", () => {
  it("keeps a single node in one zone", () => {
    expect(zoneCount(1, 3)).toBe(1);
  });

  it("spreads nodes over as many zones as nodes and subnets allow, up to three", () => {
    expect(zoneCount(2, 3)).toBe(2);
    expect(zoneCount(3, 3)).toBe(3);
    expect(zoneCount(6, 3)).toBe(3);
    expect(zoneCount(6, 2)).toBe(2);
    expect(zoneCount(6, 5)).toBe(3);
  });
});

describe("OpenSearchDomain argument checks", () => {
  it("refuses engine versions other than OpenSearch 2", () => {
    for (const version of ["OpenSearch_1.3", "OpenSearch_3.1", "Elasticsearch_7.10", "2.19", "OpenSearch_2", "opensearch_2.19"]) {
      expect(() => new OpenSearchDomain("bad-version", { ...base, engineVersion: version })).toThrow(
        `OpenSearch engine version "${version}" must be OpenSearch_2.x, such as OpenSearch_2.19: Temporal speaks OpenSearch 2 only`,
      );
    }
  });

  it("refuses instance types that are not OpenSearch Service types", () => {
    for (const instanceType of ["r6g.large", "r6g.large.elasticsearch", "db.r6g.large", "R6G.LARGE.SEARCH"]) {
      expect(() => new OpenSearchDomain("bad-type", { ...base, instanceType })).toThrow(
        `OpenSearch instance type "${instanceType}" must be an OpenSearch Service type ending in ".search", such as r6g.large.search`,
      );
    }
  });

  it("refuses a domain without data nodes", () => {
    expect(() => new OpenSearchDomain("bad-count", { ...base, instanceCount: 0 })).toThrow("OpenSearchDomain needs at least one data node; given 0");
    expect(() => new OpenSearchDomain("bad-count", { ...base, instanceCount: 1.5 })).toThrow("OpenSearchDomain needs at least one data node; given 1.5");
  });

  it("refuses volumes smaller than OpenSearch Service attaches", () => {
    expect(() => new OpenSearchDomain("bad-volume", { ...base, volumeSizeGb: 5 })).toThrow("OpenSearchDomain volumeSizeGb must be a whole number of at least 10; given 5");
  });

  it("refuses a domain no client may reach", () => {
    expect(() => new OpenSearchDomain("bad-clients", { ...base, clientSecurityGroupIds: [] })).toThrow(
      "OpenSearchDomain needs at least one client security group: nothing else may connect",
    );
  });

  it("refuses a domain without subnets", () => {
    expect(() => new OpenSearchDomain("bad-subnets", { ...base, instanceCount: 1, subnetIds: [] })).toThrow("OpenSearchDomain needs at least one private subnet");
  });

  it("refuses several nodes with a single subnet, which leaves no second zone", () => {
    expect(() => new OpenSearchDomain("bad-zones", { ...base, subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"] })).toThrow(
      "OpenSearchDomain spreads 3 data nodes over zones and needs private subnets in at least two availability zones; given 1",
    );
  });

  it("refuses an odd number of nodes over two zones", () => {
    expect(() => new OpenSearchDomain("bad-odd", { ...base, subnetIds: base.subnetIds.slice(0, 2) })).toThrow(
      "OpenSearch needs an even number of data nodes over two availability zones; given 3: add a node or a third subnet",
    );
  });
});

describe.each(Object.keys(cases) as Case[])("OpenSearchDomain %s", (name) => {
  const args: OpenSearchDomainArgs = cases[name];
  const zones = { prd: 3, stg: 1, duo: 2 }[name];

  it("admits exactly one ingress rule per client security group, on 443 only", () => {
    const securityGroup = only(name, AWS.securityGroup);
    const rules = of(name, AWS.ingressRule);
    expect(rules).toHaveLength(args.clientSecurityGroupIds.length);
    expect(rules.map((rule) => rule.inputs.referencedSecurityGroupId).sort()).toEqual([...args.clientSecurityGroupIds].sort());
    for (const rule of rules) {
      expect(rule.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443 });
      for (const source of ["cidrIpv4", "cidrIpv6", "prefixListId"]) expect(rule.inputs[source], source).toBeUndefined();
      expect(rule.dependsOn).toContain(securityGroup.urn);
    }
  });

  it("has no inline rules, no egress rules and no open CIDR anywhere", () => {
    const securityGroup = only(name, AWS.securityGroup);
    expect(securityGroup.inputs.vpcId).toBe(args.vpcId);
    expect(securityGroup.inputs.ingress).toBeUndefined();
    expect(securityGroup.inputs.egress).toBeUndefined();
    expect(of(name, AWS.egressRule)).toEqual([]);
    expect(of(name, AWS.legacyRule)).toEqual([]);
    const everything = JSON.stringify(records.filter((record) => record.name.startsWith(`${name}-`)));
    expect(everything).not.toContain("0.0.0.0/0");
    expect(everything).not.toContain("::/0");
  });

  it(args.createServiceLinkedRole ? "creates the OpenSearch service-linked role a fresh account lacks, before the domain" : "leaves the account's OpenSearch service-linked role alone", () => {
    const roles = of(name, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
    if (!args.createServiceLinkedRole) {
      expect(roles).toEqual([]);
      return;
    }
    expect(roles.map((role) => role.inputs.awsServiceName)).toEqual(["opensearchservice.amazonaws.com"]);
    expect(only(name, AWS.domain).dependsOn).toContain(roles[0].urn);
  });

  it("lives only inside the VPC, in one private subnet per zone and behind its own security group", () => {
    const domain = only(name, AWS.domain);
    const securityGroup = only(name, AWS.securityGroup);
    expect(domain.inputs.vpcOptions).toEqual({ subnetIds: args.subnetIds.slice(0, zones), securityGroupIds: [expect.stringMatching(/^sg-/)] });
    expect(domain.dependsOn).toContain(securityGroup.urn);
  });

  it("encrypts at rest and between nodes and takes HTTPS only, with TLS 1.2 or newer", () => {
    expect(domainOf(name)).toMatchObject({
      encryptAtRest: { enabled: true },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    });
  });

  it("runs the requested OpenSearch 2 version on the requested nodes with gp3 volumes", () => {
    const domain = domainOf(name);
    expect(domain.engineVersion).toBe(args.engineVersion);
    expect(domain.clusterConfig).toMatchObject({ instanceType: args.instanceType, instanceCount: args.instanceCount, multiAzWithStandbyEnabled: false });
    expect(domain.ebsOptions).toEqual({ ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeSizeGb });
  });

  it("guards the domain with fine-grained access control and a master user whose password stays secret", async () => {
    expect(domainOf(name).advancedSecurityOptions).toEqual({
      enabled: true,
      anonymousAuthEnabled: false,
      internalUserDatabaseEnabled: true,
      masterUserOptions: { masterUserName: "temporal", masterUserPassword: SECRET_PLACEHOLDER },
    });
    expect(domains[name].username).toBe("temporal");
    expect(await pulumi.isSecret(domains[name].password)).toBe(true);
    const plaintext = await promiseOf(domains[name].password);
    expect(plaintext.length).toBe(32);
    expect(JSON.stringify(records)).not.toContain(plaintext);
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain(plaintext);
  });

  it("generates a password with every character class OpenSearch demands and specials safe in URLs and YAML", () => {
    expect(only(name, AWS.password).inputs).toMatchObject({
      length: 32,
      special: true,
      overrideSpecial: "-_",
      minUpper: 1,
      minLower: 1,
      minNumeric: 1,
      minSpecial: 1,
    });
  });

  it("lets any HTTP request reach this domain's indexes and leaves authentication to access control", () => {
    const domain = domainOf(name);
    expect(JSON.parse(String(domain.accessPolicies))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "es:ESHttp*",
          Resource: `arn:${MOCK_AWS.partition}:es:${MOCK_AWS.region}:${MOCK_AWS.accountId}:domain/${domain.domainName}/*`,
        },
      ],
    });
    expect(of(name, AWS.domainPolicy)).toEqual([]);
  });

  it("names the domain within AWS's limits and frees the name before a replacement", () => {
    const domain = only(name, AWS.domain);
    expect(domain.inputs.domainName).toBe(openSearchDomainName(name, "temporal-kit/unit"));
    expect(deleteBeforeReplaceByName.get(domain.name)).toBe(true);
  });

  if (args.instanceCount >= 2) {
    it(`spreads the data nodes over ${zones} zones`, () => {
      expect(domainOf(name).clusterConfig).toMatchObject({ zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: zones } });
    });
  } else {
    it("keeps its single data node in one zone, without zone awareness", () => {
      expect(domainOf(name).clusterConfig.zoneAwarenessEnabled).toBe(false);
      expect(domainOf(name).clusterConfig.zoneAwarenessConfig).toBeUndefined();
    });
  }

  if (args.dedicatedMasters) {
    it("runs three dedicated masters", () => {
      expect(domainOf(name).clusterConfig).toMatchObject({ dedicatedMasterEnabled: true, dedicatedMasterCount: 3, dedicatedMasterType: args.instanceType });
    });
  } else {
    it("runs no dedicated masters", () => {
      const clusterConfig = domainOf(name).clusterConfig;
      expect(clusterConfig.dedicatedMasterEnabled).toBe(false);
      expect(clusterConfig.dedicatedMasterCount).toBeUndefined();
      expect(clusterConfig.dedicatedMasterType).toBeUndefined();
    });
  }

  it("publishes the host without a scheme, port 443 and the security group clients are admitted by", async () => {
    const domain = domains[name];
    expect(domain.port).toBe(443);
    const endpoint = await promiseOf(domain.endpoint);
    expect(endpoint).toMatch(/^vpc-[a-z0-9-]+\.[a-z0-9-]+\.es\.amazonaws\.com$/);
    const securityGroupId = await promiseOf(domain.securityGroupId);
    expect(securityGroupId).toMatch(/^sg-/);
    expect(domainOf(name).vpcOptions.securityGroupIds).toEqual([securityGroupId]);
    for (const rule of of(name, AWS.ingressRule)) expect(rule.inputs.securityGroupId).toBe(securityGroupId);
    expect(domain.domain).toBeDefined();
  });

  it("parents every resource to the component and tags it with the caller's tags and a Name", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children.length).toBeGreaterThanOrEqual(4);
    for (const child of children) {
      expect(child.parent, child.name).toBe(componentOf(name).urn);
      if (child.type.startsWith("aws:")) expect(child.inputs.tags, child.name).toMatchObject({ ...args.tags, Name: expect.stringMatching(`^${name}-`) });
    }
  });
});

describe("OpenSearchDomain options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children.length).toBeGreaterThanOrEqual(5);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});

describe("OPENSEARCH_INDEX_DEFAULT", () => {
  it("names Temporal's usual visibility index", () => {
    expect(OPENSEARCH_INDEX_DEFAULT).toBe("temporal_visibility_v1");
  });
});
