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
  replicas: z.number().int().min(1).max(100).meta({ description: "How many pods the role runs; production needs at least 2, so that one pod can be lost or rolled." }),
  resources: resources.meta({ description: "The CPU and memory requests and limits of each pod. No preset sets a CPU limit: throttling a Temporal role under load does more harm than sharing a node." }),
  pod: podOverrides(SERVER_POD).optional().meta({ description: "Scheduling, labels, pull secrets, extra env and volumes for the role's pods, added to what the kit sets (docs/pod-overrides.md)." }),
});
export type RoleConfig = z.infer<typeof roleConfig>;

const optionalRoleConfig = roleConfig.extend({
  enabled: z.boolean().meta({ description: "Runs Temporal's internal frontend, which the system worker and the kit's namespace jobs call instead of the public frontend; required when security.authorization is enabled." }),
});

const temporal = z.strictObject({
  serverImage: image.meta({ description: "The Temporal server image every role runs; its tag must name the Temporal release, which the upgrade guard checks." }),
  adminToolsImage: image.meta({ description: "The admin-tools image the schema and namespace Jobs run: the same Temporal release as serverImage, since it upgrades the schema to its own release." }),
  adminToolsPod: jobPodOverrides.optional().meta({ description: "Where the Jobs that run adminToolsImage schedule, and the pull secrets of a private registry." }),
  numHistoryShards: z.number().int().meta({ description: "The number of history shards, a power of two (4 to 16 in dev, 128 to 16384 elsewhere). Permanent once deployed: the upgrade guard refuses a change at preview." }),
  allowVersionSkew: z.boolean().meta({ description: "Skips the upgrade guard's version rule (never the shard rule) and accepts tags that name no release: for one deliberate deploy." }),
  logLevel: z.enum(["debug", "info", "warn", "error"]).meta({ description: "The Temporal server's log level." }),
  dynamicConfig: z.record(
    z.string().refine(isKnownDynamicConfigKey, { message: "is not a dynamic config key Temporal defines" }),
    dynamicConfigValue,
  ).meta({ description: "Temporal dynamic config: a key Temporal defines to a value, or to a list of {value, constraints}. The kit writes it to dynamic_config.yaml." }),
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
  z.strictObject({ store: z.literal("sql").meta({ description: "Visibility in the visibilityDatabase on the default store's own SQL server; refused with a Cassandra default store, which cannot hold visibility." }) }),
  z.strictObject({
    store: z.literal("sql-server").meta({ description: "Visibility on a SQL server of its own, described under server, beside a Cassandra default store." }),
    server: visibilitySqlServer,
  }),
  inClusterElasticsearch,
  openSearch,
]);
export type VisibilityConfig = z.infer<typeof visibility>;


const probe = z.union([
  z.strictObject({
    httpGet: z.strictObject({
      path: z.string().startsWith("/").meta({ description: "The HTTP path the health check requests." }),
      port: z.number().int().min(1).max(65535).meta({ description: "The container port the health check requests." }),
    }),
  }),
  z.strictObject({ exec: z.array(z.string()).min(1).meta({ description: "A command run in the container; exit code 0 means healthy." }) }),
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
  name: dnsLabel("the worker pool").meta({ description: "The pool's name; its Deployment is temporal-worker-<name>." }),
  image: image.meta({ description: "The worker image, with a pinned tag or digest." }),
  replicas: z.number().int().min(1).max(500).meta({ description: "How many pods the pool runs; with autoscaling, the count a new pool starts with." }),
  taskQueue: z.string().min(1).meta({ description: "The task queue the pool polls, given to its pods as TEMPORAL_TASK_QUEUE." }),
  namespace: z.string().min(1).meta({ description: "The Temporal namespace the pool works in, given to its pods as TEMPORAL_NAMESPACE; one of the stack's namespaces." }),
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
  ).meta({ description: "Environment variables for the pool's pods. The kit sets TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE itself, and a token belongs in apiKeySecret, not here." }),
  resources: resources.meta({ description: "The CPU and memory requests and limits of each pod." }),
  probe: probe.optional().meta({ description: "The worker's health check, httpGet or exec: required outside dev; on aws-ecs only exec." }),
  command: z.array(z.string()).optional().meta({ description: "Replaces the image's entrypoint." }),
  args: z.array(z.string()).optional().meta({ description: "Replaces the image's default arguments (its CMD)." }),
  user: z
    .string()
    .regex(/^[1-9][0-9]*(:[0-9]+)?$/, "must be a numeric non-root user, uid or uid:gid (for example 10001 or 10001:10001)")
    .optional().meta({ description: "The numeric non-root user the image runs as (\"uid\" or \"uid:gid\"). Kubernetes refuses a root image through runAsNonRoot without it; ECS has no such check, so there it is required." }),
  autoscaling: z
    .strictObject({
      minReplicas: z.number().int().min(1).max(500).meta({ description: "The fewest pods the pool scales to." }),
      maxReplicas: z.number().int().min(1).max(500).meta({ description: "The most pods the pool scales to." }),
      targetCpuUtilization: z.number().int().min(10).max(95).meta({ description: "The average CPU utilization, in percent, the autoscaler holds the pool at." }),
    })
    .optional().meta({ description: "Scale on CPU between the bounds; `replicas` is then the count a new pool starts with." }),
  egress: z.enum(["any", "frontend-only"]).optional().meta({ description: "What the pool's pods may reach. \"any\" (the default) because activities call the services they were written for; \"frontend-only\" confines the pool to DNS and the Temporal frontend." }),
  apiKeySecret: secretRef.optional().meta({ description: "The Secret key holding the JWT the pool presents when security.authorization is on, given to the pods as TEMPORAL_API_KEY: the name Temporal's SDK and CLI environment configuration reads (temporal CLI v1.8.3 `temporal options`) and sends as `authorization: Bearer <token>`." }),
  tokenFromCode: z.literal(true).optional().meta({ description: "The pool's own code presents its JWT (an SDK headers provider, an OAuth client fetching short-lived tokens), so the kit gives it none: the alternative to apiKeySecret under security.authorization, and the only one on ECS." }),
  pod: podOverrides(WORKER_POD).optional().meta({ description: "Scheduling, labels, pull secrets and volumes for the pool's pods; its env is `env` above." }),
  awsPolicyArns: z
    .array(z.string().regex(/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@\/-]+$/, "must be an IAM policy ARN"))
    .optional().meta({ description: "IAM policies for the worker's own AWS calls: an IRSA role on EKS, the task role on ECS." }),
});
export type WorkerConfig = z.infer<typeof worker>;

