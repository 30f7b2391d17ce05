import type { KubernetesPlatform } from "./platform";

/**
 * A Kubernetes cluster the kit neither made nor knows the cloud of: the program's own provider
 * (the kubeconfig context in kubernetes.context) reaches it; stores are in the cluster or
 * external; there is no cloud identity or archive to hand out.
 */
export function plainKubernetes(): KubernetesPlatform {
  return {
    runtime: "kubernetes",
    storageReady: [],
    managedStores: {},
    archivesOverHttps: false,
    archiveAccess: () => undefined,
    workloadIdentity: () => undefined,
    outputs: {},
  };
}
