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
    key: qualifiedName("taint key").optional(),
    operator: z.enum(["Exists", "Equal"]).optional(),
    value: labelValue.optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .superRefine((t, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: "custom", input: t, message });
    if (t.key === undefined && t.operator !== "Exists") issue("must have operator Exists when it names no key: a key-less toleration tolerates every taint");
    if (t.operator === "Exists" && t.value !== undefined && t.value !== "") issue("must have no value with operator Exists");
    if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute") issue("must set effect NoExecute to set tolerationSeconds: no other effect evicts");
  });

const selectorRequirement = (operators: readonly [string, ...string[]]) =>
  z.strictObject({ key: qualifiedName("label key"), operator: z.enum(operators), values: z.array(z.string()).optional() });

const labelSelector = z.strictObject({
  matchLabels: z.record(qualifiedName("label key"), labelValue).optional(),
  matchExpressions: z.array(selectorRequirement(["In", "NotIn", "Exists", "DoesNotExist"])).optional(),
});

const nodeSelectorTerm = z.strictObject({
  matchExpressions: z.array(selectorRequirement(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"])).optional(),
  matchFields: z.array(selectorRequirement(["In", "NotIn"])).optional(),
});

const podAffinityTerm = z.strictObject({
  labelSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  namespaces: z.array(dnsLabel("a Kubernetes namespace")).optional(),
  topologyKey: qualifiedName("topology key"),
  matchLabelKeys: z.array(qualifiedName("label key")).optional(),
  mismatchLabelKeys: z.array(qualifiedName("label key")).optional(),
});

const weight = z.number().int().min(1).max(100);

const podAffinity = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight, podAffinityTerm })).optional(),
});

const affinity = z.strictObject({
  nodeAffinity: z
    .strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(nodeSelectorTerm).min(1) }).optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight, preference: nodeSelectorTerm })).optional(),
    })
    .optional(),
  podAffinity: podAffinity.optional(),
  podAntiAffinity: podAffinity.optional(),
});

/** Added to the kit's own spread; without a labelSelector it counts the workload's own pods. */
const topologySpreadConstraint = z
  .strictObject({
    maxSkew: z.number().int().min(1),
    topologyKey: qualifiedName("topology key"),
    whenUnsatisfiable: z.enum(["DoNotSchedule", "ScheduleAnyway"]),
    labelSelector: labelSelector.optional(),
    minDomains: z.number().int().min(1).optional(),
    matchLabelKeys: z.array(qualifiedName("label key")).optional(),
    nodeAffinityPolicy: z.enum(["Honor", "Ignore"]).optional(),
    nodeTaintsPolicy: z.enum(["Honor", "Ignore"]).optional(),
  })
  .refine((c) => c.minDomains === undefined || c.whenUnsatisfiable === "DoNotSchedule", { message: "must set whenUnsatisfiable DoNotSchedule to set minDomains" });

const fileMode = z.number().int().min(0).max(0o777);

/** Sources that add data to a pod; hostPath is left out on purpose (it reaches into the node). */
const VOLUME_SOURCES = ["configMap", "secret", "emptyDir", "persistentVolumeClaim", "csi"] as const;

