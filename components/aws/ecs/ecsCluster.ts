import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as servicediscovery from "@pulumi/aws/servicediscovery";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { METRICS_PORT, ROLES } from "../../temporal/roles";
import { awsTags } from "../tags";

export interface EcsClusterArgs {
  vpcId: pulumi.Input<string>;
  /** The VPC's range: the data stores live in it, and only their ports are opened towards it. */
  vpcCidr: pulumi.Input<string>;
  /** Ports of the data stores in the VPC (RDS); OpenSearch answers on 443, which is open anyway. */
  storePorts: number[];
  /** Private DNS zone for service discovery, e.g. temporal.internal. */
  discoveryDomain: string;
  logRetentionDays: number;
  containerInsights: boolean;
  tags: Record<string, string>;
}

/** Every port a Temporal role listens on, which the other roles' tasks must reach directly. */
export function temporalPeerPorts(): { port: number; description: string }[] {
  const ports = Object.values(ROLES).flatMap((role) => [
    { port: role.grpcPort, description: `${role.name} gRPC` },
    { port: role.membershipPort, description: `${role.name} membership` },
    ...(role.httpPort ? [{ port: role.httpPort, description: `${role.name} HTTP` }] : []),
  ]);
  return [...ports, { port: METRICS_PORT, description: "metrics" }];
}

/** Every Temporal port lies in this range; tasks open connections to each other within it only. */
export const TEMPORAL_PORT_RANGE = {
  from: Math.min(...Object.values(ROLES).flatMap((role) => [role.grpcPort, role.membershipPort, role.httpPort ?? role.grpcPort])),
  to: Math.max(...Object.values(ROLES).flatMap((role) => [role.grpcPort, role.membershipPort, role.httpPort ?? role.grpcPort])),
};
const HTTPS_PORT = 443;

/**
 * The only server ports the client tasks (console, workers, namespace task) reach: the frontend,
 * and the internal frontend the namespace task registers through when JWT authorization is on.
 */
export function clientPorts(): { port: number; description: string }[] {
  return [ROLES.frontend, ROLES["internal-frontend"]].map((role) => ({ port: role.grpcPort, description: `${role.name} gRPC` }));
}

/**
 * The ECS side of the AWS platform: the cluster, the log group every container writes to, the
 * Cloud Map namespace clients find the frontend in, and two security groups.
 *
 * The server group is carried by the Temporal roles and the schema task. Roles reach each other
 * task to task on their gRPC and membership ports, so the group admits exactly those ports from
 * itself; the database admits this group alone. Outbound, they reach each other on Temporal's
 * ports, the data stores' ports in the VPC, and HTTPS anywhere (through the NAT gateways: ECR and
 * Docker Hub, Secrets Manager, CloudWatch Logs, an OIDC provider).
 *
 * The clients group is carried by the web console, the worker pools and the namespace task: they
 * only call the frontends, so a compromised worker or console cannot reach history's or
 * matching's ports, the membership ring, or the database. It admits nothing of its own; outbound
 * it reaches the server group on the frontends' gRPC ports (which the server group admits from it)
 * and HTTPS anywhere. DNS needs no rule: security groups do not filter the VPC's Amazon-provided
 * resolver.
 */
export class EcsCluster extends pulumi.ComponentResource {
  readonly cluster: ecs.Cluster;
  readonly clusterArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly discoveryNamespaceId: pulumi.Output<string>;
  readonly discoveryDomain: string;
  /** The Temporal roles' and the schema task's group. */
  readonly tasksSecurityGroupId: pulumi.Output<string>;
  /** The group of tasks that only call the frontends: console, workers, namespace task. */
  readonly clientsSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:EcsCluster", name, {}, opts);
    const tags = (suffix: string) => awsTags(args.tags, `${name}-${suffix}`);

