import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { azureTags } from "./tags";

export interface WorkloadIdentityArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /** The AKS cluster's OIDC issuer, whose service account tokens Entra ID exchanges. */
  oidcIssuerUrl: pulumi.Input<string>;
  namespace: pulumi.Input<string>;
  serviceAccountName: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** The audience AKS workload identity's webhook asks for in the projected token; Entra accepts no other. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/**
 * A user-assigned managed identity that exactly one Kubernetes service account of one AKS cluster
 * signs in as (workload identity federation): no secret exists to leak or rotate, and a token of any
 * other service account, namespace or cluster is refused by Entra ID.
 */
export class AksWorkloadIdentity extends pulumi.ComponentResource {
  /** What the service account's `azure.workload.identity/client-id` annotation names. */
  readonly clientId: pulumi.Output<string>;
  /** What role assignments grant access to. */
  readonly principalId: pulumi.Output<string>;

  constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:AksWorkloadIdentity", name, {}, opts);
    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName: args.resourceGroupName, location: args.location, tags: azureTags(args.tags) },
      childOf(this, opts),
    );
    const federation = new managedidentity.FederatedIdentityCredential(
      `${name}-federation`,
      {
        resourceGroupName: args.resourceGroupName,
        resourceName: identity.name,
        issuer: args.oidcIssuerUrl,
        subject: pulumi.interpolate`system:serviceaccount:${args.namespace}:${args.serviceAccountName}`,
        audiences: [TOKEN_EXCHANGE_AUDIENCE],
      },
      childOf(this, opts),
    );
    // A pod that signs in before the federation exists gets AADSTS70021 and backs off; wait for it.
    this.clientId = pulumi.all([identity.clientId, federation.id]).apply(([clientId]) => clientId);
    this.principalId = identity.principalId;
    this.registerOutputs({ clientId: this.clientId, principalId: this.principalId });
  }
}
