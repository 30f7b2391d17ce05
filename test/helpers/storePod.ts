import { expect } from "vitest";
import type { KitPodSettings, PodOverridesConfig } from "../../components/config/podSchema";
import type { ResourceRecord } from "../../tools/synth/recorder";
import type { Container } from "./mockRuntime";

/** A store's pod block with every key, none of them the kit's (docs/pod-overrides.md). */
export const STORE_POD: PodOverridesConfig = {
  nodeSelector: { "node.example.com/pool": "stores" },
  tolerations: [{ key: "dedicated", operator: "Equal", value: "stores", effect: "NoSchedule" }],
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "node.example.com/disk", operator: "In", values: ["ssd"] }] }] } },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { tier: "batch" } } } }] },
  },
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }],
  labels: { "cost.example.com/center": "payments" },
  annotations: { "backup.example.com/schedule": "nightly" },
  imagePullSecrets: ["registry-mirror"],
  env: { TZ: "UTC", EXPORTER_TOKEN: { secretKeyRef: { name: "exporter", key: "token" } } },
  volumes: [{ name: "corporate-ca", configMap: { name: "corporate-ca" } }],
  volumeMounts: [{ name: "corporate-ca", mountPath: "/etc/ssl/corporate", readOnly: true }],
};

interface Template {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    nodeSelector?: Record<string, string>;
    tolerations?: unknown[];
    affinity?: unknown;
    imagePullSecrets?: { name: string }[];
    topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string; labelSelector?: unknown }[];
    volumes?: { name: string }[];
  };
}
interface StatefulSet {
  spec: { selector: { matchLabels: Record<string, string> }; template: Template; volumeClaimTemplates: { metadata: { name: string } }[] };
}
const statefulSetOf = (record: ResourceRecord) => record.inputs as unknown as StatefulSet;
export const templateOf = (record: ResourceRecord) => statefulSetOf(record).spec.template;

const owned = (name: string, settings: { names: readonly string[]; prefixes: readonly string[] }) =>
  settings.names.includes(name) || settings.prefixes.some((prefix) => name.startsWith(prefix));

/**
 * The store's pod block reached its StatefulSet, added after what the kit built (`before`, the same
 * store without a block); and everything the kit sets on the container is what its settings refuse.
 */
export function expectOverridesAdded(record: ResourceRecord, before: ResourceRecord, container: string, kit: KitPodSettings): void {
  const { metadata, spec } = templateOf(record);
  const own = templateOf(before);
  expect(metadata.labels).toEqual({ ...own.metadata.labels, "cost.example.com/center": "payments" });
  expect(metadata.annotations).toEqual({ ...own.metadata.annotations, "backup.example.com/schedule": "nightly" });
  expect(spec.nodeSelector).toEqual({ "node.example.com/pool": "stores" });
  expect(spec.tolerations).toEqual(STORE_POD.tolerations);
  expect(spec.affinity).toEqual(STORE_POD.affinity);
  expect(spec.imagePullSecrets).toEqual([{ name: "registry-mirror" }]);
  // The user's constraint comes after the kit's own, and counts the store's own pods.
  expect(spec.topologySpreadConstraints).toEqual([
    ...(own.spec.topologySpreadConstraints ?? []),
    { labelSelector: { matchLabels: statefulSetOf(record).spec.selector.matchLabels }, ...STORE_POD.topologySpreadConstraints![0] },
  ]);
  expect(spec.volumes).toEqual([...(own.spec.volumes ?? []), { name: "corporate-ca", configMap: { name: "corporate-ca" } }]);

  const main = spec.containers.find((candidate) => candidate.name === container)!;
  const kitMain = own.spec.containers.find((candidate) => candidate.name === container)!;
  expect(main.env).toEqual([
    ...(kitMain.env ?? []),
    { name: "TZ", value: "UTC" },
    { name: "EXPORTER_TOKEN", valueFrom: { secretKeyRef: { name: "exporter", key: "token" } } },
  ]);
  expect(main.volumeMounts).toEqual([...(kitMain.volumeMounts ?? []), { name: "corporate-ca", mountPath: "/etc/ssl/corporate", readOnly: true }]);

  // What the kit sets is what the block refuses: a new env var or volume of the kit's is caught here.
  for (const variable of kitMain.env ?? []) expect(owned(variable.name, kit.env), variable.name).toBe(true);
  const kitVolumes = [...(own.spec.volumes ?? []).map((volume) => volume.name), ...statefulSetOf(record).spec.volumeClaimTemplates.map((claim) => claim.metadata.name)];
  for (const volume of kitVolumes) expect(owned(volume, kit.volumes), volume).toBe(true);
  for (const mount of kitMain.volumeMounts ?? []) expect(kit.mounts.paths, mount.mountPath).toContain(mount.mountPath);
}