    this.cluster = new ecs.Cluster(
      `${name}-cluster`,
      {
        settings: [{ name: "containerInsights", value: args.containerInsights ? "enabled" : "disabled" }],
        tags: tags("cluster"),
      },
      childOf(this, opts),
    );
    this.clusterArn = this.cluster.arn;

    const logGroup = new cloudwatch.LogGroup(
      `${name}-logs`,
      { retentionInDays: args.logRetentionDays, tags: tags("logs") },
      childOf(this, opts),
    );
    this.logGroupName = logGroup.name;

    const discovery = new servicediscovery.PrivateDnsNamespace(
      `${name}-discovery`,
      { name: args.discoveryDomain, vpc: args.vpcId, description: "Temporal service discovery", tags: tags("discovery") },
      childOf(this, opts),
    );
    this.discoveryNamespaceId = discovery.id;
    this.discoveryDomain = args.discoveryDomain;

    const tasks = new ec2.SecurityGroup(
      `${name}-tasks`,
      { vpcId: args.vpcId, description: "Temporal tasks: role-to-role gRPC and membership", tags: tags("tasks") },
      childOf(this, opts),
    );
    this.tasksSecurityGroupId = tasks.id;
    type RuleArgs = Omit<vpc.SecurityGroupIngressRuleArgs, "tags">;
    // Each rule's resource name is its tag suffix, so names and Name tags stay as they were.
    const ingress = (suffix: string, rule: RuleArgs) => new vpc.SecurityGroupIngressRule(`${name}-${suffix}`, { ...rule, tags: tags(suffix) }, childOf(this, opts));
    const egressRule = (suffix: string, rule: RuleArgs) => new vpc.SecurityGroupEgressRule(`${name}-${suffix}`, { ...rule, tags: tags(suffix) }, childOf(this, opts));
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });

    for (const { port, description } of temporalPeerPorts()) {
      ingress(`peer-${port}`, { securityGroupId: tasks.id, referencedSecurityGroupId: tasks.id, ...tcp(port), description });
    }
    const egress = (suffix: string, rule: Omit<RuleArgs, "securityGroupId">) => egressRule(`egress-${suffix}`, { securityGroupId: tasks.id, ...rule });
    egress("peers", {
      referencedSecurityGroupId: tasks.id,
      ipProtocol: "tcp",
      fromPort: TEMPORAL_PORT_RANGE.from,
      toPort: TEMPORAL_PORT_RANGE.to,
      description: "Temporal tasks: gRPC, membership and HTTP",
    });
    for (const port of [...new Set(args.storePorts)]) {
      egress(`store-${port}`, { cidrIpv4: args.vpcCidr, ...tcp(port), description: "Data store in the VPC" });
    }
    egress("https", { cidrIpv4: "0.0.0.0/0", ...tcp(HTTPS_PORT), description: "Images, AWS APIs, OpenSearch, identity provider" });

    const clients = new ec2.SecurityGroup(
      `${name}-clients`,
      { vpcId: args.vpcId, description: "Temporal clients (console, workers, namespace task): the frontends only", tags: tags("clients") },
      childOf(this, opts),
    );
    this.clientsSecurityGroupId = clients.id;
    for (const { port, description } of clientPorts()) {
      ingress(`from-clients-${port}`, { securityGroupId: tasks.id, referencedSecurityGroupId: clients.id, ...tcp(port), description: `${description} from client tasks` });
      egressRule(`clients-egress-${port}`, { securityGroupId: clients.id, referencedSecurityGroupId: tasks.id, ...tcp(port), description });
    }
    egressRule("clients-egress-https", { securityGroupId: clients.id, cidrIpv4: "0.0.0.0/0", ...tcp(HTTPS_PORT), description: "Images, AWS APIs, identity provider" });

    this.registerOutputs({
      clusterArn: this.clusterArn,
      logGroupName: this.logGroupName,
      tasksSecurityGroupId: this.tasksSecurityGroupId,
      clientsSecurityGroupId: this.clientsSecurityGroupId,
    });
  }
}
