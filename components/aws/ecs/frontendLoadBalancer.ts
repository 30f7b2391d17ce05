import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { ROLES } from "../../temporal/roles";
import { awsTags } from "../tags";
import { allowLoadBalancerToTasks } from "./loadBalancerRules";
import { loadBalancerName } from "./loadBalancerName";

export interface FrontendLoadBalancerArgs {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  /** Networks whose clients and workers may call the frontend. */
  clientCidrs: pulumi.Input<string>[];
  tasksSecurityGroupId: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * An internal Network Load Balancer for the frontend's gRPC port: the stable address clients in
 * the VPC (and networks peered with it) start workflows through. gRPC keeps long-lived HTTP/2
 * connections, so a layer-4 balancer passes them through untouched.
 */
export class FrontendLoadBalancer extends pulumi.ComponentResource {
  readonly targetGroupArn: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  readonly port = ROLES.frontend.grpcPort;

  constructor(name: string, args: FrontendLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:FrontendLoadBalancer", name, {}, opts);
    const tags = (suffix: string) => awsTags(args.tags, `${name}-${suffix}`);
    const port = this.port;

    const securityGroup = new ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: "Temporal frontend load balancer: gRPC from client networks", tags: tags("sg") },
      childOf(this, opts),
    );
    args.clientCidrs.forEach(
      (cidr, index) =>
        new vpc.SecurityGroupIngressRule(
          `${name}-clients-${index}`,
          { securityGroupId: securityGroup.id, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: port, toPort: port, description: "Temporal clients", tags: tags(`clients-${index}`) },
          childOf(this, opts),
        ),
    );
    allowLoadBalancerToTasks(
      name,
      { loadBalancerSecurityGroupId: securityGroup.id, tasksSecurityGroupId: args.tasksSecurityGroupId, port, what: "Frontend gRPC", tags: args.tags },
      childOf(this, opts),
    );

    const loadBalancer = new lb.LoadBalancer(
      `${name}-nlb`,
      {
        name: loadBalancerName(`${name}-nlb`, { type: "network", internal: "true" }, this, opts),
        loadBalancerType: "network",
        internal: true,
        subnets: args.subnetIds,
        securityGroups: [securityGroup.id],
        enableCrossZoneLoadBalancing: true,
        tags: tags("nlb"),
      },
      childOf(this, opts),
    );
    this.dnsName = loadBalancer.dnsName;

    const targetGroup = new lb.TargetGroup(
      `${name}-targets`,
      {
        name: loadBalancerName(`${name}-targets`, { vpcId: args.vpcId, port: String(port), protocol: "TCP", targetType: "ip" }, this, opts),
        vpcId: args.vpcId,
        targetType: "ip",
        protocol: "TCP",
        port,
        // A frontend being replaced gets time to finish its in-flight calls.
        deregistrationDelay: 30,
        healthCheck: { protocol: "TCP", port: String(port), interval: 10, healthyThreshold: 2, unhealthyThreshold: 2 },
        tags: tags("targets"),
      },
      childOf(this, opts),
    );
    const listener = new lb.Listener(
      `${name}-grpc`,
      { loadBalancerArn: loadBalancer.arn, protocol: "TCP", port, defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }], tags: tags("grpc") },
      childOf(this, opts),
    );
    // ECS refuses a service whose target group no listener uses yet; hand the ARN out after the listener.
    this.targetGroupArn = pulumi.all([targetGroup.arn, listener.arn]).apply(([arn]) => arn);

    this.registerOutputs({ dnsName: this.dnsName });
  }
}
