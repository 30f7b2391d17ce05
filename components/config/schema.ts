import { z } from "zod";
import { isKnownDynamicConfigKey } from "../temporal/dynamicConfigKeys";
import { awsConfig, awsRules } from "./awsSchema";
import { rdsPersistence } from "../stores/rds/config";
import { azureConfig } from "./azureSchema";
import { azureMysql, azurePostgres } from "../stores/azure-flexible-server/config";
import { azureManagedCassandra } from "../stores/managed-cassandra/config";
import { azureCosmosCassandra } from "../stores/cosmos-cassandra/config";
import { azureRules } from "./azureRules";
import { catalogRules } from "./catalogRules";
import { archival, archivalRules } from "./archivalSchema";
import { inClusterCassandra } from "../stores/in-cluster-cassandra/config";
import { dynamicConfigValue } from "./dynamicConfigSchema";
import { observabilityConfig, observabilityRules } from "./observabilitySchema";
import { security, securityRules } from "./securitySchema";
import { namespace } from "./namespaceSchema";
import { SERVER_POD, WORKER_POD, jobPodOverrides, podOverrideRules, podOverrides } from "./podSchema";
import { ipv4Network } from "./ipv4";
import { dnsLabel, image, resources, secretRef } from "./primitives";
import { storeRules } from "./storeRules";
import { inClusterMysql } from "../stores/in-cluster-mysql/config";
import { inClusterPostgres } from "../stores/in-cluster-postgres/config";
import { externalSql } from "../stores/external-sql/config";
import { inClusterElasticsearch } from "../stores/in-cluster-elasticsearch/config";
import { openSearch } from "../stores/opensearch/config";
import { upgradeRules } from "./upgradeRules";
import { frontendAutoscaling, scalingRules } from "./scalingSchema";

import { webConsole, webConsoleRules } from "./webConsoleSchema";

export type { ResourcesConfig } from "./primitives";
export { retentionHours, type NamespaceConfig } from "./namespaceSchema";
export type { WebConsoleConfig } from "./webConsoleSchema";

/**
 * The whole `temporal-kit:` stack config, after the environment preset has been merged with the
 * stack file. Every key is required here because presets supply the defaults; a stack file only
 * overrides what it needs.
 */

export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Where the Temporal roles, web console and workers run. */
export const PLATFORMS = ["kubernetes", "aws-eks", "aws-ecs", "azure-aks"] as const;
export type Platform = (typeof PLATFORMS)[number];

const roleConfig = z.strictObject({
  replicas: z.number().int().min(1).max(100),
  resources,
  /** Scheduling, labels, pull secrets, extra env and volumes for the role's pods (podSchema.ts). */
  pod: podOverrides(SERVER_POD).optional(),
});
export type RoleConfig = z.infer<typeof roleConfig>;

const optionalRoleConfig = roleConfig.extend({ enabled: z.boolean() });

const temporal = z.strictObject({
  serverImage: image,
  adminToolsImage: image,
  /** Where the Jobs that run adminToolsImage schedule, and the pull secrets of a private registry. */
  adminToolsPod: jobPodOverrides.optional(),
  numHistoryShards: z.number().int(),
  /** Skips the upgrade guard's version rule (never the shard rule) and accepts tags that name no release: for one deliberate deploy. */
  allowVersionSkew: z.boolean(),
  logLevel: z.enum(["debug", "info", "warn", "error"]),
  dynamicConfig: z.record(
    z.string().refine(isKnownDynamicConfigKey, { message: "is not a dynamic config key Temporal defines" }),
    dynamicConfigValue,
  ),
});

const roles = z.strictObject({
  frontend: roleConfig.extend({ autoscaling: frontendAutoscaling.optional() }),
  history: roleConfig,
  matching: roleConfig,
  worker: roleConfig,
  internalFrontend: optionalRoleConfig,
});
export type RolesConfig = z.infer<typeof roles>;

const persistence = z.discriminatedUnion("hosting", [
  inClusterMysql,
  inClusterPostgres,
  externalSql,
  rdsPersistence,
  inClusterCassandra,
  azureMysql,
  azurePostgres,
  azureManagedCassandra,
  azureCosmosCassandra,
]);
export type PersistenceConfig = z.infer<typeof persistence>;
export type SqlPersistenceConfig = Extract<PersistenceConfig, { engine: "mysql8" | "postgres12" | "postgres12_pgx" }>;
export type CassandraPersistenceConfig = Extract<PersistenceConfig, { engine: "cassandra" }>;

/** A SQL server of its own for visibility, beside a Cassandra default store. */
const visibilitySqlServer = z.discriminatedUnion("hosting", [inClusterMysql, inClusterPostgres, externalSql, azureMysql, azurePostgres]);
export type VisibilitySqlServerConfig = z.infer<typeof visibilitySqlServer>;

