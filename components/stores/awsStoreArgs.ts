import type * as pulumi from "@pulumi/pulumi";

/** Where the AWS platform puts a store it makes: the VPC's private subnets, open to the workloads' security group. */
export interface AwsStorePlacement {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  clientSecurityGroupIds: pulumi.Input<string>[];
  tags: Record<string, string>;
}
