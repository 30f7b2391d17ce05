import type { ResourcesConfig, WorkerConfig } from "../../config/schema";
import { METRICS_PORT, ROLES, RoleName, SERVER_CONFIG_FILE, DYNAMIC_CONFIG_FILE, SERVER_ENV, allowNoAuthEnv } from "../../temporal/roles";
import { NAMESPACE_SCRIPT, NamespaceSpec, namespaceScriptEnv } from "../../temporal/namespaceRegistration";
import { SQL_TOOL_PASSWORD_ENV, StoreKind, sqlSchemaSteps, sqlToolEnv } from "../../temporal/schemaSteps";
import type { SqlStoreSpec } from "../../temporal/serverConfig";
import { goMemoryLimitEnv } from "../../temporal/sizing";
import { roleHealth } from "../../temporal/roleHealth";
import { serverVersionOf } from "../../temporal/versionSkew";
import { CLIENT_SECRET_ENV } from "../../temporal/webConsoleAuth";
import { FILES_DIR, FileFromEnv, TASK_IP_SCRIPT, fileEnvironment, fileFromEnv, writeFilesScript } from "./bootstrap";
import { memoryMiB } from "../../config/fargateSize";
import type { ContainerTls } from "./taskTls";
import { awsLogs } from "./awsLogs";
import { ECS_USERS, SCRATCH_TMP, hardening } from "./containerHardening";
import { DYNAMIC_CONFIG_CONTAINER } from "./dynamicConfigSidecar";

/**
 * ECS container definitions for every container the kit runs on Fargate, as plain data: the
 * Temporal model goes in, the JSON ECS reads comes out. Secrets appear only as `valueFrom`
 * references to Secrets Manager, never as values.
 */

export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  entryPoint?: string[];
  command?: string[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { name: string; containerPort: number; protocol: "tcp" }[];
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  memory?: number;
  memoryReservation?: number;
  stopTimeout?: number;
  /** For non-essential sidecars: a container that exits is restarted in place instead of staying down. */
  restartPolicy?: { enabled: boolean; restartAttemptPeriod: number };
  user?: string;
  readonlyRootFilesystem?: boolean;
  linuxParameters?: { capabilities: { drop: string[] } };
  mountPoints?: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  dependsOn?: { containerName: string; condition: "START" | "COMPLETE" | "SUCCESS" | "HEALTHY" }[];
  dockerLabels?: Record<string, string>;
  logConfiguration: { logDriver: "awslogs"; options: Record<string, string> };
}

/** Where a container's output goes: one log group per cluster, one stream prefix per container. */
export interface LogTarget {
  group: string;
  region: string;
}

export const SERVER_CONFIG_PATH = `${FILES_DIR}/${SERVER_CONFIG_FILE}`;
export const DYNAMIC_CONFIG_PATH = `${FILES_DIR}/${DYNAMIC_CONFIG_FILE}`;
export const STORE_CA_PATH = `${FILES_DIR}/store-ca.pem`;
const STORE_CA_ENV = "TEMPORAL_KIT_STORE_CA_B64";

function memoryOf(resources: ResourcesConfig): Pick<ContainerDefinition, "memory" | "memoryReservation"> {
  return { memory: memoryMiB(resources.limits.memory), memoryReservation: memoryMiB(resources.requests.memory) };
}

const shell = (lines: string[]) => ({ entryPoint: ["/bin/sh", "-c"], command: [lines.join("\n")] });

const storeCaFile = (caBundle: string | undefined): FileFromEnv[] => (caBundle ? [fileFromEnv("store-ca.pem", STORE_CA_ENV, caBundle)] : []);

export interface ServerRoleContainerArgs {
  role: RoleName;
  image: string;
  serverConfig: string;
  storeCaBundle?: string;
  passwordSecretArn: string;
  resources: ResourcesConfig;
  log: LogTarget;
  /** Mutual TLS: the certificates the prelude writes where the server config names them. */
  tls?: ContainerTls;
  /** Whether security.authorization is on: without it the server is told no authorizer is intended. */
  authorizationEnabled: boolean;
}

/**
 * One Temporal role. The prelude writes the config files, finds the task's IP for the membership
 * ring, then hands over to the image's entrypoint, exactly as on Kubernetes. The dynamic config
 * file is not among them: the dynamic config sidecar keeps it current, and the role starts only
 * once the sidecar has fetched it.
 */
