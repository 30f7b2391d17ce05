import { z } from "zod";
import { SERVER_CONFIG_DIR, DYNAMIC_CONFIG_DIR, SERVER_ENV } from "../temporal/roles";
import { TLS_DIR } from "../temporal/tls";
import { dnsLabel, quantity } from "./primitives";

/**
 * The escape hatch for what a pod of the kit's may need from its cluster that the kit has no
 * opinion on: where it schedules, what it is labelled, which registry credentials pull its image,
 * and extra env and volumes for its main container. Every key is validated as the Kubernetes API
 * server would (k8s.io/apimachinery pkg/util/validation/validation.go: IsQualifiedName,
 * IsValidLabelValue, IsCIdentifier; k8s.io/kubernetes pkg/apis/core/validation/validation.go:
 * ValidateTolerations, validateTopologySpreadConstraints), so a mistake fails at preview with the
 * stack file's key rather than at apply. Nothing here can remove what the kit sets: the kit's
 * labels, annotations, env, volumes and mounts are refused, and affinity and spread are added beside
 * the kit's own zone and node spread. Host namespaces, privileges and host paths are not offered.
 */

// A label key or annotation key: an optional DNS-subdomain prefix (at most 253) and '/', then a name
// of at most 63 alphanumerics, '-', '_' or '.', beginning and ending alphanumeric.
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash === -1) return NAME_PART.test(key);
  const prefix = key.slice(0, slash);
  return DNS_SUBDOMAIN.test(prefix) && NAME_PART.test(key.slice(slash + 1));
}

const qualifiedName = (what: string) =>
  z.string().refine(isQualifiedName, {
    message: `must be a Kubernetes ${what}: an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit`,
  });

const labelValue = z
  .string()
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, "must be a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit, or empty");

/** An environment variable name as Kubernetes' own validation wants it (IsCIdentifier is the strict form). */
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name: letters, digits and _, not starting with a digit");

const absolutePath = z
  .string()
  .regex(/^\/[^:]*$/, "must be an absolute path without ':'")
  .refine((path) => !path.split("/").includes(".."), { message: "must not contain '..'" });

const secretKeyRef = z.strictObject({ name: dnsLabel("a Kubernetes Secret"), key: z.string().regex(/^[-._a-zA-Z0-9]+$/, "must be a Secret key: letters, digits, '-', '_' or '.'") });

// core/v1 Toleration: operator Exists or Equal (the default), effect one of three, a key-less
// toleration must be Exists, Exists takes no value, tolerationSeconds only with NoExecute.
const toleration = z
  .strictObject({
    key: qualifiedName("taint key").optional().meta({ description: "The taint key this toleration matches; without one (and with operator Exists) it tolerates every taint." }),
    operator: z.enum(["Exists", "Equal"]).optional().meta({ description: "Equal (Kubernetes' default) matches the taint's value; Exists matches any value and takes none." }),
    value: labelValue.optional().meta({ description: "The taint value matched with operator Equal." }),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional().meta({ description: "The taint effect this toleration matches; unset, every effect." }),
    tolerationSeconds: z.number().int().optional().meta({ description: "With effect NoExecute only: how long the pod stays on a node after the taint appears before it is evicted." }),
  })
  .superRefine((t, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: "custom", input: t, message });
    if (t.key === undefined && t.operator !== "Exists") issue("must have operator Exists when it names no key: a key-less toleration tolerates every taint");
    if (t.operator === "Exists" && t.value !== undefined && t.value !== "") issue("must have no value with operator Exists");
    if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute") issue("must set effect NoExecute to set tolerationSeconds: no other effect evicts");
  });

const selectorRequirement = (operators: readonly [string, ...string[]]) =>
  z.strictObject({
    key: qualifiedName("label key").meta({ description: "The label (or, under matchFields, the field) the requirement tests." }),
    operator: z.enum(operators).meta({ description: "How the key is tested against values, as in the Kubernetes Pod API." }),
    values: z.array(z.string()).optional().meta({ description: "The values the operator compares with; Exists and DoesNotExist take none." }),
  });

const labelSelector = z.strictObject({
  matchLabels: z.record(qualifiedName("label key"), labelValue).optional().meta({ description: "Labels a pod (or namespace) must carry, key by value, to be selected." }),
  matchExpressions: z.array(selectorRequirement(["In", "NotIn", "Exists", "DoesNotExist"])).optional().meta({ description: "Label requirements a pod (or namespace) must all meet to be selected." }),
});

