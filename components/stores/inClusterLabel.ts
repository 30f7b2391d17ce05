import type { DiagramStore } from "./contract";

/** The diagram's name for a store the kit runs in the cluster, when the stack runs its workload. */
export function inClusterLabel(store: DiagramStore, what: string, component: string): string | undefined {
  const replicas = store.inClusterReplicas(component);
  return replicas === undefined ? undefined : `${what} in the cluster<br/>StatefulSet x${replicas}`;
}
