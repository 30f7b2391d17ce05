import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { awsTags } from "../tags";
import { ecsTasksTrust } from "../workloadIdentityRole";

export interface ExecutionRoleArgs {
  logGroupName: pulumi.Input<string>;
  /** Secrets Manager secrets the task definitions reference with `valueFrom`. */
  secretArns: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/**
 * The role ECS itself uses to start the kit's tasks: pull images (Docker Hub needs nothing, ECR
 * repositories of this account need the read actions), write to the kit's log group, and read
 * the database password secret. Nothing else: AWS's managed execution policy would grant every
 * log group and repository.
 */
export class ExecutionRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: ExecutionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:ExecutionRole", name, {}, opts);
    const identity = getCallerIdentityOutput({}, { parent: this });
    const partition = getPartitionOutput({}, { parent: this }).partition;
    const region = getRegionOutput({}, { parent: this }).region;

    const role = new iam.Role(
      `${name}-role`,
      { description: "Starts the Temporal kit's ECS tasks", assumeRolePolicy: ecsTasksTrust(identity.accountId), tags: awsTags(args.tags, `${name}-role`) },
      childOf(this, opts),
    );
    const policy = new iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([partition, region, identity.accountId, args.logGroupName, pulumi.all(args.secretArns)])
          .apply(([partitionName, regionName, account, logGroup, secretArns]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                {
                  Sid: "EcrPull",
                  Effect: "Allow",
                  Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                  Resource: `arn:${partitionName}:ecr:${regionName}:${account}:repository/*`,
                },
                {
                  Sid: "Logs",
                  Effect: "Allow",
                  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                  Resource: `arn:${partitionName}:logs:${regionName}:${account}:log-group:${logGroup}:*`,
                },
                { Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns },
              ],
            }),
          ),
      },
      childOf(this, opts),
    );
    // Tasks started before the policy lands fail to pull their secret; hand out the ARN after it.
    this.arn = pulumi.all([role.arn, policy.id]).apply(([arn]) => arn);
    this.registerOutputs({ arn: this.arn });
  }
}
