/**
 * The throughput benchmark's load generator (npm run bench:real): starts `greet` workflows (one
 * activity each) with a fixed number in flight, waits for each result, and prints one JSON line:
 *
 *   {"workflows":N,"failed":F,"seconds":S,"perSecond":R,"p50Ms":A,"p95Ms":B,"maxMs":C}
 *
 * Latency is one workflow's start call to its result, as a caller of the cluster sees it. A warm-up
 * batch runs first and is not counted: it pays for connections, the task queue's first poll and
 * the shards' first writes, which a steady workload does not.
 *
 *   load.ts --address H:P --namespace N --task-queue Q [--workflows 200] [--concurrency 20] [--warmup 20]
 *
 * TLS comes from the TEMPORAL_TLS_* variables the kit gives a worker pool (tlsOptions.ts).
 */
import "./preflight";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { Client, Connection } from "@temporalio/client";
import { loadTls, tlsSettingsFromEnv } from "./tlsOptions";

const { values } = parseArgs({
  options: {
    address: { type: "string" },
    namespace: { type: "string", default: "default" },
    "task-queue": { type: "string" },
    workflows: { type: "string", default: "200" },
    concurrency: { type: "string", default: "20" },
    warmup: { type: "string", default: "20" },
  },
});

function positive(flag: "workflows" | "concurrency" | "warmup"): number {
  const n = Number(values[flag]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number, got ${JSON.stringify(values[flag])}`);
  return n;
}

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

async function main(): Promise<void> {
  if (!values.address || !values["task-queue"]) throw new Error("--address and --task-queue are required");
  const workflows = positive("workflows");
  const concurrency = Math.max(1, positive("concurrency"));
  const warmup = positive("warmup");
  const tls = loadTls(tlsSettingsFromEnv());
  const connection = await Connection.connect({ address: values.address, ...(tls ? { tls } : {}), connectTimeout: 30_000 });
  const client = new Client({ connection, namespace: values.namespace });
  const prefix = `bench-${process.pid}-${Date.now()}`;

  /** Runs `count` workflows, `concurrency` at a time; returns each one's latency, or undefined when it failed. */
  async function batch(label: string, count: number): Promise<(number | undefined)[]> {
    const latencies: (number | undefined)[] = [];
    let next = 0;
    const lane = async () => {
      for (let index = next++; index < count; index = next++) {
        const started = performance.now();
        try {
          await client.workflow.execute("greet", { taskQueue: values["task-queue"]!, workflowId: `${prefix}-${label}-${index}`, args: [`load ${index}`], workflowExecutionTimeout: "2 minutes" });
          latencies[index] = performance.now() - started;
        } catch (error) {
          latencies[index] = undefined;
          process.stderr.write(`load: ${label} ${index}: ${(error as Error).message}\n`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
    return latencies;
  }

  try {
    await batch("warmup", warmup);
    const started = performance.now();
    const latencies = await batch("run", workflows);
    const seconds = (performance.now() - started) / 1000;
    const done = latencies.filter((latency): latency is number => latency !== undefined).sort((a, b) => a - b);
    const round = (value: number) => Math.round(value * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        workflows,
        failed: workflows - done.length,
        concurrency,
        seconds: round(seconds),
        perSecond: round(done.length / seconds),
        p50Ms: round(percentile(done, 0.5)),
        p95Ms: round(percentile(done, 0.95)),
        maxMs: round(done.at(-1) ?? Number.NaN),
      })}\n`,
    );
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`load: ${(error as Error).message}\n`);
  process.exit(1);
});
