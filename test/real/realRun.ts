import { request } from "node:http";
import { join } from "node:path";
import { rmSync } from "node:fs";
import { afterAll, beforeEach, onTestFailed } from "vitest";
import type { LocalCluster } from "./runner/cluster";
import type { KubeObject } from "./runner/manifests";
import { ROOT, TSX } from "./stackSynth";

export { ROOT, synthesizeStack, synthesizeStackInBackground } from "./stackSynth";

/** What every real-run suite does the same way: synthesize, pick objects, call the pods, report failures. */


export const component = (object: KubeObject) => object.metadata.labels?.["app.kubernetes.io/component"] ?? "";
export const only = (...components: string[]) => (object: KubeObject) => components.includes(component(object));

/** The test client of test/real/worker, run beside the pods; its last line of output is its JSON answer. */
export async function workerClient(cluster: LocalCluster, args: string[]): Promise<unknown> {
  const result = await cluster.runClient([process.execPath, TSX, join(ROOT, "test", "real", "worker", "client.ts"), ...args]);
  if (result.code !== 0) throw new Error(`client ${args.join(" ")} exited ${result.code}: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout.trim().split("\n").pop()!);
}

export async function httpGetJson(host: string, port: number, path: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<unknown> {
  const { status, body } = await httpGet(host, port, path, timeoutMs, headers);
  if (status !== 200) throw new Error(`GET ${path}: ${status} ${body}`);
  return JSON.parse(body);
}

/** A plain HTTP GET that resolves with whatever status came back. */
export function httpGet(host: string, port: number, path: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host, port, path, timeout: timeoutMs, headers }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

/**
 * The hooks every real-run suite shares: a failing step shows what the pods said, whatever the
 * assertion was; afterwards the cluster stops and the work directory goes, unless
 * TEMPORAL_KIT_KEEP_RUN keeps both for a look. `alsoAfter` stops what the suite ran beside the pods.
 */
export function realRunHooks(state: () => { cluster?: LocalCluster; workDir?: string }, alsoAfter?: () => Promise<void>): void {
  beforeEach(() => {
    onTestFailed(() => {
      const run = state().cluster;
      if (!run) return;
      console.error(`--- pods after the failure (all logs in ${run.runDir}/logs) ---\n${run.logs()}\n--- runner events ---\n${run.events.slice(-40).join("\n")}`);
    });
  });
  afterAll(async () => {
    const { cluster, workDir } = state();
    const keep = Boolean(process.env.TEMPORAL_KIT_KEEP_RUN);
    if (cluster && !keep) await cluster.down();
    await alsoAfter?.();
    if (workDir && !keep) rmSync(workDir, { recursive: true, force: true });
  }, 5 * 60_000);
}