const visibility = z.discriminatedUnion("store", [
  /** In the default store's own SQL server: its visibilityDatabase. */
  z.strictObject({ store: z.literal("sql") }),
  z.strictObject({ store: z.literal("sql-server"), server: visibilitySqlServer }),
  inClusterElasticsearch,
  openSearch,
]);
export type VisibilityConfig = z.infer<typeof visibility>;


const probe = z.union([
  z.strictObject({ httpGet: z.strictObject({ path: z.string().startsWith("/"), port: z.number().int().min(1).max(65535) }) }),
  z.strictObject({ exec: z.array(z.string()).min(1) }),
]);
export type WorkerProbeConfig = z.infer<typeof probe>;

/** Set by the kit on every worker; a stack file cannot point a worker elsewhere by accident. */
export const WORKER_WIRING_ENV = ["TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_TASK_QUEUE"];

/**
 * The variable a pool's token reaches its pods in: the name Temporal's SDK and CLI environment
 * configuration reads (temporal CLI v1.8.3 `temporal options`) and sends as `authorization: Bearer`.
 */
export const WORKER_API_KEY_ENV = "TEMPORAL_API_KEY";

const worker = z.strictObject({
  name: dnsLabel("the worker pool"),
  image,
  replicas: z.number().int().min(1).max(500),
  taskQueue: z.string().min(1),
  namespace: z.string().min(1),
  env: z.record(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
      .refine((name) => !WORKER_WIRING_ENV.includes(name), {
        message: `must not be one of ${WORKER_WIRING_ENV.join(", ")}: the kit sets those from the cluster`,
      })
      .refine((name) => name !== WORKER_API_KEY_ENV, {
        message: `must not be ${WORKER_API_KEY_ENV}: a token in the stack file is plain text to anyone who reads it; keep it in a Secret and name it in apiKeySecret`,
      }),
    z.string(),
  ),
  resources,
  probe: probe.optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  /**
   * The numeric non-root user the image runs as ("uid" or "uid:gid"). Kubernetes refuses a root
   * image through runAsNonRoot without it; ECS has no such check, so there it is required.
   */
  user: z
    .string()
    .regex(/^[1-9][0-9]*(:[0-9]+)?$/, "must be a numeric non-root user, uid or uid:gid (for example 10001 or 10001:10001)")
    .optional(),
  /** Scale on CPU between the bounds; `replicas` is then the count a new pool starts with. */
  autoscaling: z
    .strictObject({
      minReplicas: z.number().int().min(1).max(500),
      maxReplicas: z.number().int().min(1).max(500),
      targetCpuUtilization: z.number().int().min(10).max(95),
    })
    .optional(),
  /** IAM policies for the worker's own AWS calls: an IRSA role on EKS, the task role on ECS. */
  /**
   * What the pool's pods may reach. "any" (the default) because activities call the services they
   * were written for; "frontend-only" confines the pool to DNS and the Temporal frontend.
   */
  egress: z.enum(["any", "frontend-only"]).optional(),
  /**
   * The Secret key holding the JWT the pool presents when security.authorization is on, given to
   * the pods as TEMPORAL_API_KEY: the name Temporal's SDK and CLI environment configuration reads
   * (temporal CLI v1.8.3 `temporal options`) and sends as `authorization: Bearer <token>`.
   */
  apiKeySecret: secretRef.optional(),
  /**
   * The pool's own code presents its JWT (an SDK headers provider, an OAuth client fetching
   * short-lived tokens), so the kit gives it none: the alternative to apiKeySecret under
   * security.authorization, and the only one on ECS.
   */
  tokenFromCode: z.literal(true).optional(),
  /** Scheduling, labels, pull secrets and volumes for the pool's pods; its env is `env` above. */
  pod: podOverrides(WORKER_POD).optional(),
  awsPolicyArns: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@\/-]+$/, "must be an IAM policy ARN")).optional(),
});
export type WorkerConfig = z.infer<typeof worker>;

const kubernetes = z.strictObject({
  namespace: dnsLabel("the Kubernetes namespace"),
  createNamespace: z.boolean(),
  context: z.string().min(1).optional(),
  /** Ingress NetworkPolicies that let only what must talk do so (enforced where the CNI supports them). */
  networkPolicies: z.boolean(),
  /**
   * The nodes' addresses, admitted to every pod of the cluster when NetworkPolicies are on. The
   * NetworkPolicy API exempts traffic from a pod's own node (kubelet's probes), but some
   * implementations have dropped it (kind v0.27.0's kindnetd), so this says it explicitly.
   */
  nodeCidrs: z.array(ipv4Network).min(1, "must list at least one network, or be left out").optional(),
});

const stackConfigSchemaBase = z.strictObject({
    environment: z.enum(ENVIRONMENTS),
    platform: z.enum(PLATFORMS),
    clusterName: dnsLabel("the cluster name"),
    kubernetes,
    temporal,
    roles,
    persistence,
    visibility,
    webConsole,
    workers: z.array(worker),
    namespaces: z.array(namespace),
    observability: observabilityConfig,
    security,
    archival,
    aws: awsConfig.optional(),
    azure: azureConfig.optional(),
  });

