import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { awsTags } from "../tags";
import { UI_PORT } from "./containerDefinitions";
import { allowLoadBalancerToTasks } from "./loadBalancerRules";
import { loadBalancerName } from "./loadBalancerName";

export interface WebConsoleLoadBalancerArgs {
  vpcId: pulumi.Input<string>;
  /** Public subnets when internet-facing, private ones otherwise. */
  subnetIds: pulumi.Input<string>[];
  internetFacing: boolean;
  allowedCidrs: pulumi.Input<string>[];
  /** With a certificate the console is served over HTTPS and plain HTTP only redirects. */
  certificateArn?: string;
  /** The console tasks' group (the cluster's clients group): the only group the balancer may reach. */
  tasksSecurityGroupId: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** TLS 1.3 with 1.2 fallback, AWS's recommended policy for new HTTPS listeners. */
export const HTTPS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * An Application Load Balancer in front of the web console, open only to the configured
 * networks. Only the load balancer may reach the console's port on the tasks.
 */
export class WebConsoleLoadBalancer extends pulumi.ComponentResource {
  readonly targetGroupArn: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: WebConsoleLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:WebConsoleLoadBalancer", name, {}, opts);
    const tags = (suffix: string) => awsTags(args.tags, `${name}-${suffix}`);
    const https = args.certificateArn !== undefined;
    const listenerPorts = https ? [443, 80] : [80];

    const securityGroup = new ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: "Temporal web console load balancer", tags: tags("sg") },
      childOf(this, opts),
    );
    args.allowedCidrs.forEach((cidr, index) =>
      listenerPorts.forEach(
        (port) =>
          new vpc.SecurityGroupIngressRule(
            `${name}-viewers-${index}-${port}`,
            { securityGroupId: securityGroup.id, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: port, toPort: port, description: "Web console viewers", tags: tags(`viewers-${index}-${port}`) },
            childOf(this, opts),
          ),
      ),
    );
    allowLoadBalancerToTasks(
      name,
      { loadBalancerSecurityGroupId: securityGroup.id, tasksSecurityGroupId: args.tasksSecurityGroupId, port: UI_PORT, what: "Web console", tags: args.tags },
      childOf(this, opts),
    );

    const loadBalancer = new lb.LoadBalancer(
      `${name}-alb`,
      {
        name: loadBalancerName(`${name}-alb`, { type: "application", internal: String(!args.internetFacing) }, this, opts),
        loadBalancerType: "application",
        internal: !args.internetFacing,
        subnets: args.subnetIds,
        securityGroups: [securityGroup.id],
        dropInvalidHeaderFields: true,
        tags: tags("alb"),
      },
      childOf(this, opts),
    );

    const targetGroup = new lb.TargetGroup(
      `${name}-targets`,
      {
        name: loadBalancerName(`${name}-targets`, { vpcId: args.vpcId, port: String(UI_PORT), protocol: "HTTP", targetType: "ip" }, this, opts),
        vpcId: args.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: UI_PORT,
        deregistrationDelay: 30,
        healthCheck: { protocol: "HTTP", path: "/healthz", port: String(UI_PORT), matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
        tags: tags("targets"),
      },
      childOf(this, opts),
    );
    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];

    let forwarding: lb.Listener;
    if (https) {
      forwarding = new lb.Listener(
        `${name}-https`,
        { loadBalancerArn: loadBalancer.arn, protocol: "HTTPS", port: 443, sslPolicy: HTTPS_POLICY, certificateArn: args.certificateArn, defaultActions: forward, tags: tags("https") },
        childOf(this, opts),
      );
      new lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: loadBalancer.arn,
          protocol: "HTTP",
          port: 80,
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
          tags: tags("http"),
        },
        childOf(this, opts),
      );
    } else {
      forwarding = new lb.Listener(
        `${name}-http`,
        { loadBalancerArn: loadBalancer.arn, protocol: "HTTP", port: 80, defaultActions: forward, tags: tags("http") },
        childOf(this, opts),
      );
    }
    // ECS refuses a service whose target group no listener uses yet; hand the ARN out after the listener.
    this.targetGroupArn = pulumi.all([targetGroup.arn, forwarding.arn]).apply(([arn]) => arn);
    this.url = pulumi.interpolate`${https ? "https" : "http"}://${loadBalancer.dnsName}`;

    this.registerOutputs({ url: this.url });
  }
}
