import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResourcesConfig } from "../config/schema";
import type { ImageUser } from "../imageUsers";

export { IMAGE_USERS, type ImageUser } from "../imageUsers";

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

/**
 * Least privilege for every container the kit runs: no privilege escalation, no capabilities, and a
 * read-only root filesystem (what a container must write goes to an emptyDir such as `scratchTmp`).
 */
export const restrictedContainerSecurity: k8s.types.input.core.v1.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
};

/**
 * The same, for an image whose entrypoint rewrites files of its own image at start; where it is
 * used says which files, and why an emptyDir cannot stand in.
 */
export const writableRootContainerSecurity: k8s.types.input.core.v1.SecurityContext = {
  ...restrictedContainerSecurity,
  readOnlyRootFilesystem: false,
};

/**
 * Pod-level hardening: never root (with the image's own user when the kit knows it; a worker's
 * image must then declare a numeric non-root USER), volumes group-owned by that user, the
 * runtime's default seccomp profile, and no Kubernetes API token: none of the kit's pods calls the
 * API. (Projected tokens that IRSA or Azure workload identity inject are separate volumes and
 * still arrive.)
 */
export function hardenedPod(user?: ImageUser): Pick<k8s.types.input.core.v1.PodSpec, "securityContext" | "automountServiceAccountToken"> {
  return {
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      ...(user ? { runAsUser: user.uid, ...(user.setGroup === false ? {} : { runAsGroup: user.gid }), fsGroup: user.gid, fsGroupChangePolicy: "OnRootMismatch" } : {}),
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

/** A writable directory on a read-only root filesystem: an emptyDir and its mount. */
export function scratchDir(name: string, mountPath: string): { volume: k8s.types.input.core.v1.Volume; mount: k8s.types.input.core.v1.VolumeMount } {
  return { volume: { name, emptyDir: {} }, mount: { name, mountPath } };
}

/** /tmp, which JVMs, Go's and Python's runtimes and shell scripts expect to write. */
export const scratchTmp = scratchDir("tmp", "/tmp");

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
