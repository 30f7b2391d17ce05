import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import type * as pulumi from "@pulumi/pulumi";
import { awsTags } from "./tags";

export interface ServerSecurityGroupArgs {
  vpcId: pulumi.Input<string>;
  port: number;
  clientSecurityGroupIds: pulumi.Input<string>[];
  /** What the group guards, for the group's description. */
  description: string;
  /** Who the clients are, for each rule's description. */
  clients: string;
  tags: Record<string, string>;
}

/**
 * The security group of a managed server (a database, a search domain): its one port from the
 * client security groups and nothing else. No inline rules, and no egress: a server answers
 * connections, it never opens any.
 */
export function serverSecurityGroup(name: string, args: ServerSecurityGroupArgs, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
  const securityGroup = new ec2.SecurityGroup(`${name}-sg`, { vpcId: args.vpcId, description: args.description, tags: awsTags(args.tags, `${name}-sg`) }, opts);
  args.clientSecurityGroupIds.forEach(
    (clientSecurityGroupId, index) =>
      new vpc.SecurityGroupIngressRule(
        `${name}-ingress-${index}`,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: clientSecurityGroupId,
          ipProtocol: "tcp",
          fromPort: args.port,
          toPort: args.port,
          description: args.clients,
          tags: awsTags(args.tags, `${name}-ingress-${index}`),
        },
        opts,
      ),
  );
  return securityGroup;
}