export function serverRoleContainer(args: ServerRoleContainerArgs): ContainerDefinition {
  const spec = ROLES[args.role];
  const files = [
    fileFromEnv(SERVER_CONFIG_FILE, "TEMPORAL_KIT_SERVER_CONFIG_B64", args.serverConfig),
    ...storeCaFile(args.storeCaBundle),
  ];
  const listeningPort = roleHealth(args.role, serverVersionOf(args.image)).port;
  const roleHardening = hardening(ECS_USERS.temporal, [SCRATCH_TMP]);
  return {
    name: args.role,
    image: args.image,
    essential: true,
    ...shell([...writeFilesScript(files), ...(args.tls?.script ?? []), ...TASK_IP_SCRIPT, "exec /etc/temporal/entrypoint.sh"]),
    environment: [
      { name: SERVER_ENV.services, value: args.role },
      { name: "SERVICES", value: args.role },
      { name: SERVER_ENV.configFile, value: SERVER_CONFIG_PATH },
      ...allowNoAuthEnv(args.authorizationEnabled),
      ...goMemoryLimitEnv(args.resources.limits.memory),
      ...fileEnvironment(files),
      ...(args.tls?.environment ?? []),
    ],
    secrets: [
      { name: SERVER_ENV.defaultStorePassword, valueFrom: args.passwordSecretArn },
      { name: SERVER_ENV.visibilityStorePassword, valueFrom: args.passwordSecretArn },
      ...(args.tls?.secrets ?? []),
    ],
    portMappings: [
      { name: "grpc", containerPort: spec.grpcPort, protocol: "tcp" },
      { name: "membership", containerPort: spec.membershipPort, protocol: "tcp" },
      ...(spec.httpPort ? [{ name: "http", containerPort: spec.httpPort, protocol: "tcp" as const }] : []),
      { name: "metrics", containerPort: METRICS_PORT, protocol: "tcp" },
    ],
    // The image has busybox nc but no gRPC health client; joining the ring can take minutes cold.
    healthCheck: { command: ["CMD-SHELL", `nc -z 127.0.0.1 ${listeningPort} || exit 1`], interval: 15, timeout: 5, retries: 4, startPeriod: 180 },
    ...memoryOf(args.resources),
    // Time to hand shards and task queues over before the task is killed (Fargate allows 120 s).
    stopTimeout: 60,
    ...roleHardening,
    dependsOn: [...roleHardening.dependsOn, { containerName: DYNAMIC_CONFIG_CONTAINER, condition: "HEALTHY" }],
    logConfiguration: awsLogs(args.log, args.role),
  };
}

export interface SchemaContainerArgs {
  image: string;
  defaultStore: SqlStoreSpec;
  visibilityStore: SqlStoreSpec;
  storeCaBundle?: string;
  passwordSecretArn: string;
  log: LogTarget;
}

/** The connection variables of one store, scoped to the commands that need them. */
function storeCommands(kind: StoreKind, store: SqlStoreSpec): string[] {
  const assignments = Object.entries(sqlToolEnv(store))
    .map(([name, value]) => `${name}=${shellQuote(value)}`)
    .join(" ");
  return sqlSchemaSteps(store.plugin, kind).map((step) => `env ${assignments} ${step.command.map(shellQuote).join(" ")}`);
}

/**
 * The schema steps of both stores in one container, in order, stopping at the first failure: the
 * one-off task that runs it reports this container's exit code to `pulumi up`.
 */
export function schemaContainer(args: SchemaContainerArgs): ContainerDefinition {
  const files = storeCaFile(args.storeCaBundle);
  return {
    name: "schema",
    image: args.image,
    essential: true,
    ...shell([
      ...writeFilesScript(files),
      ...storeCommands("default", args.defaultStore),
      ...storeCommands("visibility", args.visibilityStore),
      "echo schema is current",
    ]),
    environment: fileEnvironment(files),
    secrets: [{ name: SQL_TOOL_PASSWORD_ENV, valueFrom: args.passwordSecretArn }],
    portMappings: [],
    ...hardening(ECS_USERS.temporal, [SCRATCH_TMP]),
    logConfiguration: awsLogs(args.log, "schema"),
  };
}

export interface NamespaceContainerArgs {
  image: string;
  frontendAddress: string;
  namespaces: NamespaceSpec[];
  log: LogTarget;
  /** Mutual TLS: the client certificate as files, named by the variables the namespace script reads. */
  tls?: ContainerTls;
}

/** The task's variable for one namespace's script input: NS_<index>_<input>. */
const namespaceVariable = (index: number, input: string) => `NS_${index}_${input.replace(/^TEMPORAL_KIT_/, "").replace(/^NAMESPACE$/, "NAME")}`;

/**
 * Creates or updates every declared Temporal namespace with the same script as on Kubernetes.
 * Names and descriptions arrive as variables, never spliced into the shell text; each namespace
 * is retried because history may still be taking its shards when the frontend first answers.
 */