const nodeSelectorTerm = z.strictObject({
  matchExpressions: z.array(selectorRequirement(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"])).optional().meta({ description: "Requirements on the node's labels, all of which a node must meet." }),
  matchFields: z.array(selectorRequirement(["In", "NotIn"])).optional().meta({ description: "Requirements on the node's fields (such as metadata.name), all of which a node must meet." }),
});

const podAffinityTerm = z.strictObject({
  labelSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  namespaces: z.array(dnsLabel("a Kubernetes namespace")).optional().meta({ description: "Namespaces whose pods the term considers, beside those namespaceSelector selects; with neither, the pod's own namespace." }),
  topologyKey: qualifiedName("topology key").meta({ description: "The node label that defines the domain (a node, a zone) in which the selected pods count as co-located." }),
  matchLabelKeys: z.array(qualifiedName("label key")).optional().meta({ description: "Label keys whose values on the incoming pod are added to labelSelector as In requirements, as in the Kubernetes Pod API." }),
  mismatchLabelKeys: z.array(qualifiedName("label key")).optional().meta({ description: "Label keys whose values on the incoming pod are added to labelSelector as NotIn requirements, as in the Kubernetes Pod API." }),
});

const weight = z.number().int().min(1).max(100).meta({ description: "How much a match with this preferred term counts against the other preferred terms, from 1 to 100." });

const podAffinity = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm).optional().meta({ description: "Terms every one of which must hold for the pod to be scheduled on a node." }),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight, podAffinityTerm })).optional().meta({ description: "Weighted terms the scheduler tries to honour without requiring them." }),
});

const affinity = z.strictObject({
  nodeAffinity: z
    .strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: z
        .strictObject({ nodeSelectorTerms: z.array(nodeSelectorTerm).min(1).meta({ description: "Node selector terms of which a node must meet at least one for the pod to be scheduled on it." }) })
        .optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight, preference: nodeSelectorTerm })).optional().meta({ description: "Weighted node selector terms the scheduler tries to honour without requiring them." }),
    })
    .optional(),
  podAffinity: podAffinity.optional(),
  podAntiAffinity: podAffinity.optional(),
});

/** Added to the kit's own spread; without a labelSelector it counts the workload's own pods. */
const topologySpreadConstraint = z
  .strictObject({
    maxSkew: z.number().int().min(1).meta({ description: "The most the count of matching pods may differ between two domains." }),
    topologyKey: qualifiedName("topology key").meta({ description: "The node label whose values are the domains pods spread over, such as topology.kubernetes.io/zone; one that repeats the kit's own with ScheduleAnyway is refused." }),
    whenUnsatisfiable: z.enum(["DoNotSchedule", "ScheduleAnyway"]).meta({ description: "DoNotSchedule makes the spread strict; ScheduleAnyway, as the kit's own spread uses, only prefers it." }),
    labelSelector: labelSelector.optional(),
    minDomains: z.number().int().min(1).optional().meta({ description: "The fewest domains to count, as in the Kubernetes Pod API; only with whenUnsatisfiable DoNotSchedule." }),
    matchLabelKeys: z.array(qualifiedName("label key")).optional().meta({ description: "Label keys whose values on the incoming pod narrow the pods counted, as in the Kubernetes Pod API." }),
    nodeAffinityPolicy: z.enum(["Honor", "Ignore"]).optional().meta({ description: "Whether the pod's nodeSelector and node affinity limit the nodes counted (Honor) or not (Ignore)." }),
    nodeTaintsPolicy: z.enum(["Honor", "Ignore"]).optional().meta({ description: "Whether node taints the pod does not tolerate limit the nodes counted (Honor) or not (Ignore)." }),
  })
  .refine((c) => c.minDomains === undefined || c.whenUnsatisfiable === "DoNotSchedule", { message: "must set whenUnsatisfiable DoNotSchedule to set minDomains" });

const fileMode = z.number().int().min(0).max(0o777);

/** Sources that add data to a pod; hostPath is left out on purpose (it reaches into the node). */
const VOLUME_SOURCES = ["configMap", "secret", "emptyDir", "persistentVolumeClaim", "csi"] as const;

