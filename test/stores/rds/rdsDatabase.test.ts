import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { RdsDatabase, RdsDatabaseArgs, databaseParameters, parameterGroupFamily } from "../../../components/stores/rds/rdsDatabase";
import { MOCK_AWS } from "../../../tools/synth/mocks";
import { type Recording, type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { caseQueries } from "../../helpers/caseQueries";

const AWS = {
  instance: "aws:rds/instance:Instance",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  legacyRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  password: "random:index/randomPassword:RandomPassword",
} as const;

const base: RdsDatabaseArgs = {
  engine: "mysql8",
  engineVersion: "8.0.40",
  instanceClass: "db.r6g.xlarge",
  allocatedStorageGb: 200,
  maxAllocatedStorageGb: 1000,
  multiAz: true,
  backupRetentionDays: 14,
  deletionProtection: true,
  performanceInsights: true,
  monitoringIntervalSeconds: 60,
  username: "temporal",
  databaseName: "temporal",
  maxConnections: 640,
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc"],
  clientSecurityGroupIds: ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"],
  tags: { "temporal-kit:environment": "test" },
};
const cases = {
  /** Production-like: HA, protected, monitored; two client security groups. */
  prd: base,
  /** Staging-like: one zone, deletable, no extra monitoring; one client security group; a version prefix. */
  stg: {
    ...base,
    engineVersion: "8.4",
    instanceClass: "db.t4g.medium",
    allocatedStorageGb: 50,
    maxAllocatedStorageGb: 200,
    multiAz: false,
    backupRetentionDays: 7,
    deletionProtection: false,
    performanceInsights: false,
    monitoringIntervalSeconds: 0,
    maxConnections: 300,
    clientSecurityGroupIds: ["sg-0cccccccccccccccc"],
  },
  pg: { ...base, engine: "postgres12", engineVersion: "17", deletionProtection: false },
} satisfies Record<string, RdsDatabaseArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
let gate: random.RandomPassword;
const databases = {} as Record<Case, RdsDatabase>;
/** The `protect` option of every registration, by name: the recorder does not keep it. */
const protectedByName = new Map<string, boolean | undefined>();

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  tapProtect(protectedByName);
  // Stands in for whatever the database must wait for; only the production database is given it.
  gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) {
    databases[name] = new RdsDatabase(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  }
  await settle();
});

function tapProtect(into: Map<string, boolean | undefined>): void {
  interface Request {
    getName(): string;
    hasProtect(): boolean;
    getProtect(): boolean | undefined;
  }
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, callback: unknown): void };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    into.set(req.getName(), req.hasProtect() ? req.getProtect() : undefined);
    register(req, callback);
  };
}

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:aws:RdsDatabase");
const instanceOf = (name: Case) => only(name, AWS.instance).inputs;

describe("parameterGroupFamily", () => {
  it("maps MySQL 8.0 and 8.4, with or without a patch level, to their families", () => {
    expect(parameterGroupFamily("mysql8", "8.0.40")).toBe("mysql8.0");
    expect(parameterGroupFamily("mysql8", "8.0")).toBe("mysql8.0");
    expect(parameterGroupFamily("mysql8", "8.4.3")).toBe("mysql8.4");
    expect(parameterGroupFamily("mysql8", "8.4")).toBe("mysql8.4");
  });

  it("maps a PostgreSQL version to the family of its major version", () => {
    expect(parameterGroupFamily("postgres12", "16.4")).toBe("postgres16");
    expect(parameterGroupFamily("postgres12", "17")).toBe("postgres17");
    expect(parameterGroupFamily("postgres12", "12.22")).toBe("postgres12");
  });

  it("refuses versions Temporal's plugins cannot use or RDS has no family for", () => {
    for (const version of ["5.7.44", "8", "8.1", "9.0", "8.0.40.1"]) {
      expect(() => parameterGroupFamily("mysql8", version)).toThrow(
        `MySQL engine version "${version}" must be 8.0 or 8.4, optionally with a patch level such as 8.0.40`,
      );
    }
    for (const version of ["11.22", "9.6", "16.4.1", "latest"]) {
      expect(() => parameterGroupFamily("postgres12", version)).toThrow(`PostgreSQL engine version "${version}" must be 12 or newer, such as 16 or 16.4`);
    }
  });
});