export function namespaceContainer(args: NamespaceContainerArgs): ContainerDefinition {
  const inputs = args.namespaces.map(namespaceScriptEnv);
  const lines = inputs.map(
    (env, index) => `retry env ${Object.keys(env).map((input) => `${input}="$${namespaceVariable(index, input)}"`).join(" ")} sh -c "$TEMPORAL_KIT_NAMESPACE_SCRIPT"`,
  );
  return {
    name: "namespaces",
    image: args.image,
    essential: true,
    ...shell([
      "set -eu",
      'retry() { n=0; until "$@"; do n=$((n + 1)); if [ "$n" -ge 12 ]; then return 1; fi; sleep 10; done; }',
      ...(args.tls?.script ?? []),
      ...lines,
    ]),
    environment: [
      { name: "TEMPORAL_ADDRESS", value: args.frontendAddress },
      { name: "TEMPORAL_KIT_NAMESPACE_SCRIPT", value: NAMESPACE_SCRIPT },
      ...inputs.flatMap((env, index) => Object.entries(env).map(([input, value]) => ({ name: namespaceVariable(index, input), value }))),
      ...(args.tls?.environment ?? []),
    ],
    secrets: args.tls?.secrets ?? [],
    portMappings: [],
    ...hardening(ECS_USERS.temporal, [SCRATCH_TMP]),
    logConfiguration: awsLogs(args.log, "namespaces"),
  };
}

export const UI_PORT = 8080;

export interface WebConsoleContainerArgs {
  image: string;
  frontendAddress: string;
  corsOrigins: string[];
  resources: ResourcesConfig;
  log: LogTarget;
  /** OIDC sign-in: the UI server's settings, and the Secrets Manager secret holding the client secret. */
  auth?: { env: Record<string, string>; clientSecretArn: string };
  /** Mutual TLS: the client certificate the console presents to the frontend. */
  tls?: ContainerTls;
}

export function webConsoleContainer(args: WebConsoleContainerArgs): ContainerDefinition {
  return {
    name: "web",
    image: args.image,
    essential: true,
    environment: [
      { name: "TEMPORAL_ADDRESS", value: args.frontendAddress },
      { name: "TEMPORAL_UI_PORT", value: String(UI_PORT) },
      ...(args.corsOrigins.length ? [{ name: "TEMPORAL_CORS_ORIGINS", value: args.corsOrigins.join(",") }] : []),
      ...Object.entries(args.auth?.env ?? {}).map(([name, value]) => ({ name, value })),
      ...(args.tls?.environment ?? []),
    ],
    secrets: [...(args.auth ? [{ name: CLIENT_SECRET_ENV, valueFrom: args.auth.clientSecretArn }] : []), ...(args.tls?.secrets ?? [])],
    portMappings: [{ name: "http", containerPort: UI_PORT, protocol: "tcp" }],
    ...memoryOf(args.resources),
    ...hardening(ECS_USERS.ui, [SCRATCH_TMP]),
    logConfiguration: awsLogs(args.log, "web"),
  };
}

export interface WorkerContainerArgs {
  config: WorkerConfig;
  frontendAddress: string;
  log: LogTarget;
  /** Mutual TLS: the client certificate as the SDK environment configuration's data variables. */
  tls?: ContainerTls;
}

/**
 * The user's worker, wired to the frontend like on Kubernetes; its exec probe becomes the health
 * check. It runs as the pool's `user` with a read-only root and a writable /tmp, as on Kubernetes.
 */
export function workerContainer(args: WorkerContainerArgs): ContainerDefinition {
  const { config } = args;
  if (!config.user) throw new Error(`worker pool ${config.name}: a user is required on ECS (checked by the stack config)`);
  const probe = config.probe && "exec" in config.probe ? config.probe.exec : undefined;
  return {
    name: "worker",
    image: config.image,
    essential: true,
    ...(config.command ? { entryPoint: config.command } : {}),
    ...(config.args ? { command: config.args } : {}),
    environment: [
      ...Object.entries(config.env).map(([name, value]) => ({ name, value })),
      { name: "TEMPORAL_ADDRESS", value: args.frontendAddress },
      { name: "TEMPORAL_NAMESPACE", value: config.namespace },
      { name: "TEMPORAL_TASK_QUEUE", value: config.taskQueue },
      ...(args.tls?.environment ?? []),
    ],
    secrets: args.tls?.secrets ?? [],
    portMappings: [],
    ...(probe ? { healthCheck: { command: ["CMD", ...probe], interval: 15, timeout: 5, retries: 3, startPeriod: 30 } } : {}),
    ...memoryOf(config.resources),
    ...hardening(config.user, [SCRATCH_TMP]),
    logConfiguration: awsLogs(args.log, `worker-${config.name}`),
  };
}

/** Single-quotes a value for POSIX sh. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
