import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import type * as awsInputs from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childOf } from "../../childOptions";
import { serverSecurityGroup } from "../../aws/serverSecurityGroup";
import { awsTags } from "../../aws/tags";

export interface RdsDatabaseArgs {
  /** Temporal's SQL plugin name; the RDS engine follows from it. */
  engine: "mysql8" | "postgres12";
  /** A full version (8.0.40) or a prefix (8.4, 16) that RDS completes and keeps patched. */
  engineVersion: string;
  instanceClass: string;
  allocatedStorageGb: number;
  /** Storage autoscaling ceiling. */
  maxAllocatedStorageGb: number;
  multiAz: boolean;
  backupRetentionDays: number;
  /** Also protects the instance in Pulumi and keeps a final snapshot when it is deleted. */
  deletionProtection: boolean;
  performanceInsights: boolean;
  /** Enhanced monitoring; 0 turns it off. */
  monitoringIntervalSeconds: number;
  username: string;
  /** The database created with the instance. */
  databaseName: string;
  maxConnections: number;
  vpcId: pulumi.Input<string>;
  /** Private subnets in at least two zones. */
  subnetIds: pulumi.Input<string>[];
  /** The only sources allowed in, and only on the database port. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  tags: Record<string, string>;
}

type Engine = RdsDatabaseArgs["engine"];

/** The port each engine's clients connect to. */
export const RDS_PORTS: Record<Engine, number> = { mysql8: 3306, postgres12: 5432 };

const ENGINES: Record<Engine, { rdsEngine: string; port: number }> = {
  mysql8: { rdsEngine: "mysql", port: RDS_PORTS.mysql8 },
  postgres12: { rdsEngine: "postgres", port: RDS_PORTS.postgres12 },
};

/** Temporal's postgres12 plugin works with PostgreSQL 12 and newer. */
const MIN_POSTGRES_MAJOR = 12;
const PERFORMANCE_INSIGHTS_FREE_RETENTION_DAYS = 7;
const MONITORING_POLICY = "iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

/** The RDS parameter group family an engine version belongs to (`mysql8.0`, `mysql8.4`, `postgres16`). */
export function parameterGroupFamily(engine: Engine, engineVersion: string): string {
  if (engine === "mysql8") {
    const mysql = /^8\.(0|4)(\.\d+)?$/.exec(engineVersion);
    if (!mysql) throw new Error(`MySQL engine version "${engineVersion}" must be 8.0 or 8.4, optionally with a patch level such as 8.0.40`);
    return `mysql8.${mysql[1]}`;
  }
  const postgres = /^(\d+)(\.\d+)?$/.exec(engineVersion);
  if (!postgres || Number(postgres[1]) < MIN_POSTGRES_MAJOR) {
    throw new Error(`PostgreSQL engine version "${engineVersion}" must be ${MIN_POSTGRES_MAJOR} or newer, such as 16 or 16.4`);
  }
  return `postgres${postgres[1]}`;
}

/**
 * The server settings the kit owns: TLS required for every connection, and the connection limit
 * from Temporal's connection budget. Transaction isolation is left alone: Temporal sets it per
 * session. The instance boots with its parameter group, so pending-reboot values hold from the start.
 */
export function databaseParameters(engine: Engine, maxConnections: number): awsInputs.rds.ParameterGroupParameter[] {
  if (engine === "mysql8") {
    return [
      // RDS for MySQL instance groups spell the boolean 0/1 (ON/OFF is the server's and Aurora's spelling).
      { name: "require_secure_transport", value: "1", applyMethod: "immediate" },
      { name: "max_connections", value: String(maxConnections), applyMethod: "immediate" },
    ];
  }
  return [
    // Static on older versions; from PostgreSQL 15 it is already 1 by default, and AWS refuses to change
    // only the apply method of a default value. pending-reboot is accepted in both cases.
    { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
    // Sizes shared memory at start-up: PostgreSQL cannot change it without a restart.
    { name: "max_connections", value: String(maxConnections), applyMethod: "pending-reboot" },
  ];
}

/**
 * A managed MySQL or PostgreSQL server for Temporal on RDS: private, encrypted, TLS-only, reachable
 * on its port from the given security groups and nothing else, with a generated password that only
 * ever travels as a Pulumi secret. Production sets `deletionProtection`, which also keeps Pulumi from
 * deleting it and takes a final snapshot if it is ever deleted on purpose.
 */
export class RdsDatabase extends pulumi.ComponentResource {
  readonly instance: rds.Instance;
  readonly address: pulumi.Output<string>;
  readonly port: number;
  readonly password: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: RdsDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:RdsDatabase", name, {}, opts);
    if (args.clientSecurityGroupIds.length === 0) {
      throw new Error("RdsDatabase needs at least one client security group: nothing else may connect");
    }
    if (args.subnetIds.length < 2) {
      throw new Error(`RdsDatabase needs private subnets in at least two availability zones; given ${args.subnetIds.length}`);
    }
    if (args.maxAllocatedStorageGb < args.allocatedStorageGb) {
      throw new Error(`maxAllocatedStorageGb (${args.maxAllocatedStorageGb}) must be at least allocatedStorageGb (${args.allocatedStorageGb})`);
    }
    const { rdsEngine, port } = ENGINES[args.engine];
    const family = parameterGroupFamily(args.engine, args.engineVersion);
    // A snapshot name is taken for good in the account and region: a fixed one made the second
    // destroy of a same-named stack fail with DBSnapshotAlreadyExists. The suffix is drawn once
    // per database and kept in the state.
    const snapshotPrefix = `${name}-final-snapshot-`;
    if (args.deletionProtection && !/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,244}$/.test(snapshotPrefix)) {
      throw new Error(`"${name}" cannot name an RDS snapshot: use letters, digits and single hyphens, starting with a letter`);
    }
    const tags = (suffix: string) => awsTags(args.tags, `${name}-${suffix}`);
    this.port = port;

    // Letters and digits only: the password travels through a DSN and a YAML template.
    const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, childOf(this, opts));
    // The engine marks `result` secret only once it answers; wrapping it keeps it secret in the program
    // and under the synth's mocks too.
    this.password = pulumi.secret(password.result);

