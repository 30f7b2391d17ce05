import { createHash } from "node:crypto";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as opensearch from "@pulumi/aws/opensearch";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childAfter, childOf } from "../../childOptions";
import { serverSecurityGroup } from "../../aws/serverSecurityGroup";
import { awsTags } from "../../aws/tags";

export interface OpenSearchDomainArgs {
  /** `OpenSearch_2.x`, such as OpenSearch_2.19: Temporal (from 1.30.1) speaks OpenSearch 2 through its Elasticsearch v7 API. */
  engineVersion: string;
  /** An OpenSearch Service type, such as r6g.large.search; the dedicated masters use it too. */
  instanceType: string;
  /** Data nodes; two or more are spread over up to three zones. */
  instanceCount: number;
  /** Three dedicated master nodes, so elections and cluster state never compete with searches (production). */
  dedicatedMasters: boolean;
  /** gp3 volume of each data node. */
  volumeSizeGb: number;
  vpcId: pulumi.Input<string>;
  /** Private subnets, one per availability zone; the domain takes as many as it spreads over. */
  subnetIds: pulumi.Input<string>[];
  /** The only sources allowed in, and only on 443. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  /**
   * Create the account's OpenSearch service-linked role, which a domain in a VPC needs and a fresh
   * account lacks; an account that already has it refuses a second, so this is for fresh accounts.
   */
  createServiceLinkedRole: boolean;
  tags: Record<string, string>;
}

/** The service whose service-linked role (AWSServiceRoleForAmazonOpenSearchService) lets OpenSearch place a domain in a VPC. */
export const OPENSEARCH_SERVICE = "opensearchservice.amazonaws.com";

/** The visibility index Temporal's server and schema tool are pointed at. */
export const OPENSEARCH_INDEX_DEFAULT = "temporal_visibility_v1";

const HTTPS_PORT = 443;
/** OpenSearch Service spreads a domain over two or three zones, never more. */
const MAX_ZONES = 3;
const DEDICATED_MASTER_COUNT = 3;
/** The smallest EBS volume OpenSearch Service attaches to a data node. */
const MIN_VOLUME_GB = 10;
/** TLS 1.2 and 1.3 with forward-secret ciphers only; the older policies also accept TLS 1.0 or non-PFS suites. */
const TLS_SECURITY_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";
const MASTER_USER = "temporal";
/** AWS's limit on domain names; longer ones are refused at create. */
const DOMAIN_NAME_MAX = 28;
const DOMAIN_NAME_HASH = 8;

/**
 * The domain name: the component name made lowercase and cut short, then a hash of the project, stack
 * and name, so two stacks in one account and region never collide. It is stable across deploys: AWS
 * names hold only 28 characters, too few for Pulumi's autoname of the kit's usual names plus a suffix.
 */
export function openSearchDomainName(name: string, scope: string): string {
  const readable = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, DOMAIN_NAME_MAX - DOMAIN_NAME_HASH - 1)
    .replace(/-+$/, "");
  const suffix = createHash("sha256").update(`${scope}/${name}`).digest("hex").slice(0, DOMAIN_NAME_HASH);
  return `${readable || "temporal"}-${suffix}`;
}

/** The zones the data nodes are spread over: one zone for one node, otherwise as many as nodes and subnets allow, up to three. */
export function zoneCount(instanceCount: number, subnetCount: number): number {
  return instanceCount < 2 ? 1 : Math.min(instanceCount, subnetCount, MAX_ZONES);
}

/**
 * A managed OpenSearch 2 domain for Temporal's visibility store: inside the VPC only, encrypted at rest
 * and between nodes, HTTPS-only with TLS 1.2 or newer, reachable on 443 from the given security groups
 * and nothing else, and guarded by fine-grained access control with a master user whose generated
 * password only ever travels as a Pulumi secret.
 */
export class OpenSearchDomain extends pulumi.ComponentResource {
  readonly domain: opensearch.Domain;
  /** Host name only, without a scheme: Temporal's config takes scheme and host apart. */
  readonly endpoint: pulumi.Output<string>;
  readonly port = HTTPS_PORT;
  readonly username: string = MASTER_USER;
  readonly password: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: OpenSearchDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:OpenSearchDomain", name, {}, opts);
    if (!/^OpenSearch_2\.\d+$/.test(args.engineVersion)) {
      throw new Error(`OpenSearch engine version "${args.engineVersion}" must be OpenSearch_2.x, such as OpenSearch_2.19: Temporal speaks OpenSearch 2 only`);
    }
    if (!/^[a-z0-9-]+\.[a-z0-9]+\.search$/.test(args.instanceType)) {
      throw new Error(`OpenSearch instance type "${args.instanceType}" must be an OpenSearch Service type ending in ".search", such as r6g.large.search`);
    }
    if (!Number.isInteger(args.instanceCount) || args.instanceCount < 1) {
      throw new Error(`OpenSearchDomain needs at least one data node; given ${args.instanceCount}`);
    }
    if (!Number.isInteger(args.volumeSizeGb) || args.volumeSizeGb < MIN_VOLUME_GB) {
      throw new Error(`OpenSearchDomain volumeSizeGb must be a whole number of at least ${MIN_VOLUME_GB}; given ${args.volumeSizeGb}`);
    }
    if (args.clientSecurityGroupIds.length === 0) {
      throw new Error("OpenSearchDomain needs at least one client security group: nothing else may connect");
    }
    if (args.subnetIds.length === 0) {
      throw new Error("OpenSearchDomain needs at least one private subnet");
    }
    if (args.instanceCount >= 2 && args.subnetIds.length < 2) {
      throw new Error(`OpenSearchDomain spreads ${args.instanceCount} data nodes over zones and needs private subnets in at least two availability zones; given ${args.subnetIds.length}`);
    }
    const zones = zoneCount(args.instanceCount, args.subnetIds.length);
    if (zones === 2 && args.instanceCount % 2 !== 0) {
      throw new Error(`OpenSearch needs an even number of data nodes over two availability zones; given ${args.instanceCount}: add a node or a third subnet`);
    }
    const domainName = openSearchDomainName(name, `${pulumi.getProject()}/${pulumi.getStack()}`);
    const tags = (suffix: string) => awsTags(args.tags, `${name}-${suffix}`);

