/**
 * The real-run suite's client, printing JSON on stdout:
 *
 *   client.ts run    --address H:P --namespace N --task-queue Q --workflow-id ID --name X [--sleep-ms MS]
 *                    starts `greet` (or `sleepThenGreet` with --sleep-ms), waits, prints {workflowId, runId, result}
 *   client.ts start  (same flags as run)   starts without waiting, prints {workflowId, runId}
 *   client.ts result --address H:P --namespace N --workflow-id ID [--run-id R]   waits, prints {workflowId, runId, result, closeTime}
 *
 * `start` and `result` take --workflow-id more than once (without --run-id) to start or await several
 * workflows from one process, printing an array: one client process per workflow costs seconds each.
 *   client.ts list   --address H:P --namespace N --query "WorkflowType='greet'" [--min-count K]
 *                    prints [{workflowId, runId, type, status}]; with --min-count, polls until visibility shows K
 *
 * --address, --namespace and --task-queue fall back to TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and
 * TEMPORAL_TASK_QUEUE. TLS: --tls, --tls-cert-path, --tls-key-path, --tls-ca-path, --tls-server-name,
 * or the TEMPORAL_TLS* variables the kit gives a worker. --api-key (or TEMPORAL_API_KEY): a JWT sent
 * as `authorization: Bearer <token>`. --timeout-seconds (60) bounds every wait.
 * Exit codes: 0 done, 1 failed (the workflow or the server), 2 wrong usage.
 */
import "./preflight";
import { parseArgs } from "node:util";
import { Client, Connection, WorkflowFailedError } from "@temporalio/client";
import { loadTls, mergeTlsSettings, tlsSettingsFromEnv } from "./tlsOptions";

const USAGE = "usage: client.ts run|start|result|list --address HOST:PORT --namespace NS [--task-queue Q --workflow-id ID --name X [--sleep-ms MS]] [--query Q [--min-count K]] [--timeout-seconds S] [--tls ...]";

function usage(message: string): never {
  process.stderr.write(`client: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        address: { type: "string" },
        namespace: { type: "string" },
        "task-queue": { type: "string" },
        "workflow-id": { type: "string", multiple: true },
        "run-id": { type: "string" },
        name: { type: "string" },
        "sleep-ms": { type: "string" },
        query: { type: "string" },
        "min-count": { type: "string" },
        "timeout-seconds": { type: "string" },
        tls: { type: "boolean" },
        "tls-cert-path": { type: "string" },
        "tls-key-path": { type: "string" },
        "tls-ca-path": { type: "string" },
        "tls-server-name": { type: "string" },
        "api-key": { type: "string" },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
}

function required(value: string | undefined, flag: string, envName?: string): string {
  const resolved = value?.trim() || (envName ? process.env[envName]?.trim() : undefined);
  if (!resolved) usage(`--${flag}${envName ? ` (or ${envName})` : ""} is required`);
  return resolved;
}

function count(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) usage(`--${flag} must be a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parse();
  const command = positionals[0];
  if (!command || !["run", "start", "result", "list"].includes(command) || positionals.length > 1) usage(`expected one command: run, start, result or list`);

  const address = required(values.address, "address", "TEMPORAL_ADDRESS");
  const namespace = required(values.namespace, "namespace", "TEMPORAL_NAMESPACE");
  const timeoutMs = count(values["timeout-seconds"], "timeout-seconds", 60) * 1000;
  const workflowIds = (values["workflow-id"] ?? []).map((id) => id.trim()).filter(Boolean);
  const single = (): string => {
    if (workflowIds.length === 0) usage("--workflow-id is required");
    if (workflowIds.length > 1) usage("--workflow-id is given more than once; only start and result (without --run-id) take several");
    return workflowIds[0];
  };
  let tls;
  try {
    tls = loadTls(
      mergeTlsSettings(tlsSettingsFromEnv(), {
        enabled: values.tls ? "true" : undefined,
        certPath: values["tls-cert-path"],
        keyPath: values["tls-key-path"],
        caPath: values["tls-ca-path"],
        serverName: values["tls-server-name"],
      }),
    );
  } catch (error) {
    usage((error as Error).message);
  }

  const apiKey = values["api-key"]?.trim() || process.env.TEMPORAL_API_KEY?.trim() || undefined;
  const connection = await withTimeout(Connection.connect({ address, ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}), connectTimeout: timeoutMs }), timeoutMs, `a connection to ${address}`);
  try {
    const client = new Client({ connection, namespace });

    if (command === "run" || command === "start") {
      const taskQueue = required(values["task-queue"], "task-queue", "TEMPORAL_TASK_QUEUE");
      const name = required(values.name, "name");
      const sleepMs = values["sleep-ms"] === undefined ? undefined : count(values["sleep-ms"], "sleep-ms", 0);
      const start = (workflowId: string) =>
        sleepMs === undefined
          ? client.workflow.start("greet", { taskQueue, workflowId, args: [name] })
          : client.workflow.start("sleepThenGreet", { taskQueue, workflowId, args: [name, sleepMs] });
      if (command === "start" && workflowIds.length > 1) {
        const handles = await Promise.all(workflowIds.map(start));
        print(handles.map((handle) => ({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId })));
        return;
      }
      const workflowId = single();
      const handle = await start(workflowId);
      const runId = handle.firstExecutionRunId;
      if (command === "start") {
        print({ workflowId, runId });
        return;
      }
      const result = await withTimeout(handle.result(), timeoutMs, `workflow ${workflowId}`);
      print({ workflowId, runId, result });
      return;
    }

    if (command === "result") {
      const outcome = async (workflowId: string, runId?: string) => {
        const handle = client.workflow.getHandle(workflowId, runId);
        const result = await withTimeout(handle.result(), timeoutMs, `workflow ${workflowId}`);
        const description = await handle.describe();
        return { workflowId, runId: description.runId, result, closeTime: description.closeTime?.toISOString() };
      };
      if (workflowIds.length > 1 && !values["run-id"]) print(await Promise.all(workflowIds.map((workflowId) => outcome(workflowId))));
      else print(await outcome(single(), values["run-id"]));
      return;
    }

    // list: visibility is eventually consistent, so --min-count waits for it to catch up.
    const query = required(values.query, "query");
    const minCount = count(values["min-count"], "min-count", 0);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const executions: Array<{ workflowId: string; runId: string; type: string; status: string }> = [];
      for await (const execution of client.workflow.list({ query })) {
        executions.push({ workflowId: execution.workflowId, runId: execution.runId, type: execution.type, status: execution.status.name });
      }
      if (executions.length >= minCount || Date.now() >= deadline) {
        print(executions);
        if (executions.length < minCount) throw new Error(`visibility shows ${executions.length} executions for ${JSON.stringify(query)}, expected at least ${minCount}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
}

/** The error and its causes on one line: the SDK wraps the server's answer (or the activity's failure) in `cause`. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 5; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  return parts.join(": ");
}

main().catch((error: unknown) => {
  const kind = error instanceof WorkflowFailedError ? "workflow failed: " : "";
  process.stderr.write(`client: ${kind}${describeError(error)}\n`);
  process.exit(1);
});
