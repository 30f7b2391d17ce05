import type * as pulumi from "@pulumi/pulumi";
import type { AzureNetwork } from "../azure/network";

/** Where the Azure platform puts a store it makes, and who must reach it. */
export interface AzureStorePlacement {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  /** The kit's network, whose delegated subnets the VNet-injected stores live in. */
  network: AzureNetwork;
  /** An existing cluster's network, linked to the stores' private DNS zones. */
  clusterVnetIds: pulumi.Input<string>[];
  /** The subnets the cluster's nodes and pods are in, which a store's firewall admits. */
  clusterSubnetIds: pulumi.Input<string>[];
  /** The peering Temporal's traffic to a store in the kit's network crosses, to wait for. */
  peered: pulumi.Resource[];
  production: boolean;
  tags: Record<string, string>;
}