const volume = z
  .strictObject({
    name: dnsLabel("a volume"),
    configMap: z.strictObject({ name: dnsLabel("a ConfigMap"), optional: z.boolean().optional(), defaultMode: fileMode.optional() }).optional(),
    secret: z.strictObject({ secretName: dnsLabel("a Kubernetes Secret"), optional: z.boolean().optional(), defaultMode: fileMode.optional() }).optional(),
    emptyDir: z.strictObject({ medium: z.enum(["", "Memory"]).optional(), sizeLimit: quantity.optional() }).optional(),
    persistentVolumeClaim: z.strictObject({ claimName: dnsLabel("a PersistentVolumeClaim"), readOnly: z.boolean().optional() }).optional(),
    csi: z
      .strictObject({
        driver: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a CSI driver name such as secrets-store.csi.k8s.io"),
        readOnly: z.boolean().optional(),
        volumeAttributes: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
  })
  .refine((v) => VOLUME_SOURCES.filter((key) => v[key] !== undefined).length === 1, { message: `must name exactly one source: ${VOLUME_SOURCES.join(", ")}` });

const volumeMount = z.strictObject({
  name: dnsLabel("a volume"),
  mountPath: absolutePath,
  readOnly: z.boolean().optional(),
  subPath: z.string().refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), { message: "must be a relative path without '..'" }).optional(),
});

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
/** Volume names the kit mounts into some pod (kubernetes/serviceRole.ts, podTls.ts, podDefaults.ts scratchTmp, managedStoreCredentials.ts). */
export const KIT_VOLUME_NAMES = ["server-config", "dynamic-config", "store-ca", "tmp"];
const KIT_VOLUME_PREFIX = "tls-";
/** Where the kit mounts what its processes read and write; /etc/temporal holds the server config, dynamic config, TLS and store CA directories. */
export const KIT_MOUNT_PATHS = ["/tmp", "/etc/temporal", SERVER_CONFIG_DIR, DYNAMIC_CONFIG_DIR, TLS_DIR];
/** The volumes and mounts of the Temporal images' pods: the roles, the console and the worker pools. */
const TEMPORAL_VOLUMES = { names: KIT_VOLUME_NAMES, prefixes: [KIT_VOLUME_PREFIX] };
const TEMPORAL_MOUNTS = { paths: KIT_MOUNT_PATHS, what: "its config, certificates and scratch space" };

const KIT_ANNOTATION_PREFIXES = ["temporal-kit/"];

/** A Temporal server role: the env its rendered config reads, and what the metrics scrape reads. */
export const SERVER_POD: KitPodSettings = {
  env: { names: [...Object.values(SERVER_ENV), "SERVICES", "GOMEMLIMIT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], prefixes: ["TEMPORAL_TLS_"] },
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
      nodeSelector: z.record(qualifiedName("label key"), labelValue).optional(),
      tolerations: z.array(toleration).optional(),
      /** Set as given: the kit sets no affinity of its own (its spread is topologySpreadConstraints). */
      affinity: affinity.optional(),
      topologySpreadConstraints: z.array(topologySpreadConstraint).optional(),
      labels: z
        .record(
          qualifiedName("label key").refine((key) => !KIT_LABEL_KEYS.includes(key), {
            message: `must not be one of ${KIT_LABEL_KEYS.join(", ")}: the kit's Services, NetworkPolicies and disruption budgets select its pods by those`,
          }),
          labelValue,
        )
        .optional(),
      annotations: z
        .record(
          qualifiedName("annotation key").refine((key) => !isKitOwned(key, kit.annotations), {
            message: `must not be one of ${ownedList(kit.annotations)}: the kit sets those`,
          }),
          z.string(),
        )
        .optional(),
      imagePullSecrets: z.array(dnsLabel("a Kubernetes Secret")).optional(),
      env: z
        .record(
          envName.refine((name) => !isKitOwned(name, kit.env), { message: `must not be one of ${ownedList(kit.env)}: the kit sets those on this container` }),
          envValue,
        )
        .optional(),
      volumes: z.array(volume).optional(),
      volumeMounts: z.array(volumeMount).optional(),
    })
    .superRefine((pod, ctx) => podRules(kit, pod, ctx));
}

export type PodOverridesConfig = z.infer<ReturnType<typeof podOverrides>>;

/** The Jobs that run the admin-tools image (schema setup, namespace registration): where they schedule and what pulls the image. */
export const jobPodOverrides = z.strictObject({
  nodeSelector: z.record(qualifiedName("label key"), labelValue).optional(),
  tolerations: z.array(toleration).optional(),
  affinity: affinity.optional(),
  imagePullSecrets: z.array(dnsLabel("a Kubernetes Secret")).optional(),
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