const volume = z
  .strictObject({
    name: dnsLabel("a volume").meta({ description: "The volume's name, unique in the block, which volumeMounts refer to; never one of the kit's own volume names." }),
    configMap: z
      .strictObject({
        name: dnsLabel("a ConfigMap").meta({ description: "The ConfigMap, in the stack's namespace, whose keys become files." }),
        optional: z.boolean().optional().meta({ description: "Start the pod even when the ConfigMap does not exist." }),
        defaultMode: fileMode.optional().meta({ description: "The mode of the files it writes, a number from 0 to 0777." }),
      })
      .optional(),
    secret: z
      .strictObject({
        secretName: dnsLabel("a Kubernetes Secret").meta({ description: "The Secret, in the stack's namespace, whose keys become files." }),
        optional: z.boolean().optional().meta({ description: "Start the pod even when the Secret does not exist." }),
        defaultMode: fileMode.optional().meta({ description: "The mode of the files it writes, a number from 0 to 0777." }),
      })
      .optional(),
    emptyDir: z
      .strictObject({
        medium: z.enum(["", "Memory"]).optional().meta({ description: "Where the empty directory lives: the node's disk (\"\", the default) or memory (Memory)." }),
        sizeLimit: quantity.optional().meta({ description: "The most the directory may hold, as a Kubernetes quantity such as 1Gi." }),
      })
      .optional(),
    persistentVolumeClaim: z
      .strictObject({
        claimName: dnsLabel("a PersistentVolumeClaim").meta({ description: "An existing PersistentVolumeClaim in the stack's namespace." }),
        readOnly: z.boolean().optional().meta({ description: "Mount the claim read-only." }),
      })
      .optional(),
    csi: z
      .strictObject({
        driver: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a CSI driver name such as secrets-store.csi.k8s.io").meta({ description: "The CSI driver that provides the volume, such as secrets-store.csi.k8s.io." }),
        readOnly: z.boolean().optional().meta({ description: "Mount the volume read-only." }),
        volumeAttributes: z.record(z.string(), z.string()).optional().meta({ description: "Driver-specific settings passed to the CSI driver." }),
      })
      .optional(),
  })
  .refine((v) => VOLUME_SOURCES.filter((key) => v[key] !== undefined).length === 1, { message: `must name exactly one source: ${VOLUME_SOURCES.join(", ")}` });

const volumeMount = z.strictObject({
  name: dnsLabel("a volume").meta({ description: "The volume of this pod block to mount." }),
  mountPath: absolutePath.meta({ description: "Where the volume appears in the main container: an absolute path, never at, above or inside the kit's /tmp or /etc/temporal." }),
  readOnly: z.boolean().optional().meta({ description: "Mount the volume read-only." }),
  subPath: z
    .string()
    .refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), { message: "must be a relative path without '..'" })
    .optional().meta({ description: "A path inside the volume to mount instead of its root, relative and without '..'." }),
});

// The keys a Job's pod block shares with a workload's, described once for both.
const nodeSelector = z.record(qualifiedName("label key"), labelValue).meta({ description: "Node labels, key by value, that a node must carry for the pod to be scheduled on it, such as a dedicated node pool's." });
const tolerations = z.array(toleration).meta({ description: "Taints the pod tolerates, so that it may be scheduled on tainted nodes such as a dedicated node pool behind a taint." });
/** Set as given: the kit sets no affinity of its own (its spread is topologySpreadConstraints). */
const podAffinityRules = affinity.meta({ description: "Node affinity, pod affinity and pod anti-affinity as in the Kubernetes Pod API, used as given: the kit sets no affinity of its own." });
const imagePullSecrets = z.array(dnsLabel("a Kubernetes Secret")).meta({ description: "Secrets in the stack's namespace with the registry credentials that pull the pod's images, such as a private registry mirror's." });

/** A plain value, or a key of a Secret: secrets belong in a Secret, never in the stack file. */
const envValue = z.union([z.string(), z.strictObject({ secretKeyRef })]);

