import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { JobPodOverridesConfig, PodOverridesConfig } from "../config/podSchema";

type Container = Omit<k8s.types.input.core.v1.Container, "env" | "volumeMounts"> & {
  env?: k8s.types.input.core.v1.EnvVar[];
  volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
};
type PodSpec = Omit<k8s.types.input.core.v1.PodSpec, "containers" | "volumes" | "topologySpreadConstraints" | "tolerations" | "imagePullSecrets"> & {
  containers: Container[];
  volumes?: k8s.types.input.core.v1.Volume[];
  topologySpreadConstraints?: k8s.types.input.core.v1.TopologySpreadConstraint[];
  tolerations?: k8s.types.input.core.v1.Toleration[];
  imagePullSecrets?: k8s.types.input.core.v1.LocalObjectReference[];
};

/** A pod template as the kit builds it: plain objects and lists, with Outputs only in leaf values. */
export interface KitPodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, pulumi.Input<string>> };
  spec: PodSpec;
}

export type PodOverrides = Partial<PodOverridesConfig> & Partial<JobPodOverridesConfig>;

export interface OverrideTarget {
  /** The container that gets the extra env and mounts: the workload's main one (none for a Job, which takes neither). */
  container?: string;
  /** Counted by a user's spread constraint that names no labelSelector: the workload's own pods. */
  selector: Record<string, string>;
  /** The pod volumes a StatefulSet's volumeClaimTemplates add, which the template does not list. */
  claimTemplates?: string[];
}

/**
 * A stack file's `pod` block added to a pod template the kit built. Added, never replacing: the
 * kit's labels, annotations, env, volumes and spread stay, and anything that would collide with
 * them throws (config refuses these with the stack file's key first; this guards library callers).
 * Without overrides the template comes back as it was given, so a stack without them synthesizes
 * exactly as before. A store's component adopts the block with one call on its pod template.
 */
export function withPodOverrides<T extends KitPodTemplate>(template: T, overrides: PodOverrides | undefined, target: OverrideTarget): T {
  if (overrides === undefined) return template;
  const { metadata, spec } = template;
  const refuse = (what: string, taken: string[]) => {
    if (taken.length > 0) throw new Error(`pod overrides may not replace the kit's own ${what}: ${taken.join(", ")}`);
  };
  const ownKeys = (record?: Record<string, unknown>) => Object.keys(record ?? {});

  refuse("labels", ownKeys(overrides.labels).filter((key) => key in metadata.labels));
  refuse("annotations", ownKeys(overrides.annotations).filter((key) => key in (metadata.annotations ?? {})));
  refuse("nodeSelector", ownKeys(overrides.nodeSelector).filter((key) => key in ((spec.nodeSelector as Record<string, unknown> | undefined) ?? {})));
  if (overrides.affinity && spec.affinity) refuse("affinity", ["affinity"]);
  const ownVolumes = [...(spec.volumes ?? []).map((volume) => volume.name), ...(target.claimTemplates ?? [])];
  refuse("volumes", (overrides.volumes ?? []).map((volume) => volume.name).filter((name) => ownVolumes.includes(name as pulumi.Input<string>)));

  const touchesContainer = overrides.env !== undefined || overrides.volumeMounts !== undefined;
  const containers = spec.containers.map((container) => {
    if (!touchesContainer || container.name !== target.container) return container;
    const ownEnv = (container.env ?? []).map((env) => env.name);
    const env = Object.entries(overrides.env ?? {}).map(([name, value]) => (typeof value === "string" ? { name, value } : { name, valueFrom: value }));
    refuse("env", env.map((e) => e.name).filter((name) => ownEnv.includes(name)));
    const ownPaths = (container.volumeMounts ?? []).map((mount) => mount.mountPath);
    refuse("mount paths", (overrides.volumeMounts ?? []).map((mount) => mount.mountPath).filter((path) => ownPaths.includes(path)));
    return {
      ...container,
      ...(overrides.env ? { env: [...(container.env ?? []), ...env] } : {}),
      ...(overrides.volumeMounts ? { volumeMounts: [...(container.volumeMounts ?? []), ...overrides.volumeMounts] } : {}),
    };
  });
  if (touchesContainer && !containers.some((container) => container.name === target.container)) throw new Error(`pod overrides name container ${target.container}, which the pod does not have`);

  return {
    ...template,
    metadata: {
      ...metadata,
      ...(overrides.labels ? { labels: { ...metadata.labels, ...overrides.labels } } : {}),
      ...(overrides.annotations ? { annotations: { ...metadata.annotations, ...overrides.annotations } } : {}),
    },
    spec: {
      ...spec,
      ...(touchesContainer ? { containers } : {}),
      ...(overrides.nodeSelector ? { nodeSelector: { ...(spec.nodeSelector as Record<string, string> | undefined), ...overrides.nodeSelector } } : {}),
      ...(overrides.tolerations ? { tolerations: [...(spec.tolerations ?? []), ...overrides.tolerations] } : {}),
      ...(overrides.affinity ? { affinity: overrides.affinity } : {}),
      ...(overrides.topologySpreadConstraints
        ? {
            topologySpreadConstraints: [
              ...(spec.topologySpreadConstraints ?? []),
              ...overrides.topologySpreadConstraints.map((constraint) => ({ labelSelector: { matchLabels: target.selector }, ...constraint })),
            ],
          }
        : {}),
      ...(overrides.imagePullSecrets ? { imagePullSecrets: [...(spec.imagePullSecrets ?? []), ...overrides.imagePullSecrets.map((name) => ({ name }))] } : {}),
      ...(overrides.volumes ? { volumes: [...(spec.volumes ?? []), ...overrides.volumes] } : {}),
    },
  };
}