const kubernetes = z.strictObject({
  namespace: dnsLabel("the Kubernetes namespace").meta({ description: "The Kubernetes namespace the cluster's workloads are deployed in." }),
  createNamespace: z.boolean().meta({ description: "Create the namespace, or deploy into one that exists already (as an external data store's password Secret needs)." }),
  context: z.string().min(1).optional().meta({ description: "The kubeconfig context to deploy with; unset, the current context. Refused on aws-eks, aws-ecs and azure-aks, where the kit builds the Kubernetes provider from the cluster." }),
  networkPolicies: z.boolean().meta({ description: "Ingress NetworkPolicies that let only what must talk do so (enforced where the CNI supports them)." }),
  nodeCidrs: z.array(ipv4Network).min(1, "must list at least one network, or be left out").optional().meta({ description: "The nodes' addresses, admitted to every pod of the cluster when NetworkPolicies are on. The NetworkPolicy API exempts traffic from a pod's own node (kubelet's probes), but some implementations have dropped it (kind v0.27.0's kindnetd), so this says it explicitly." }),
});

const stackConfigSchemaBase = z.strictObject({
    environment: z.enum(ENVIRONMENTS).meta({ description: "The one required key: picks the preset the stack file overrides, and the rules of that environment (production's two pods per role, the shard range)." }),
    platform: z.enum(PLATFORMS).meta({ description: "Where the Temporal roles, web console and workers run: a Kubernetes cluster you have, Amazon EKS, Amazon ECS Fargate or Azure AKS." }),
    clusterName: dnsLabel("the cluster name").meta({ description: "The name the cluster's resources are named after (such as the Secret <clusterName>-store-credentials)." }),
    kubernetes: kubernetes.meta({ description: "The Kubernetes namespace the kit deploys into and the NetworkPolicies that isolate it (not used on aws-ecs)." }),
    temporal: temporal.meta({ description: "The Temporal server: its images, history shard count, log level and dynamic config." }),
    roles: roles.meta({ description: "The Temporal services (frontend, history, matching, worker and the optional internal frontend): pod counts, resources and pod overrides." }),
    persistence: persistence.meta({ description: "The default store, where Temporal keeps its state; hosting picks the kind, and each kind starts from its own preset." }),
    visibility: visibility.meta({ description: "Where workflow visibility records (list and search) live: the default store's SQL server, a SQL server of their own, Elasticsearch or OpenSearch." }),
    webConsole: webConsole.meta({ description: "Temporal's web UI: its pods, OIDC sign-in and an Ingress." }),
    workers: z.array(worker).meta({ description: "Worker pools the kit runs from your images, wired to the cluster's frontend. A stack file's list replaces the preset's." }),
    namespaces: z.array(namespace).meta({ description: "The Temporal namespaces the stack creates or updates; never deleted. A stack file's list replaces the preset's, so list default too to keep it." }),
    observability: observabilityConfig.meta({ description: "Scraping, dashboards and alerts on Kubernetes, and where the roles' metrics go on ECS." }),
    security: security.meta({ description: "Mutual TLS between the Temporal roles and at the frontend, and the frontend's JWT authorization." }),
    archival: archival.meta({ description: "Archival of closed workflows' histories and visibility records to S3 (on AKS, Blob Storage through an S3 gateway) before retention deletes them. Off by default: archives cost storage." }),
    aws: awsConfig.optional().meta({ description: "The AWS network and the EKS or ECS settings; only with platform aws-eks or aws-ecs." }),
    azure: azureConfig.optional().meta({ description: "The Azure location, network and AKS cluster; only with platform azure-aks." }),
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