/** What the kit itself sets on a pod, which the overrides may not touch. */
export interface KitPodSettings {
  /** Env var names the kit sets (exact), and prefixes it owns. */
  env: { names: readonly string[]; prefixes: readonly string[] };
  /** Pod annotation keys the kit sets (exact), and prefixes it owns. */
  annotations: { names: readonly string[]; prefixes: readonly string[] };
  /** Volume names the kit gives this pod, a StatefulSet's volumeClaimTemplates included (exact), and prefixes it owns. */
  volumes: { names: readonly string[]; prefixes: readonly string[] };
  /** Where the kit mounts what the main container reads and writes, and what it keeps there (for the refusal's reason). */
  mounts: { paths: readonly string[]; what: string };
}

/** The app.kubernetes.io/ labels the kit puts on every pod (kubernetes/names.ts): Services, NetworkPolicies and budgets select on them. */
export const KIT_LABEL_KEYS = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"];
/** Volume names the kit mounts into some pod (kubernetes/serviceRole.ts, podTls.ts, jwksTrust.ts, podDefaults.ts scratchTmp, managedStoreCredentials.ts). */
export const KIT_VOLUME_NAMES = ["server-config", "dynamic-config", "store-ca", "jwks-ca", "tmp"];
const KIT_VOLUME_PREFIX = "tls-";
/** Where the kit mounts what its processes read and write; /etc/temporal holds the server config, dynamic config, TLS and store CA directories. */
export const KIT_MOUNT_PATHS = ["/tmp", "/etc/temporal", SERVER_CONFIG_DIR, DYNAMIC_CONFIG_DIR, TLS_DIR];
/** The volumes and mounts of the Temporal images' pods: the roles, the console and the worker pools. */
const TEMPORAL_VOLUMES = { names: KIT_VOLUME_NAMES, prefixes: [KIT_VOLUME_PREFIX] };
const TEMPORAL_MOUNTS = { paths: KIT_MOUNT_PATHS, what: "its config, certificates and scratch space" };

const KIT_ANNOTATION_PREFIXES = ["temporal-kit/"];

/** A Temporal server role: the env its rendered config reads, and what the metrics scrape reads. */
export const SERVER_POD: KitPodSettings = {
  // SSL_CERT_DIR: the frontend's trust of a private identity provider's CA (kubernetes/jwksTrust.ts).
  env: { names: [...Object.values(SERVER_ENV), "SERVICES", "GOMEMLIMIT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SSL_CERT_DIR"], prefixes: ["TEMPORAL_TLS_"] },
  annotations: { names: ["prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path"], prefixes: KIT_ANNOTATION_PREFIXES },
  volumes: TEMPORAL_VOLUMES,
  mounts: TEMPORAL_MOUNTS,
};

/** The web console: how it finds the frontend, its port and CORS, its TLS and its sign-in (temporal/webConsoleAuth.ts). */
export const WEB_CONSOLE_POD: KitPodSettings = {
  env: { names: ["TEMPORAL_ADDRESS", "TEMPORAL_UI_PORT", "TEMPORAL_CORS_ORIGINS"], prefixes: ["TEMPORAL_TLS_", "TEMPORAL_AUTH_"] },
  annotations: { names: [], prefixes: KIT_ANNOTATION_PREFIXES },
  volumes: TEMPORAL_VOLUMES,
  mounts: TEMPORAL_MOUNTS,
};

/** A worker pool: its env is the pool's own `env` key, so the pod block carries none. */
export const WORKER_POD: KitPodSettings = {
  env: { names: [], prefixes: [] },
  annotations: { names: [], prefixes: KIT_ANNOTATION_PREFIXES },
  volumes: TEMPORAL_VOLUMES,
  mounts: TEMPORAL_MOUNTS,
};

/** A store's pod: the kit's annotations are the same as everywhere; the env, volumes and mounts are the store's own. */
export function storePod(settings: Omit<KitPodSettings, "annotations">): KitPodSettings {
  return { ...settings, annotations: { names: [], prefixes: KIT_ANNOTATION_PREFIXES } };
}

const isKitOwned = (name: string, owned: { names: readonly string[]; prefixes: readonly string[] }) =>
  owned.names.includes(name) || owned.prefixes.some((prefix) => name.startsWith(prefix));
const ownedList = (owned: { names: readonly string[]; prefixes: readonly string[] }) => [...owned.names, ...owned.prefixes.map((prefix) => `${prefix}*`)].join(", ");

const overlaps = (path: string, kitPath: string) => {
  const a = path.replace(/\/+$/, "") || "/";
  const b = kitPath;
  return a === b || a === "/" || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
};

