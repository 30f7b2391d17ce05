import { type BlobArchive, blobArchivalSpec } from "../azure/archivalSetup";
import type { AzurePlatform } from "./azure/azurePlatform";
import type { StackConfig } from "../config/schema";
import { BlobArchiveGateway } from "../kubernetes/blobArchiveGateway";
import type { KubernetesPlatform } from "./platform";

/**
 * AKS: the cluster, network and stores AzurePlatform made or found. Temporal's archiver speaks
 * only S3, so the roles that archive reach Blob Storage through an in-cluster gateway whose pods
 * sign in to Entra ID as a workload identity.
 */
export function aksPlatform(config: StackConfig, azure: AzurePlatform, blobArchive: BlobArchive | undefined): KubernetesPlatform {
  return {
    runtime: "kubernetes",
    provider: azure.aks.provider,
    storageReady: [],
    managedStores: azure.managedStores,
    // The gateway's own policies open HTTPS for it alone.
    archivesOverHttps: false,
    archiveAccess: ({ name, names, namespace, clients, highAvailability, networkPolicies, onKubernetes }) => {
      if (!blobArchive) return undefined;
      const gateway = new BlobArchiveGateway(
        `${name}-archive-gateway`,
        {
          names,
          namespace,
          blobEndpoint: blobArchive.storage.blobEndpoint,
          identityClientId: blobArchive.identity.clientId,
          clients,
          highAvailability,
          networkPolicies,
        },
        // Its identity may write only once the storage has granted it the container.
        { ...onKubernetes, dependsOn: [blobArchive.storage] },
      );
      return { spec: blobArchivalSpec(config, gateway.endpoint), credentials: gateway.credentials };
    },
    workloadIdentity: () => undefined,
    outputs: {
      ...(azure.databaseEndpoint ? { databaseEndpoint: azure.databaseEndpoint } : {}),
      azureResourceGroup: azure.resourceGroupName,
      aksClusterName: azure.aks.clusterName,
    },
  };
}
