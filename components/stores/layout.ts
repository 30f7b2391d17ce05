import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/schema";
import type { DefaultStoreSpec, VisibilityStoreSpec } from "../temporal/serverConfig";
import type { InClusterStorePorts, StoreKind } from "./contract";
import { STORE_KINDS, kindOfHosting, kindOfVisibilityStore } from "./kinds";

/**
 * Which store kinds a stack runs and where they live, worked out once from the parsed config, so
 * that nothing else switches on hosting values by name.
 */

/** The kind of the default store. */
export function defaultStoreKind(config: StackConfig): StoreKind {
  return kindOfHosting(config.persistence.hosting);
}

/** The kind of the visibility store when it is a store of its own; undefined when it is the default store's SQL server. */
export function visibilityStoreKind(config: StackConfig): StoreKind | undefined {
  const visibility = config.visibility;
  if (visibility.store === "sql") return undefined;
  return visibility.store === "sql-server" ? kindOfHosting(visibility.server.hosting) : kindOfVisibilityStore(visibility.store);
}

/** The pool of the stack's SQL server: the default store's, or visibility's beside Cassandra. */
export function sqlPoolOf(config: StackConfig): { maxConns: number } {
  if ("pool" in config.persistence) return config.persistence.pool;
  if (config.visibility.store === "sql-server") return config.visibility.server.pool;
  // No SQL server at all (Cassandra with Elasticsearch or OpenSearch): nothing to size.
  return { maxConns: 0 };
}

/** Whether the stack runs a store of this kind, as its default store or as visibility's own. */
export function runsStoreKind(config: StackConfig, kind: StoreKind): boolean {
  return defaultStoreKind(config) === kind || visibilityStoreKind(config) === kind;
}

/** The stores this stack runs inside the cluster, with the ports their clients and peers use. */
export function inClusterStores(config: StackConfig): InClusterStorePorts[] {
  return STORE_KINDS.filter((kind) => kind.inCluster && runsStoreKind(config, kind)).map((kind) => kind.inCluster!);
}

/** Ports of the stores that live outside the cluster, which the roles and schema job must reach. */
export function outOfClusterStorePorts(
  config: StackConfig,
  store: { defaultStore: pulumi.Output<DefaultStoreSpec>; visibilityStore: pulumi.Output<VisibilityStoreSpec> },
): pulumi.Output<number[]> {
  const defaultInCluster = defaultStoreKind(config).inCluster !== undefined;
  const visibilityKind = visibilityStoreKind(config);
  const visibilityInCluster = visibilityKind ? visibilityKind.inCluster !== undefined : defaultInCluster;
  return pulumi
    .all([store.defaultStore, store.visibilityStore])
    .apply(([defaultStore, visibilityStore]) => [...(defaultInCluster ? [] : [storePortOf(defaultStore)]), ...(visibilityInCluster ? [] : [storePortOf(visibilityStore)])]);
}

/** The port a store's clients connect to, from the connection spec the roles get. */
export function storePortOf(store: DefaultStoreSpec | VisibilityStoreSpec): number {
  if (!("kind" in store) || store.kind === "cassandra") return store.port;
  const port = /:(\d+)$/.exec(store.host)?.[1];
  return port ? Number(port) : store.scheme === "https" ? 443 : 9200;
}
