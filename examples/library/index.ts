import { TemporalCluster, clusterConfig } from "temporal-kit";

/**
 * The kit used as a library: a Temporal cluster built from typed arguments in another Pulumi
 * program, no stack file. Whatever is left out comes from the environment's preset, as it would
 * for a stack file; a wrong key is refused before any resource exists, with the key named.
 */
const config = clusterConfig(
  {
    environment: "dev",
    clusterName: "orders",
    kubernetes: { namespace: "orders-temporal" },
    namespaces: [{ name: "orders", retention: "3d", description: "Order workflows" }],
  },
  "examples/library/index.ts",
);

const cluster = new TemporalCluster(config.clusterName, { config });

export const frontendAddress = cluster.frontendAddress;
export const kubernetesNamespace = cluster.kubernetesNamespace;
export const temporalNamespaces = cluster.temporalNamespaces;
