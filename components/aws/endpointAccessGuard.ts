import * as pulumi from "@pulumi/pulumi";

/**
 * What the endpoint access guard remembers of the VPC the stack created, and what the stack now
 * asks for. Plain values only: they are the guard resource's inputs, kept in the stack's state.
 */
export interface EndpointAccessFacts {
  /** aws.network.cidrBlock: a VPC keeps its block, so another block means another VPC. */
  vpcCidrBlock: string;
  /** endpointPublicAccess: false, so only the VPC and networks routed to it reach the API. */
  privateOnly: boolean;
  /**
   * The VPC's id: known at preview only when the VPC already exists in the stack's state (a new or
   * replaced VPC's id is unknown until it is made). Stacks deployed before the guard existed have no
   * remembered block, and this tells their existing VPC from a new one.
   */
  vpcId?: string;
}

export interface EndpointAccessFailure {
  property: string;
  reason: string;
}

/**
 * Why a private-only Kubernetes API endpoint cannot be deployed over the VPC this stack has, if it
 * cannot: `pulumi up` installs Temporal through that endpoint in the same run that creates the
 * cluster, and no network can be routed to a VPC before it exists. `deployed` is empty until a
 * deployment of the stack has created its VPC.
 */
export function endpointAccessFailures(deployed: Partial<EndpointAccessFacts>, next: EndpointAccessFacts): EndpointAccessFailure[] {
  if (!next.privateOnly || deployed.vpcCidrBlock === next.vpcCidrBlock) return [];
  const vpcExists = typeof next.vpcId === "string" && next.vpcId.startsWith("vpc-");
  if (deployed.vpcCidrBlock === undefined && vpcExists) return [];
  const why =
    deployed.vpcCidrBlock === undefined
      ? `this deployment creates the VPC (aws.network.mode: create, ${next.vpcCidrBlock})`
      : `aws.network.cidrBlock changes from ${deployed.vpcCidrBlock} to ${next.vpcCidrBlock}, which replaces the VPC`;
  return [
    {
      property: "privateOnly",
      reason:
        `aws.eks.endpointPublicAccess is false, but ${why}: no network is routed to it yet, so \`pulumi up\` could not reach a private-only ` +
        "Kubernetes API endpoint to install Temporal and every Kubernetes object of the stack would fail. Deploy with endpointPublicAccess: true and " +
        "publicAccessCidrs naming where `pulumi up` runs. Once the VPC exists and the networks in aws.eks.privateAccessCidrs reach it (a runner inside it, " +
        "peering, Transit Gateway or VPN), set endpointPublicAccess: false and deploy again",
    },
  ];
}

/**
 * The provider's `check` is the point of the resource: Pulumi calls it during `pulumi preview` with
 * the inputs stored by the last deployment as `olds` (none before the first), and a failure stops the
 * preview. Nothing outside the stack's state is read or written. Pulumi serializes this object into
 * the state, so it captures only the pure check.
 */
export const endpointAccessGuardProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<EndpointAccessFacts>, news: EndpointAccessFacts) {
    return { inputs: news, failures: endpointAccessFailures(olds, news) };
  },
  async diff(_id: string, olds: EndpointAccessFacts, news: EndpointAccessFacts) {
    return { changes: olds.vpcCidrBlock !== news.vpcCidrBlock || olds.privateOnly !== news.privateOnly || olds.vpcId !== news.vpcId, replaces: [], deleteBeforeReplace: false };
  },
  async create(inputs: EndpointAccessFacts) {
    return { id: "temporal-kit-endpoint-access-guard", outs: inputs };
  },
  async update(_id: string, _olds: EndpointAccessFacts, news: EndpointAccessFacts) {
    return { outs: news };
  },
};

/**
 * Remembers, in the stack's state, the VPC a deployment created, and refuses at preview a
 * private-only EKS API endpoint on a VPC no deployment has created yet. Give it `dependsOn` the
 * network, so it is recorded only once the VPC exists.
 */
export class EndpointAccessGuard extends pulumi.dynamic.Resource {
  declare readonly vpcCidrBlock: pulumi.Output<string>;
  declare readonly privateOnly: pulumi.Output<boolean>;

  constructor(name: string, args: Omit<EndpointAccessFacts, "vpcId"> & { vpcId: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(endpointAccessGuardProvider, name, { ...args }, opts, "temporal-kit", "EndpointAccessGuard");
  }
}
