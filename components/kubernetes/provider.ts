import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * A provider pinned to the kubeconfig context the stack names; a stack that names none uses the
 * ambient kubeconfig's current context, as kubectl would, through Pulumi's default provider.
 */
export function kubernetesProvider(context: string): k8s.Provider {
  return new k8s.Provider("kubernetes", { context });
}

/**
 * Options for a Kubernetes object made beside components rather than inside one, from the options
 * a runtime hands its components. Pulumi refuses `providers` on a custom resource ("Do not supply
 * 'providers' option to a CustomResource", @pulumi/pulumi 3.270 resource.js, CustomResource), so
 * the map's Kubernetes provider becomes the object's `provider`; without one it inherits its parent's.
 */
export function kubernetesObjectOptions(opts: pulumi.ComponentResourceOptions): pulumi.CustomResourceOptions {
  const { providers, ...rest } = opts;
  const provider = providers && !Array.isArray(providers) ? providers.kubernetes : undefined;
  if (Array.isArray(providers)) throw new Error("kubernetesObjectOptions: pass providers as a map ({ kubernetes: provider })");
  return { ...rest, ...(provider ? { provider } : {}) };
}
