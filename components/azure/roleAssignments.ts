import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";

/** Built-in Azure roles the kit grants; the ids are the same in every tenant. */
export const BUILT_IN_ROLES = {
  /** Reads secret contents (data plane) of a vault using RBAC authorization. */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  /** Reads, writes and deletes blobs (data plane) in a container or account. */
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** Manages networks: what AKS and Managed Instance for Apache Cassandra need on theirs. */
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
} as const;

/** Object ids of Entra principals, which role assignments take, are GUIDs. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** {@link roleDefinitionId} in the subscription the deployment writes to, which only the provider knows. */
export function builtInRoleDefinitionId(parent: pulumi.Resource, roleId: string): pulumi.Output<string> {
  return roleDefinitionId(authorization.getClientConfigOutput({ parent }).subscriptionId, roleId);
}

/** The subscription-scoped id ARM stores for a built-in role; any other spelling shows as a diff on every preview. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, roleId: string): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

export interface RoleGrant {
  principalIds: pulumi.Input<string>[];
  roleId: string;
  scope: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  description: string;
}

/**
 * One role assignment per principal, named `${name}-${index}`. The principals are managed identities
 * (AKS workload or kubelet identities): declaring them service principals lets ARM accept an identity
 * created moments earlier, before Entra ID has replicated it.
 */
export function grantRole(name: string, grant: RoleGrant, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment[] {
  return grant.principalIds.map(
    (principalId, index) =>
      new authorization.RoleAssignment(
        `${name}-${index}`,
        {
          principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: roleDefinitionId(grant.subscriptionId, grant.roleId),
          scope: grant.scope,
          description: grant.description,
        },
        opts,
      ),
  );
}
