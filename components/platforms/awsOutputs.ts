import * as pulumi from "@pulumi/pulumi";
import type { AwsPlatform } from "./aws/awsPlatform";

/** The outputs EKS and ECS share: where the RDS database answers, when the stack has one. */
export function awsOutputs(aws: AwsPlatform): Record<string, pulumi.Input<unknown>> {
  return aws.database ? { databaseEndpoint: pulumi.interpolate`${aws.database.address}:${aws.database.port}` } : {};
}