export const stackConfigSchema = stackConfigSchemaBase
  // Cross-key rules run even when a single key is already invalid, so a stack file's author sees
  // every problem in one pass; the rules themselves tolerate partially invalid input.
  .check(z.superRefine((config, ctx) => crossKeyRules(config as Partial<StackConfigShape>, ctx), { when: () => true }));

export type StackConfig = z.infer<typeof stackConfigSchema>;

type StackConfigShape = z.infer<typeof stackConfigSchemaBase>;

function crossKeyRules(config: Partial<StackConfigShape>, ctx: z.RefinementCtx): void {
  const environment = config.environment;
  if (!environment || !ENVIRONMENTS.includes(environment)) return;

  const shards = config.temporal?.numHistoryShards;
  const [min, max] = environment === "dev" ? [4, 16] : [128, 16384];
  if (typeof shards === "number" && (shards < min || shards > max || !Number.isInteger(Math.log2(shards)))) {
    ctx.addIssue({
      code: "custom",
      path: ["temporal", "numHistoryShards"],
      input: shards,
      message: `must be a power of two from ${min} to ${max} in ${environment}`,
    });
  }

  if (environment === "production") {
    const highlyAvailable: [string[], unknown][] = [
      ...(["frontend", "history", "matching", "worker"] as const).map(
        (role): [string[], unknown] => [["roles", role, "replicas"], config.roles?.[role]?.replicas],
      ),
      ...(config.roles?.internalFrontend?.enabled
        ? [[["roles", "internalFrontend", "replicas"], config.roles.internalFrontend.replicas] as [string[], unknown]]
        : []),
      ...(config.webConsole?.enabled ? [[["webConsole", "replicas"], config.webConsole.replicas] as [string[], unknown]] : []),
    ];
    for (const [path, replicas] of highlyAvailable) {
      if (typeof replicas === "number" && replicas < 2) {
        ctx.addIssue({
          code: "custom",
          path,
          input: replicas,
          message: "must be at least 2 in production so that one pod can be lost or rolled",
        });
      }
    }
  }

  awsRules(config, ctx);
  azureRules(config, ctx);
  catalogRules(config, ctx);
  storeRules(config, ctx);
  upgradeRules(config, ctx);
  scalingRules(config, ctx);
  observabilityRules(config, ctx);
  securityRules(config, ctx);
  archivalRules(config, ctx);
  webConsoleRules(config, ctx);
  podOverrideRules(config as Parameters<typeof podOverrideRules>[0], ctx);

  if (config.kubernetes?.nodeCidrs !== undefined && config.kubernetes.networkPolicies === false) {
    ctx.addIssue({
      code: "custom",
      path: ["kubernetes", "nodeCidrs"],
      input: config.kubernetes.nodeCidrs,
      message: "only applies with kubernetes.networkPolicies: true (it admits the nodes to pods the policies isolate); remove it or turn the policies on",
    });
  }

  const workers = Array.isArray(config.workers) ? config.workers : [];
  const namespaces = Array.isArray(config.namespaces) ? config.namespaces : [];
  if (environment !== "dev") {
    workers.forEach((pool, index) => {
      if (pool && typeof pool === "object" && pool.probe === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["workers", index, "probe"],
          input: undefined,
          message: `is required in ${environment}: give an httpGet or exec health check for the worker`,
        });
      }
    });
  }

  workers.forEach((pool, index) => {
    const scaling = pool?.autoscaling;
    if (scaling && typeof pool.replicas === "number" && !(scaling.minReplicas <= pool.replicas && pool.replicas <= scaling.maxReplicas)) {
      ctx.addIssue({
        code: "custom",
        path: ["workers", index, "autoscaling"],
        input: { minReplicas: scaling.minReplicas, replicas: pool.replicas, maxReplicas: scaling.maxReplicas },
        message: "must satisfy minReplicas <= replicas <= maxReplicas",
      });
    }
  });

  const declared = new Set(namespaces.map((ns) => ns?.name));
  reportDuplicates(ctx, namespaces.map((ns) => ns?.name), "namespaces");
  reportDuplicates(ctx, workers.map((pool) => pool?.name), "workers");
  workers.forEach((pool, index) => {
    if (typeof pool?.namespace === "string" && !declared.has(pool.namespace)) {
      ctx.addIssue({
        code: "custom",
        path: ["workers", index, "namespace"],
        input: pool.namespace,
        message: `must be one of the namespaces this stack creates (${[...declared].join(", ") || "none declared"})`,
      });
    }
  });
}

function reportDuplicates(ctx: z.RefinementCtx, names: unknown[], key: string): void {
  const seen = new Set<unknown>();
  names.forEach((name, index) => {
    if (name !== undefined && seen.has(name)) {
      ctx.addIssue({ code: "custom", path: [key, index, "name"], input: name, message: "must be unique" });
    }
    seen.add(name);
  });
}