    const subnetGroup = new rds.SubnetGroup(
      `${name}-subnets`,
      { description: "Private subnets of the Temporal database", subnetIds: args.subnetIds, tags: tags("subnets") },
      childOf(this, opts),
    );

    const securityGroup = serverSecurityGroup(
      name,
      { vpcId: args.vpcId, port: port, clientSecurityGroupIds: args.clientSecurityGroupIds, description: "Temporal database: the database port from client security groups only", clients: "Temporal database clients", tags: args.tags },
      childOf(this, opts),
    );
    this.securityGroupId = securityGroup.id;

    const parameterGroup = new rds.ParameterGroup(
      `${name}-params`,
      { family, description: "Temporal database: TLS only, sized connection limit", parameters: databaseParameters(args.engine, args.maxConnections), tags: tags("params") },
      childOf(this, opts),
    );

    const monitoringRoleArn = args.monitoringIntervalSeconds > 0 ? this.monitoringRole(name, args, opts) : undefined;
    const performanceInsights = args.performanceInsights
      ? { performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_FREE_RETENTION_DAYS }
      : { performanceInsightsEnabled: false };
    const finalSnapshot = args.deletionProtection
      ? {
          skipFinalSnapshot: false,
          finalSnapshotIdentifier: new random.RandomId(`${name}-final-snapshot-id`, { byteLength: 4 }, childOf(this, opts)).hex.apply((hex) => `${snapshotPrefix}${hex}`),
        }
      : { skipFinalSnapshot: true };

    this.instance = new rds.Instance(
      `${name}-instance`,
      {
        engine: rdsEngine,
        engineVersion: args.engineVersion,
        autoMinorVersionUpgrade: true,
        instanceClass: args.instanceClass,
        port,
        dbName: args.databaseName,
        username: args.username,
        password: this.password,
        allocatedStorage: args.allocatedStorageGb,
        maxAllocatedStorage: args.maxAllocatedStorageGb,
        storageType: "gp3",
        storageEncrypted: true,
        // Both groups' ids are their names. Unlike `name`, which the provider fills in when it
        // autonames, the id is also set by the offline synth's mocks, so the synth shows the link.
        dbSubnetGroupName: subnetGroup.id,
        vpcSecurityGroupIds: [securityGroup.id],
        publiclyAccessible: false,
        parameterGroupName: parameterGroup.id,
        multiAz: args.multiAz,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        deletionProtection: args.deletionProtection,
        ...finalSnapshot,
        ...performanceInsights,
        monitoringInterval: args.monitoringIntervalSeconds,
        ...(monitoringRoleArn ? { monitoringRoleArn } : {}),
        // Changes that restart the server wait for the maintenance window instead of landing mid-deploy.
        applyImmediately: false,
        tags: tags("instance"),
      },
      { ...childOf(this, opts), protect: args.deletionProtection },
    );
    this.address = this.instance.address;

    this.registerOutputs({ address: this.address, port: this.port, securityGroupId: this.securityGroupId });
  }

  /** The role RDS assumes to publish enhanced-monitoring metrics; its ARN waits for the policy to be attached. */
  private monitoringRole(name: string, args: RdsDatabaseArgs, opts?: pulumi.ComponentResourceOptions): pulumi.Output<string> {
    const role = new iam.Role(
      `${name}-monitoring`,
      {
        description: "Lets RDS publish enhanced-monitoring metrics of the Temporal database",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags: awsTags(args.tags, `${name}-monitoring`),
      },
      childOf(this, opts),
    );
    const partition = getPartitionOutput({}, { parent: this }).partition;
    const attachment = new iam.RolePolicyAttachment(
      `${name}-monitoring`,
      { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:${MONITORING_POLICY}` },
      childOf(this, opts),
    );
    // RDS checks the role's permissions when monitoring is switched on; a role without its policy fails the create.
    return pulumi.all([role.arn, attachment.id]).apply(([arn]) => arn);
  }
}
