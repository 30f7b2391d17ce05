/**
 * npm run bench:real — throughput of the kit's stacks on this machine, measured side by side with
 * the anchor every Temporal user knows: `temporal server start-dev` from the same CLI. Not a test:
 * it asserts nothing and prints a table (docs/local-runner.md, docs/sizing.md).
 *
 *   npm run bench:real -- [--workflows 300] [--concurrency 20] [--shapes anchor,dev-postgres,production-shape]
 *
 * Each shape runs the same workload (load.ts: `greet` workflows, one activity each, a fixed number
 * in flight) through the same worker code (test/real/worker): on the anchor as one process beside
 * the server, on the kit's stacks as the stack's worker pool, under the local pod runner with the
 * real binaries. Needs root and the tools of `npm run e2e:tools`; one run at a time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, TSX, synthesizeStack } from "./stackSynth";
import { LocalCluster } from "./runner/cluster";
import { loadToolPaths } from "./runner/images";
import { devPostgresStack, productionShapeStack, writeStackFile } from "./shapes";
import { certificateFiles, sdkTlsEnv } from "./synthSecrets";

const LOAD = join(ROOT, "test", "real", "worker", "load.ts");
const TASK_QUEUE = "bench";
const SHAPES = ["anchor", "dev-postgres", "production-shape"] as const;
type Shape = (typeof SHAPES)[number];

interface LoadResult {
  workflows: number;
  failed: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

interface Row extends LoadResult {
  shape: Shape;
  layout: string;
}

const { values } = parseArgs({
  options: {
    workflows: { type: "string", default: "300" },
    concurrency: { type: "string", default: "20" },
    warmup: { type: "string", default: "30" },
    shapes: { type: "string", default: SHAPES.join(",") },
  },
});

const loadArgs = (address: string) => [LOAD, "--address", address, "--task-queue", TASK_QUEUE, "--workflows", values.workflows!, "--concurrency", values.concurrency!, "--warmup", values.warmup!];

function parseLoad(stdout: string, stderr: string, code: number): LoadResult {
  if (code !== 0) throw new Error(`load generator exited ${code}: ${stderr}${stdout}`);
  return JSON.parse(stdout.trim().split("\n").pop()!) as LoadResult;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(500);
  }
}

const httpOk = (url: string) =>
  new Promise<boolean>((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on("error", () => resolve(false));
  });

function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/**
 * `temporal server start-dev` on loopback as users run it (its default store, SQLite in memory), and
 * one worker process: the ceiling this machine allows, since it writes nothing to disk.
 */
async function anchor(workDir: string): Promise<Row> {
  const tools = loadToolPaths();
  const address = "127.0.0.1:17233";
  const log = openSync(join(workDir, "start-dev.log"), "a");
  const server = spawn(tools.temporalCli, ["server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", "17233"], { stdio: ["ignore", log, log] });
  const workerLog = openSync(join(workDir, "worker.log"), "a");
  let worker: ChildProcess | undefined;
  try {
    await until("start-dev's default namespace", 60_000, async () => (await run([tools.temporalCli, "operator", "namespace", "describe", "default", "--address", address])).code === 0);
    worker = spawn(process.execPath, [TSX, join(ROOT, "test", "real", "worker", "worker.ts")], {
      stdio: ["ignore", workerLog, workerLog],
      env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: "default", TEMPORAL_TASK_QUEUE: TASK_QUEUE, HEALTH_PORT: "18080" },
    });
    await until("the worker's /healthz", 120_000, () => httpOk("http://127.0.0.1:18080/healthz"));
    const result = await run([process.execPath, TSX, ...loadArgs(address)]);
    return { shape: "anchor", layout: `temporal server start-dev ${tools.cliVersion} (one process, SQLite in memory), 1 worker process`, ...parseLoad(result.stdout, result.stderr, result.code) };
  } finally {
    if (worker) await stop(worker);
    await stop(server);
  }
}

/** A kit stack, synthesized and run under the local pod runner, loaded from a client pod beside it. */
async function kitStack(shape: Exclude<Shape, "anchor">, workDir: string): Promise<Row> {
  const config = shape === "dev-postgres" ? devPostgresStack(TASK_QUEUE) : productionShapeStack(TASK_QUEUE);
  const synth = synthesizeStack(writeStackFile(workDir, shape, config), join(workDir, "out", shape));
  const frontend = String(synth.outputs.frontendAddress);
  const tlsEnv = shape === "production-shape" ? sdkTlsEnv(certificateFiles(synth, "temporal-tls-client", join(workDir, "certs")), frontend.split(":")[0]) : {};
  const cluster = new LocalCluster({ awaitTimeoutMs: 6 * 60_000, backoffBaseMs: 2_000 });
  await cluster.up();
  try {
    await cluster.apply(synth);
    const result = await cluster.runClient([process.execPath, TSX, ...loadArgs(frontend)], tlsEnv, 30 * 60_000);
    const pods = (kind: string) => cluster.allPods().filter((pod) => pod.labels["app.kubernetes.io/component"] === kind).length;
    const layout = `${["frontend", "history", "matching", "worker"].map((role) => `${pods(role)} ${role}`).join(", ")}, ${pods("worker-greeter")} worker pool pod(s), in-cluster PostgreSQL${shape === "production-shape" ? ", mutual TLS" : ""}`;
    return { shape, layout, ...parseLoad(result.stdout, result.stderr, result.code) };
  } catch (error) {
    console.error(cluster.logs());
    throw error;
  } finally {
    await cluster.down();
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("bench:real needs root: the pod runner creates network and mount namespaces");
  const shapes = values.shapes!.split(",").map((shape) => shape.trim()) as Shape[];
  const unknown = shapes.filter((shape) => !SHAPES.includes(shape));
  if (unknown.length > 0) throw new Error(`--shapes: unknown ${unknown.join(", ")}; known: ${SHAPES.join(", ")}`);
  const rows: Row[] = [];
  for (const shape of shapes) {
    const workDir = mkdtempSync(join(tmpdir(), `temporal-kit-bench-${shape}-`));
    try {
      console.error(`bench:real: ${shape}…`);
      rows.push(shape === "anchor" ? await anchor(workDir) : await kitStack(shape, workDir));
      console.error(`bench:real: ${shape}: ${JSON.stringify(rows.at(-1))}`);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  const anchorRate = rows.find((row) => row.shape === "anchor")?.perSecond;
  console.log(`\n${values.workflows} workflows (one activity each), ${values.concurrency} in flight, after ${values.warmup} warm-up workflows; this machine: ${(await import("node:os")).cpus().length} cores`);
  console.log("| shape | completions/s | p50 ms | p95 ms | failed | vs start-dev | layout |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const row of rows) {
    const ratio = anchorRate ? `${(row.perSecond / anchorRate).toFixed(2)}×` : "n/a";
    console.log(`| ${row.shape} | ${row.perSecond} | ${row.p50Ms} | ${row.p95Ms} | ${row.failed} | ${ratio} | ${row.layout} |`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:real: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
