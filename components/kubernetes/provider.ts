import * as k8s from "@pulumi/kubernetes";

/**
 * A provider pinned to a kubeconfig context when the stack names one; otherwise the ambient
 * kubeconfig's current context, as kubectl would use.
 */
export function kubernetesProvider(context: string | undefined): k8s.Provider | undefined {
  return context ? new k8s.Provider("kubernetes", { context }) : undefined;
}