    // OpenSearch demands an upper-case letter, a lower-case letter, a digit and a special character.
    // The specials are limited to - and _: safe in a URL and in a YAML template, even at the start,
    // where ! would read as a YAML tag.
    const password = new random.RandomPassword(
      `${name}-password`,
      { length: 32, special: true, overrideSpecial: "-_", minUpper: 1, minLower: 1, minNumeric: 1, minSpecial: 1 },
      childOf(this, opts),
    );
    // The engine marks `result` secret only once it answers; wrapping it keeps it secret in the program
    // and under the synth's mocks too.
    this.password = pulumi.secret(password.result);

    const securityGroup = serverSecurityGroup(
      name,
      { vpcId: args.vpcId, port: HTTPS_PORT, clientSecurityGroupIds: args.clientSecurityGroupIds, description: "Temporal visibility OpenSearch: HTTPS from client security groups only", clients: "Temporal visibility clients", tags: args.tags },
      childOf(this, opts),
    );
    this.securityGroupId = securityGroup.id;

    // With fine-grained access control AWS documents an open resource policy: every request still has
    // to authenticate as an OpenSearch user, and the VPC and security group decide who can connect.
    // An IAM-principal policy would shut Temporal out, as it signs in with a user and password, not SigV4.
    const partition = getPartitionOutput({}, { parent: this }).partition;
    const region = getRegionOutput({}, { parent: this }).region;
    const accountId = getCallerIdentityOutput({}, { parent: this }).accountId;
    const accessPolicies = pulumi.all([partition, region, accountId]).apply(([partition, region, accountId]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: `arn:${partition}:es:${region}:${accountId}:domain/${domainName}/*` },
        ],
      }),
    );

    const zoneAware = args.instanceCount >= 2;
    const serviceLinkedRole = args.createServiceLinkedRole
      ? [new iam.ServiceLinkedRole(`${name}-service-role`, { awsServiceName: OPENSEARCH_SERVICE, description: "Lets OpenSearch Service place Temporal's visibility domain in the VPC", tags: tags("service-role") }, childOf(this, opts))]
      : [];
    if (!args.createServiceLinkedRole) {
      void pulumi.log.warn(
        `OpenSearch in a VPC needs the account's service-linked role for ${OPENSEARCH_SERVICE}; a fresh account lacks it and the domain's creation then fails. ` +
          `Create it once (aws iam create-service-linked-role --aws-service-name ${OPENSEARCH_SERVICE}) or set visibility.createServiceLinkedRole: true.`,
        this,
      );
    }
    this.domain = new opensearch.Domain(
      `${name}-domain`,
      {
        domainName,
        engineVersion: args.engineVersion,
        clusterConfig: {
          instanceType: args.instanceType,
          instanceCount: args.instanceCount,
          zoneAwarenessEnabled: zoneAware,
          ...(zoneAware ? { zoneAwarenessConfig: { availabilityZoneCount: zones } } : {}),
          ...(args.dedicatedMasters
            ? { dedicatedMasterEnabled: true, dedicatedMasterCount: DEDICATED_MASTER_COUNT, dedicatedMasterType: args.instanceType }
            : { dedicatedMasterEnabled: false }),
          // A standby zone demands data nodes in multiples of three over three zones; the kit sizes freely.
          multiAzWithStandbyEnabled: false,
        },
        ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeSizeGb },
        // One subnet per zone: AWS refuses more subnets than zones. They are taken in order, so the
        // caller's private subnets must each be in a different zone, as the kit's network makes them.
        vpcOptions: { subnetIds: args.subnetIds.slice(0, zones), securityGroupIds: [securityGroup.id] },
        encryptAtRest: { enabled: true },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_SECURITY_POLICY },
        advancedSecurityOptions: {
          enabled: true,
          // Anonymous access is only a migration aid for turning access control on; never wanted here.
          anonymousAuthEnabled: false,
          internalUserDatabaseEnabled: true,
          masterUserOptions: { masterUserName: MASTER_USER, masterUserPassword: this.password },
        },
        accessPolicies,
        // Service software updates land in the domain's off-peak window, as RDS applies minor versions.
        softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
        // No snapshotOptions: OpenSearch takes hourly automated snapshots and ignores the start hour.
        tags: tags("domain"),
      },
      // The name is fixed, so a replacement must free it first; a replaced domain starts empty either way.
      { ...childAfter(this, opts, serviceLinkedRole), deleteBeforeReplace: true },
    );
    this.endpoint = this.domain.endpoint;

    this.registerOutputs({ endpoint: this.endpoint, port: this.port, securityGroupId: this.securityGroupId });
  }
}