/**
 * The `pod` block of one kind of the kit's pods. A store adopts it with one line in its config piece
 * (`pod: podOverrides(ITS_POD).optional()`) and one in its component (`withPodOverrides`).
 */
export function podOverrides(kit: KitPodSettings) {
  return z
    .strictObject({
      nodeSelector: nodeSelector.optional(),
      tolerations: tolerations.optional(),
      affinity: podAffinityRules.optional(),
      topologySpreadConstraints: z
        .array(topologySpreadConstraint)
        .optional().meta({ description: "Spread constraints added after the kit's own soft spread over zones and nodes; without a labelSelector a constraint counts the workload's own pods." }),
      labels: z
        .record(
          qualifiedName("label key").refine((key) => !KIT_LABEL_KEYS.includes(key), {
            message: `must not be one of ${KIT_LABEL_KEYS.join(", ")}: the kit's Services, NetworkPolicies and disruption budgets select its pods by those`,
          }),
          labelValue,
        )
        .optional().meta({ description: "Extra labels on the pods, such as a cost label; never the kit's app.kubernetes.io/ labels, which its Services, NetworkPolicies and disruption budgets select on." }),
      annotations: z
        .record(
          qualifiedName("annotation key").refine((key) => !isKitOwned(key, kit.annotations), {
            message: `must not be one of ${ownedList(kit.annotations)}: the kit sets those`,
          }),
          z.string(),
        )
        .optional().meta({ description: "Extra annotations on the pods; never the kit's own (temporal-kit/*, and on the server roles its prometheus.io/ scrape settings)." }),
      imagePullSecrets: imagePullSecrets.optional(),
      env: z
        .record(
          envName.refine((name) => !isKitOwned(name, kit.env), { message: `must not be one of ${ownedList(kit.env)}: the kit sets or reserves those on this container` }),
          envValue,
        )
        .optional().meta({ description: "Extra environment variables of the main container, name to a plain value or to { secretKeyRef: { name, key } }; never a variable the kit sets on that container. Values are plain text, so put anything secret in a Secret." }),
      volumes: z
        .array(volume)
        .optional().meta({ description: "Extra volumes of the pod, each from exactly one source (configMap, secret, emptyDir, persistentVolumeClaim or csi), for volumeMounts to mount." }),
      volumeMounts: z
        .array(volumeMount)
        .optional().meta({ description: "Where the main container mounts volumes of this block, such as a corporate CA bundle." }),
    })
    .superRefine((pod, ctx) => podRules(kit, pod, ctx))
    .meta({ description: "Scheduling, labels, pull secrets, extra env and volumes for this workload's pods, added to what the kit sets (docs/pod-overrides.md)." });
}

export type PodOverridesConfig = z.infer<ReturnType<typeof podOverrides>>;

/** The Jobs that run the admin-tools image (schema setup, namespace registration): where they schedule and what pulls the image. */
export const jobPodOverrides = z.strictObject({
  nodeSelector: nodeSelector.optional(),
  tolerations: tolerations.optional(),
  affinity: podAffinityRules.optional(),
  imagePullSecrets: imagePullSecrets.optional(),
});
export type JobPodOverridesConfig = z.infer<typeof jobPodOverrides>;

interface PodShape {
  volumes?: { name: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
  topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[];
}

function podRules(kit: KitPodSettings, pod: PodShape, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
  const seenVolumes = new Set<string>();
  (pod.volumes ?? []).forEach((v, index) => {
    if (isKitOwned(v.name, kit.volumes)) {
      issue(["volumes", index, "name"], v.name, `must not be named ${ownedList(kit.volumes)}: the kit's own volumes have those names`);
    }
    if (seenVolumes.has(v.name)) issue(["volumes", index, "name"], v.name, "must be unique");
    seenVolumes.add(v.name);
  });
  const seenPaths = new Set<string>();
  (pod.volumeMounts ?? []).forEach((m, index) => {
    if (kit.mounts.paths.some((kitPath) => overlaps(m.mountPath, kitPath))) {
      issue(["volumeMounts", index, "mountPath"], m.mountPath, `must not be, contain or lie inside ${kit.mounts.paths.join(", ")}: the kit mounts ${kit.mounts.what} there`);
    }
    if (!volumes.has(m.name)) issue(["volumeMounts", index, "name"], m.name, `must name one of this pod block's volumes (${[...volumes].join(", ") || "none declared"})`);
    if (seenPaths.has(m.mountPath)) issue(["volumeMounts", index, "mountPath"], m.mountPath, "must be unique");
    seenPaths.add(m.mountPath);
  });
  // The API server refuses two constraints with the same topologyKey and whenUnsatisfiable.
  const seenSpread = new Set<string>();
  (pod.topologySpreadConstraints ?? []).forEach((c, index) => {
    const pair = `${c.topologyKey} ${c.whenUnsatisfiable}`;
    if (seenSpread.has(pair)) issue(["topologySpreadConstraints", index], c, "must not repeat another constraint's topologyKey and whenUnsatisfiable");
    seenSpread.add(pair);
  });
}

/** The kit's own soft zone and node spread outside dev (kubernetes/podDefaults.ts spreadAcrossZonesAndNodes). */
export const KIT_SPREAD = ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({ topologyKey, whenUnsatisfiable: "ScheduleAnyway" }));

