import * as vpc from "@pulumi/aws/vpc";
import type * as pulumi from "@pulumi/pulumi";
import { awsTags } from "../tags";

export interface TargetPathArgs {
  loadBalancerSecurityGroupId: pulumi.Input<string>;
  tasksSecurityGroupId: pulumi.Input<string>;
  port: number;
  /** What the tasks serve on the port, for the rules' descriptions. */
  what: string;
  tags: Record<string, string>;
}

/**
 * The two rules that let a load balancer reach its targets and nothing else: the balancer may send
 * to the tasks' group on one port, and the tasks' group admits that port from the balancer alone.
 */
export function allowLoadBalancerToTasks(name: string, args: TargetPathArgs, opts: pulumi.CustomResourceOptions): void {
  const rule = { ipProtocol: "tcp", fromPort: args.port, toPort: args.port };
  new vpc.SecurityGroupEgressRule(
    `${name}-to-tasks`,
    { ...rule, securityGroupId: args.loadBalancerSecurityGroupId, referencedSecurityGroupId: args.tasksSecurityGroupId, description: `${args.what} tasks`, tags: awsTags(args.tags, `${name}-to-tasks`) },
    opts,
  );
  new vpc.SecurityGroupIngressRule(
    `${name}-tasks-from-lb`,
    { ...rule, securityGroupId: args.tasksSecurityGroupId, referencedSecurityGroupId: args.loadBalancerSecurityGroupId, description: `${args.what} from its load balancer`, tags: awsTags(args.tags, `${name}-tasks-from-lb`) },
    opts,
  );
}