describe("databaseParameters", () => {
  it("requires TLS on MySQL and applies the connection limit without a restart", () => {
    expect(databaseParameters("mysql8", 640)).toEqual([
      { name: "require_secure_transport", value: "1", applyMethod: "immediate" },
      { name: "max_connections", value: "640", applyMethod: "immediate" },
    ]);
  });

  it("requires TLS on PostgreSQL, where both settings take a restart", () => {
    expect(databaseParameters("postgres12", 640)).toEqual([
      { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
      { name: "max_connections", value: "640", applyMethod: "pending-reboot" },
    ]);
  });

  it("leaves transaction isolation to Temporal", () => {
    for (const engine of ["mysql8", "postgres12"] as const) {
      const names = databaseParameters(engine, 100).map((parameter) => parameter.name);
      expect(names.filter((name) => /isolation/.test(String(name)))).toEqual([]);
    }
  });
});

describe("RdsDatabase argument checks", () => {
  it("refuses a database no client may reach", () => {
    expect(() => new RdsDatabase("bad-clients", { ...base, clientSecurityGroupIds: [] })).toThrow(
      "RdsDatabase needs at least one client security group: nothing else may connect",
    );
  });

  it("refuses a single subnet, which RDS cannot place in a subnet group", () => {
    expect(() => new RdsDatabase("bad-subnets", { ...base, subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"] })).toThrow(
      "RdsDatabase needs private subnets in at least two availability zones; given 1",
    );
  });

  it("refuses an autoscaling ceiling below the allocated storage", () => {
    expect(() => new RdsDatabase("bad-storage", { ...base, allocatedStorageGb: 100, maxAllocatedStorageGb: 50 })).toThrow(
      "maxAllocatedStorageGb (50) must be at least allocatedStorageGb (100)",
    );
  });

  it("refuses a name that cannot become a final snapshot identifier when one is needed", () => {
    expect(() => new RdsDatabase("bad--name", base)).toThrow('"bad--name" cannot name an RDS snapshot: use letters, digits and single hyphens, starting with a letter');
  });
});

describe.each(Object.keys(cases) as Case[])("RdsDatabase %s", (name) => {
  const args: RdsDatabaseArgs = cases[name];
  const port = args.engine === "mysql8" ? 3306 : 5432;

  it("admits exactly one ingress rule per client security group, on the database port only", () => {
    const securityGroup = only(name, AWS.securityGroup);
    const rules = of(name, AWS.ingressRule);
    expect(rules).toHaveLength(args.clientSecurityGroupIds.length);
    expect(rules.map((rule) => rule.inputs.referencedSecurityGroupId).sort()).toEqual([...args.clientSecurityGroupIds].sort());
    for (const rule of rules) {
      expect(rule.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: port, toPort: port });
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

  it("keeps the instance private, encrypted on gp3 and inside its own security group and subnet group", () => {
    const instance = only(name, AWS.instance);
    expect(instance.inputs).toMatchObject({
      engine: args.engine === "mysql8" ? "mysql" : "postgres",
      engineVersion: args.engineVersion,
      instanceClass: args.instanceClass,
      port,
      publiclyAccessible: false,
      storageEncrypted: true,
      storageType: "gp3",
      allocatedStorage: args.allocatedStorageGb,
      maxAllocatedStorage: args.maxAllocatedStorageGb,
      dbName: args.databaseName,
      username: args.username,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      applyImmediately: false,
    });
    const securityGroup = only(name, AWS.securityGroup);
    const subnetGroup = only(name, AWS.subnetGroup);
    expect(instance.inputs.vpcSecurityGroupIds).toEqual([expect.stringMatching(/^sg-/)]);
    expect(instance.inputs.dbSubnetGroupName).toEqual(expect.any(String));
    expect(instance.inputs.parameterGroupName).toEqual(expect.any(String));
    expect(instance.dependsOn).toEqual(expect.arrayContaining([securityGroup.urn, subnetGroup.urn, only(name, AWS.parameterGroup).urn]));
    expect(subnetGroup.inputs.subnetIds).toEqual(args.subnetIds);
  });

  it("keeps backups for the days given", () => {
    expect(instanceOf(name).backupRetentionPeriod).toBe(args.backupRetentionDays);
  });

  it(args.multiAz ? "runs a standby in a second zone" : "runs in one zone", () => {
    expect(instanceOf(name).multiAz).toBe(args.multiAz);
  });

  it(
    args.deletionProtection
      ? "refuses deletion in AWS and in Pulumi, and keeps a final snapshot"
      : "can be deleted without a final snapshot",
    () => {
      const instance = only(name, AWS.instance);
      expect(instance.inputs.deletionProtection).toBe(args.deletionProtection);
      expect(protectedByName.get(instance.name)).toBe(args.deletionProtection);
      if (args.deletionProtection) {
        // Unique per database, so a second destroy in the same account cannot collide (DBSnapshotAlreadyExists).
        expect(instance.inputs.skipFinalSnapshot).toBe(false);
        expect(instance.inputs.finalSnapshotIdentifier).toMatch(new RegExp(`^${name}-final-snapshot-[0-9a-f]{8}$`));
      } else {
        expect(instance.inputs.skipFinalSnapshot).toBe(true);
        expect(instance.inputs.finalSnapshotIdentifier).toBeUndefined();
      }
    },
  );

  it("requires TLS and sets the connection limit in its own parameter group", () => {
    const parameterGroup = only(name, AWS.parameterGroup);
    const family = { prd: "mysql8.0", stg: "mysql8.4", pg: "postgres17" }[name];
    expect(parameterGroup.inputs.family).toBe(family);
    const parameters = Object.fromEntries(
      (parameterGroup.inputs.parameters as { name: string; value: string }[]).map((parameter) => [parameter.name, parameter.value]),
    );
    const tls = args.engine === "mysql8" ? { require_secure_transport: "1" } : { "rds.force_ssl": "1" };
    expect(parameters).toEqual({ ...tls, max_connections: String(args.maxConnections) });
  });

  it("passes the password to RDS only as a secret and publishes it only as a secret", async () => {
    expect(instanceOf(name).password).toBe(SECRET_PLACEHOLDER);
    expect(await pulumi.isSecret(databases[name].password)).toBe(true);
    const plaintext = await promiseOf(databases[name].password);
    expect(plaintext).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(JSON.stringify(records)).not.toContain(plaintext);
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain(plaintext);
    expect(only(name, AWS.password).inputs).toMatchObject({ length: 32, special: false });
  });

  it(args.performanceInsights ? "keeps seven days of Performance Insights" : "leaves Performance Insights off", () => {
    const instance = instanceOf(name);
    expect(instance.performanceInsightsEnabled).toBe(args.performanceInsights);
    expect(instance.performanceInsightsRetentionPeriod).toBe(args.performanceInsights ? 7 : undefined);
  });

  if (args.monitoringIntervalSeconds > 0) {
    it("sends enhanced monitoring through a role RDS may assume, once its AWS policy is attached", () => {
      const role = only(name, AWS.role);
      const attachment = only(name, AWS.attachment);
      expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
      });
      expect(attachment.inputs.policyArn).toBe(`arn:${MOCK_AWS.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`);
      expect(attachment.dependsOn).toContain(role.urn);
      const instance = only(name, AWS.instance);
      expect(instance.inputs.monitoringInterval).toBe(args.monitoringIntervalSeconds);
      expect(instance.inputs.monitoringRoleArn).toBe(`arn:${MOCK_AWS.partition}:iam::${MOCK_AWS.accountId}:role/${role.name}`);
      expect(instance.dependsOn).toContain(attachment.urn);
    });
  } else {
    it("creates no monitoring role when enhanced monitoring is off", () => {
      expect(of(name, AWS.role)).toEqual([]);
      expect(of(name, AWS.attachment)).toEqual([]);
      expect(instanceOf(name).monitoringInterval).toBe(0);
      expect(instanceOf(name).monitoringRoleArn).toBeUndefined();
    });
  }

  it("publishes the endpoint, the port and the security group clients are admitted by", async () => {
    const database = databases[name];
    expect(database.port).toBe(port);
    expect(await promiseOf(database.address)).toMatch(/\.rds\.amazonaws\.com$/);
    const securityGroupId = await promiseOf(database.securityGroupId);
    expect(securityGroupId).toMatch(/^sg-/);
    expect(instanceOf(name).vpcSecurityGroupIds).toEqual([securityGroupId]);
    for (const rule of of(name, AWS.ingressRule)) expect(rule.inputs.securityGroupId).toBe(securityGroupId);
    expect(database.instance).toBeDefined();
  });

  it("parents every resource to the component and tags it with the caller's tags and a Name", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children.length).toBeGreaterThanOrEqual(6);
    for (const child of children) {
      expect(child.parent, child.name).toBe(componentOf(name).urn);
      // A policy attachment is a link, not a resource AWS can tag.
      if (child.type.startsWith("aws:") && child.type !== AWS.attachment) expect(child.inputs.tags, child.name).toMatchObject({ ...args.tags, Name: expect.stringMatching(`^${name}-`) });
    }
  });
});

describe("RdsDatabase options", () => {
  it("makes every resource inside wait for what the component depends on, protection included", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children.length).toBeGreaterThanOrEqual(6);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
    expect(protectedByName.get(only("prd", AWS.instance).name)).toBe(true);
  });
});
