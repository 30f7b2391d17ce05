import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { childOf } from "../../childOptions";
import { awsTags } from "../tags";

export interface OneOffTaskArgs {
  clusterArn: pulumi.Input<string>;
  taskDefinitionArn: pulumi.Input<string>;
  /** Roles the task definition names (execution role, task role) that RunTask must be allowed to pass. */
  passRoleArns: pulumi.Input<string>[];
  subnetIds: pulumi.Input<string>[];
  securityGroupIds: pulumi.Input<string>[];
  /** The container whose exit code says whether the run worked. */
  containerName: string;
  /** What the run is, for error messages and startedBy (<= 36 chars, e.g. "temporal-kit-schema"). */
  purpose: string;
  /** How long the task may take, from 60 to 900 seconds (Lambda's limit); 600 unless given. */
  timeoutSeconds?: number;
  tags: Record<string, string>;
}

export const DEFAULT_TIMEOUT_SECONDS = 600;
/** A Fargate task alone takes the better part of a minute to provision and pull its image. */
const MIN_TIMEOUT_SECONDS = 60;
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/**
 * Added to the task's time for the function's own timeout: the handler stops the task 20-25 s
 * before Lambda would end it, and needs a few seconds to start it. At 900 s the task gets less.
 */
export const LAMBDA_MARGIN_SECONDS = 30;
const LOG_RETENTION_DAYS = 30;
const HANDLER_FILE = "runOneOffTask.js";

/**
 * RunTask is granted on every revision of the task definition's family, so a new revision runs
 * without first waiting for a changed policy to propagate through IAM. An ARN that does not have
 * the `task-definition/<family>:<revision>` shape is granted exactly as given.
 */
export function runTaskResource(taskDefinitionArn: string): string {
  const revisioned = /^(arn:[\w-]+:ecs:[\w-]+:\d{12}:task-definition\/[\w-]+):\d+$/.exec(taskDefinitionArn);
  return revisioned ? `${revisioned[1]}:*` : taskDefinitionArn;
}

/**
 * Runs an ECS Fargate task once and holds the deployment until it has ended, failing it unless
 * the task's container exited 0. Pulumi has no resource for that, so a small Lambda function
 * starts and watches the task and an invocation of it stands for the run. The invocation is
 * made again only when the task definition changes: a new revision is a new image or a new
 * schema, and an unchanged deployment has nothing to run.
 */
export class OneOffTask extends pulumi.ComponentResource {
  readonly invocation: lambda.Invocation;
  /** What the function answered: the task's ARN and exit code, as JSON. */
  readonly result: pulumi.Output<string>;

  constructor(name: string, args: OneOffTaskArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:OneOffTask", name, {}, opts);
    const timeoutSeconds = args.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < MIN_TIMEOUT_SECONDS || timeoutSeconds > LAMBDA_MAX_TIMEOUT_SECONDS) {
      throw new Error(
        `The ${args.purpose} task's timeout must be a whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${LAMBDA_MAX_TIMEOUT_SECONDS}, the longest a Lambda function may run; given ${timeoutSeconds}`,
      );
    }
    if (!/^[A-Za-z0-9_/-]{1,36}$/.test(args.purpose)) {
      throw new Error(`The purpose "${args.purpose}" becomes the task's startedBy: use at most 36 letters, digits, hyphens, underscores or slashes`);
    }
    if (args.subnetIds.length === 0) {
      throw new Error(`The ${args.purpose} task needs at least one subnet to run in`);
    }
    const tags = (suffix: string) => awsTags(args.tags, `${name}-${suffix}`);

    // Created here rather than by Lambda on first use, so that it has a retention and is deleted with the stack.
    const logGroup = new cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: LOG_RETENTION_DAYS, tags: tags("logs") }, childOf(this, opts));

    const role = new iam.Role(
      `${name}-role`,
      {
        description: `Lets the ${args.purpose} function run its ECS task and nothing else`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags: tags("role"),
      },
      childOf(this, opts),
    );
    const policy = new iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([args.clusterArn, args.taskDefinitionArn, pulumi.all(args.passRoleArns), logGroup.arn])
          .apply(([clusterArn, taskDefinitionArn, passRoleArns, logGroupArn]) => {
            const onCluster = { ArnEquals: { "ecs:cluster": clusterArn } };
            return JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Sid: "RunTheTask", Effect: "Allow", Action: "ecs:RunTask", Resource: runTaskResource(taskDefinitionArn), Condition: onCluster },
                // Tasks have no ARN before they run; the cluster condition keeps these to the kit's own cluster.
                { Sid: "WatchAndStopTheTask", Effect: "Allow", Action: ["ecs:DescribeTasks", "ecs:StopTask"], Resource: "*", Condition: onCluster },
                ...(passRoleArns.length > 0
                  ? [
                      {
                        Sid: "HandTheTaskItsRoles",
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: passRoleArns,
                        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                      },
                    ]
                  : []),
                { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
              ],
            });
          }),
      },
      childOf(this, opts),
    );

    const handlerSource = readFileSync(join(__dirname, HANDLER_FILE), "utf8");
    const fn = new lambda.Function(
      `${name}-function`,
      {
        description: `Runs the ${args.purpose} ECS task once and fails unless it exits 0`,
        runtime: lambda.Runtime.NodeJS22dX,
        handler: "runOneOffTask.handler",
        // The file's text rather than its path: the same archive on every machine, and the synth shows what ships.
        code: new pulumi.asset.AssetArchive({ [HANDLER_FILE]: new pulumi.asset.StringAsset(handlerSource) }),
        // Through the policy's id: a function invoked before its policy exists cannot start the task.
        role: pulumi.all([role.arn, policy.id]).apply(([arn]) => arn),
        timeout: Math.min(timeoutSeconds + LAMBDA_MARGIN_SECONDS, LAMBDA_MAX_TIMEOUT_SECONDS),
        memorySize: 128,
        // The group's id is its name, which the offline synth's mocks also fill in.
        loggingConfig: { logFormat: "Text", logGroup: logGroup.id },
        tags: tags("function"),
      },
      childOf(this, opts),
    );

    const input = pulumi
      .all([args.clusterArn, args.taskDefinitionArn, pulumi.all(args.subnetIds), pulumi.all(args.securityGroupIds)])
      .apply(([cluster, taskDefinition, subnets, securityGroups]) =>
        JSON.stringify({ cluster, taskDefinition, subnets, securityGroups, containerName: args.containerName, startedBy: args.purpose }),
      );
    this.invocation = new lambda.Invocation(
      `${name}-invocation`,
      {
        // A function's id is its name; unlike `name`, the mocks set it too.
        functionName: fn.id,
        input,
        // Replaced, and so run again, only for a new task definition revision (or a changed input).
        triggers: { taskDefinitionArn: args.taskDefinitionArn },
      },
      childOf(this, opts),
    );
    this.result = this.invocation.result;

    this.registerOutputs({ result: this.result });
  }
}
