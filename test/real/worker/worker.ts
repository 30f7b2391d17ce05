/**
 * The real-run suite's worker image (`temporal-kit.test/worker:1.0.0`): run as
 * `node <tsx cli> /app/worker.ts`, with exactly the environment the kit gives a worker pool
 * (components/kubernetes/workerPool.ts): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_TASK_QUEUE, the TEMPORAL_TLS_* files when the frontend requires mutual TLS,
 * TEMPORAL_API_KEY (the pool's apiKeySecret) when it authorizes with JWTs, sent as
 * `authorization: Bearer <token>` as Temporal's SDKs do, and the stack's own `env`.
 *
 * It runs on a read-only root filesystem: the image carries its workflows prebuilt
 * (WORKFLOW_BUNDLE_PATH, made by bundle.ts when the runner builds the image); without that it
 * bundles them into memory at start, which needs a cache directory @swc/core can own.
 *
 * Optional environment: HEALTH_PORT (8080) for GET /healthz, WORKER_CONNECT_TIMEOUT_SECONDS (300)
 * to keep retrying a frontend or namespace that is not there yet, WORKER_LOG_LEVEL (INFO).
 */
import "./preflight";
import { createServer, type Server } from "node:http";
import { performance } from "node:perf_hooks";
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from "@temporalio/worker";
import * as activities from "./activities";
import { describeTls, loadTls, tlsSettingsFromEnv } from "./tlsOptions";
import { workflowBundleOptions } from "./workflowBundle";

const REQUIRED_ENV = ["TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_TASK_QUEUE"] as const;
const LOG_LEVELS: LogLevel[] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

type Phase = "starting" | "running" | "stopping";

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} worker: ${message}\n`);
}

function fail(message: string, code = 1): never {
  process.stderr.write(`${new Date().toISOString()} worker: ${message}\n`);
  process.exit(code);
}

function readSettings() {
  const missing = REQUIRED_ENV.filter((name) => !process.env[name]?.trim());
  if (missing.length > 0) {
    fail(`missing required environment variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (the kit sets ${REQUIRED_ENV.join(", ")} on every worker pool)`, 2);
  }
  const healthPort = Number(process.env.HEALTH_PORT?.trim() || "8080");
  if (!Number.isInteger(healthPort) || healthPort < 1 || healthPort > 65535) fail(`HEALTH_PORT must be a port number, got ${JSON.stringify(process.env.HEALTH_PORT)}`, 2);
  const connectTimeoutSeconds = Number(process.env.WORKER_CONNECT_TIMEOUT_SECONDS?.trim() || "300");
  if (!Number.isFinite(connectTimeoutSeconds) || connectTimeoutSeconds < 0) fail(`WORKER_CONNECT_TIMEOUT_SECONDS must be a number of seconds, got ${JSON.stringify(process.env.WORKER_CONNECT_TIMEOUT_SECONDS)}`, 2);
  const logLevel = (process.env.WORKER_LOG_LEVEL?.trim().toUpperCase() || "INFO") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) fail(`WORKER_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`, 2);
  let tls;
  try {
    tls = loadTls(tlsSettingsFromEnv());
  } catch (error) {
    fail((error as Error).message, 2);
  }
  return {
    address: process.env.TEMPORAL_ADDRESS!.trim(),
    namespace: process.env.TEMPORAL_NAMESPACE!.trim(),
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!.trim(),
    healthPort,
    connectTimeoutMs: connectTimeoutSeconds * 1000,
    logLevel,
    tls,
    apiKey: process.env.TEMPORAL_API_KEY?.trim() || undefined,
  };
}

/** GET /healthz: 200 once the worker polls, 503 before that and while it shuts down. */
function startHealthServer(port: number, phase: () => Phase): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/healthz") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    const current = phase();
    res.writeHead(current === "running" ? 200 : 503, { "content-type": "text/plain" }).end(`${current}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve(server));
  });
}

/** The image's prebuilt bundle, or one built in memory now (webpack's statistics kept to warnings). */
async function workflowBundle(): Promise<{ codePath: string } | { code: string }> {
  const prebuilt = process.env.WORKFLOW_BUNDLE_PATH;
  if (prebuilt) {
    log(`workflow bundle: ${prebuilt}, built with the image`);
    return { codePath: prebuilt };
  }
  const started = performance.now();
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger("WARN") });
  log(`workflow bundle built in memory (${(bundle.code.length / 1024).toFixed(0)} KiB) in ${Math.round(performance.now() - started)} ms`);
  return bundle;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const identity = `${process.pid}@${activities.workerName()}`;
  let phase: Phase = "starting";
  let worker: Worker | undefined;
  // Read through a function: a signal handler changes the phase between awaits.
  const stopping = () => (phase as Phase) === "stopping";

  // Signals are handled here rather than by the SDK runtime, so health turns 503 first and the
  // process exits once the worker has drained.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(settings.logLevel) });
  const onSignal = (signal: NodeJS.Signals) => {
    if (phase === "stopping") return;
    const wasRunning = phase === "running";
    phase = "stopping";
    log(`${signal} received, shutting down`);
    if (wasRunning && worker) worker.shutdown();
    else process.exit(0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  const health = await startHealthServer(settings.healthPort, () => phase).catch((error: Error) => fail(`cannot listen on HEALTH_PORT ${settings.healthPort}: ${error.message}`));

  const bundle = await workflowBundle();

  // The frontend may not answer yet, or the namespace job may not have run: keep trying, each
  // attempt on a fresh connection (a worker that failed to start stays registered on its connection).
  let connection: NativeConnection | undefined;
  const deadline = Date.now() + settings.connectTimeoutMs;
  for (let attempt = 1; !worker; attempt++) {
    try {
      connection = await NativeConnection.connect({ address: settings.address, ...(settings.tls ? { tls: settings.tls } : {}), ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) });
      await connection.workflowService.describeNamespace({ namespace: settings.namespace });
      worker = await Worker.create({
        connection,
        namespace: settings.namespace,
        taskQueue: settings.taskQueue,
        workflowBundle: bundle,
        activities,
        identity,
        shutdownGraceTime: "5 seconds",
        shutdownForceTime: "25 seconds",
      });
    } catch (error) {
      await connection?.close().catch(() => undefined);
      connection = undefined;
      const message = error instanceof Error ? error.message : String(error);
      if (stopping()) process.exit(0);
      if (Date.now() >= deadline) throw new Error(`cannot start polling namespace ${settings.namespace} at ${settings.address} after ${attempt} attempts: ${message}`);
      log(`starting against ${settings.address} failed (attempt ${attempt}): ${message}; retrying`);
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
    }
  }
  if (stopping()) process.exit(0);

  const running = worker.run();
  phase = "running";
  log(
    `polling task queue ${JSON.stringify(settings.taskQueue)} in namespace ${JSON.stringify(settings.namespace)} at ${settings.address} ` +
      `(${describeTls(settings.tls)}${settings.apiKey ? " bearer-token" : ""}) as ${identity}; health on :${settings.healthPort}/healthz; ${Math.round(performance.now())} ms after process start`,
  );
  try {
    await running;
  } finally {
    phase = "stopping";
    await connection?.close().catch(() => undefined);
    await new Promise((r) => health.close(r));
  }
  log("stopped");
  process.exit(0);
}

main().catch((error: unknown) => fail(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
