import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResourcesConfig } from "../config/schema";

export type ContainerResources = k8s.types.input.core.v1.ResourceRequirements;

export function containerResources(resources: ResourcesConfig): ContainerResources {
  return {
    requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
    limits: {
      memory: resources.limits.memory,
      // No CPU limit unless asked: throttling a Temporal role under load hurts more than sharing a node.
      ...(resources.limits.cpu ? { cpu: resources.limits.cpu } : {}),
    },
  };
}

/**
 * Spread replicas across zones and nodes. Soft ("ScheduleAnyway") so a small or single-zone
 * cluster still schedules every pod; the scheduler still prefers the spread when it can.
 */
export function spreadAcrossZonesAndNodes(
  selector: Record<string, string>,
): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: selector },
  }));
}

/**
 * Whether a workload gets a PodDisruptionBudget: whenever it can run more than one pod. A single
 * pod gets none, because a budget that allows no disruption would block every node drain.
 */
export function needsDisruptionBudget(replicas: number, maxReplicas?: number): boolean {
  return Math.max(replicas, maxReplicas ?? 0) > 1;
}

/** At most one pod of the set voluntarily down at a time (drains, node upgrades). */
export function disruptionBudget(
  name: string,
  namespace: pulumi.Input<string>,
  labels: Record<string, string>,
  selector: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): k8s.policy.v1.PodDisruptionBudget {
  return new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    {
      metadata: { name, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    },
    opts,
  );
}

/** Least privilege for every container the kit runs; images that need more say so themselves. */
export const restrictedContainerSecurity: k8s.types.input.core.v1.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
};

/** The one ReadWriteOnce volume a stateful store's pods keep across restarts, named `data`. */
export function dataVolumeClaim(labels: Record<string, string>, storageSize: string, storageClassName?: string): k8s.types.input.core.v1.PersistentVolumeClaim {
  return {
    metadata: { name: "data", labels },
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(storageClassName ? { storageClassName } : {}),
      resources: { requests: { storage: storageSize } },
    },
  };
}
