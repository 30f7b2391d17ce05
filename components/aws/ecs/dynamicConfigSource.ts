import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { DYNAMIC_CONFIG_FILE, RENDERED_CONFIG_LABEL } from "../../temporal/roles";
import { awsTags } from "../tags";

export interface DynamicConfigSourceArgs {
  /** The rendered dynamic config file. */
  content: string;
  tags: Record<string, string>;
}

/**
 * Where the roles on ECS read their dynamic config from: a Parameter Store parameter, and a
 * managed policy that reads it and nothing else, for the roles' task roles. A change to the
 * config updates the parameter alone, so no task definition changes and no task restarts.
 */
export class DynamicConfigSource extends pulumi.ComponentResource {
  readonly parameterName: pulumi.Output<string>;
  readonly readPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: DynamicConfigSourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:DynamicConfigSource", name, {}, opts);
    const parameter = new ssm.Parameter(
      `${name}-parameter`,
      {
        type: "String",
        // Standard up to 4 KB, advanced above (8 KB), chosen by Parameter Store as the file grows.
        tier: "Intelligent-Tiering",
        // Not `value`, which the provider always marks secret: a preview must show what changes.
        insecureValue: args.content,
        description: "Temporal dynamic config: the roles on ECS fetch it and apply it without restarting",
        tags: { ...awsTags(args.tags, `${name}-parameter`), [RENDERED_CONFIG_LABEL]: DYNAMIC_CONFIG_FILE },
      },
      childOf(this, opts),
    );
    this.parameterName = parameter.name;
    const policy = new iam.Policy(
      `${name}-read`,
      {
        description: "Reads the Temporal dynamic config parameter",
        policy: parameter.arn.apply((arn) =>
          JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "DynamicConfig", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: arn }] }),
        ),
        tags: awsTags(args.tags, `${name}-read`),
      },
      childOf(this, opts),
    );
    this.readPolicyArn = policy.arn;
    this.registerOutputs({ parameterName: this.parameterName, readPolicyArn: this.readPolicyArn });
  }
}
