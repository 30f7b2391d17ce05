import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { awsTags } from "./tags";

/** Who may assume a workload's role: one service account on EKS (IRSA), or the account's ECS tasks. */
export type WorkloadTrust =
  | {
      platform: "eks";
      /** The EKS cluster's OIDC provider and its issuer (without https://). */
      oidcProviderArn: pulumi.Input<string>;
      oidcIssuer: pulumi.Input<string>;
      namespace: pulumi.Input<string>;
      serviceAccountName: string;
    }
  | { platform: "ecs" };

export interface WorkloadIdentityRoleArgs {
  trust: WorkloadTrust;
  description: string;
  policyArns: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/** Trust for roles that ECS tasks of this account, and only this account, may assume. */
export function ecsTasksTrust(accountId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(accountId).apply((account) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          // Stops another account's tasks from being handed this role (confused deputy).
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  );
}

function serviceAccountTrust(trust: Extract<WorkloadTrust, { platform: "eks" }>): pulumi.Output<string> {
  return pulumi.all([trust.oidcProviderArn, trust.oidcIssuer, trust.namespace]).apply(([providerArn, issuer, namespace]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${trust.serviceAccountName}`,
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    }),
  );
}

/**
 * The IAM role a workload's own code calls AWS with (a worker pool reading its bucket): only the
 * named service account (EKS) or the account's tasks (ECS) can assume it, and it holds only the
 * policies the stack file lists.
 */
export class WorkloadIdentityRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: WorkloadIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:WorkloadIdentityRole", name, {}, opts);
    const trust =
      args.trust.platform === "eks" ? serviceAccountTrust(args.trust) : ecsTasksTrust(getCallerIdentityOutput({}, { parent: this }).accountId);
    const role = new iam.Role(
      `${name}-role`,
      { description: args.description, assumeRolePolicy: trust, tags: awsTags(args.tags, `${name}-role`) },
      childOf(this, opts),
    );
    const attachments = args.policyArns.map(
      (policyArn, index) => new iam.RolePolicyAttachment(`${name}-policy-${index}`, { role: role.name, policyArn }, childOf(this, opts)),
    );
    // A pod or task given the role before its policies land fails its first calls.
    this.arn = pulumi.all([role.arn, ...attachments.map((attachment) => attachment.id)]).apply(([arn]) => arn);
    this.registerOutputs({ arn: this.arn });
  }
}