interface RuleInput {
  environment?: unknown;
  platform?: unknown;
  temporal?: { adminToolsPod?: unknown };
  roles?: Record<string, { pod?: PodShape } | undefined>;
  webConsole?: { pod?: PodShape };
  workers?: ({ pod?: PodShape & { env?: unknown } } | undefined)[];
  persistence?: { hosting?: unknown; pod?: PodShape };
}

/** Every place a stack file may set a `pod` block, by its key path. */
function podBlocksOf(config: RuleInput): [(string | number)[], PodShape | undefined][] {
  return [
    ...Object.entries(config.roles ?? {}).map(([role, settings]): [(string | number)[], PodShape | undefined] => [["roles", role, "pod"], settings?.pod]),
    [["webConsole", "pod"], config.webConsole?.pod],
    ...(Array.isArray(config.workers) ? config.workers : []).map((pool, index): [(string | number)[], PodShape | undefined] => [["workers", index, "pod"], pool?.pod]),
  ];
}

/**
 * The rules over pod blocks that need the rest of the stack: ECS runs tasks, not pods; outside dev
 * the kit already spreads every workload softly over zones and nodes, and the API server refuses a
 * second constraint on the same topologyKey and whenUnsatisfiable; a worker pool's env is its own key.
 */
export function podOverrideRules(config: RuleInput, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  const blocks = podBlocksOf(config).filter(([, pod]) => pod && typeof pod === "object");

  if (config.platform === "aws-ecs") {
    const ecsAdvice = "is a Kubernetes pod setting, and platform aws-ecs runs ECS tasks: remove it (a worker pool's own env key reaches its task)";
    for (const [path, pod] of blocks) issue(path, pod, ecsAdvice);
    if (config.temporal?.adminToolsPod !== undefined) issue(["temporal", "adminToolsPod"], config.temporal.adminToolsPod, ecsAdvice);
    return;
  }

  if (config.environment !== "dev") {
    // Of the stores only in-cluster Cassandra runs several pods, which the kit spreads as it does the roles.
    const cassandra: [(string | number)[], PodShape | undefined][] =
      config.persistence?.hosting === "in-cluster-cassandra" && config.persistence.pod && typeof config.persistence.pod === "object" ? [[["persistence", "pod"], config.persistence.pod]] : [];
    for (const [path, pod] of [...blocks, ...cassandra]) {
      (pod!.topologySpreadConstraints ?? []).forEach((constraint, index) => {
        if (KIT_SPREAD.some((kit) => kit.topologyKey === constraint?.topologyKey && kit.whenUnsatisfiable === constraint?.whenUnsatisfiable)) {
          issue(
            [...path, "topologySpreadConstraints", index],
            constraint,
            `must not repeat the kit's own spread in ${String(config.environment)} (ScheduleAnyway over ${KIT_SPREAD.map((kit) => kit.topologyKey).join(" and ")}), which it keeps: use DoNotSchedule to make that spread strict, or another topologyKey`,
          );
        }
      });
    }
  }

  (Array.isArray(config.workers) ? config.workers : []).forEach((pool, index) => {
    if (pool?.pod?.env !== undefined) issue(["workers", index, "pod", "env"], pool.pod.env, `must be left out: a worker pool's env is workers[${index}].env`);
  });
}
