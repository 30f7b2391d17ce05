import { execFile, execFileSync } from "node:child_process";
import { request } from "node:http";
import { join } from "node:path";
import { onTestFailed } from "vitest";
import type { LocalCluster } from "./runner/cluster";
import { type KubeObject, type SynthOutput, readSynth } from "./runner/manifests";

/** What every real-run suite does the same way: synthesize, pick objects, call the pods, report failures. */

export const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

export const component = (object: KubeObject) => object.metadata.labels?.["app.kubernetes.io/component"] ?? "";
export const only = (...components: string[]) => (object: KubeObject) => components.includes(component(object));

/** The kit's offline synth of a stack file, as `npm run synth` writes it. */
export function synthesizeStack(stackFile: string, out: string): SynthOutput {
  execFileSync(process.execPath, [TSX, join(ROOT, "tools", "synth.ts"), "--config", stackFile, "--out", out], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return readSynth(out);
}

/** The same synth in the background, so a suite can render its next stack while pods start. */
export function synthesizeStackInBackground(stackFile: string, out: string): Promise<SynthOutput> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSX, join(ROOT, "tools", "synth.ts"), "--config", stackFile, "--out", out], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`synth of ${stackFile} failed: ${stderr}`));
      else resolve(readSynth(out));
    });
  });
}

/** The test client of test/real/worker, run beside the pods; its last line of output is its JSON answer. */
export async function workerClient(cluster: LocalCluster, args: string[]): Promise<unknown> {
  const result = await cluster.runClient([process.execPath, TSX, join(ROOT, "test", "real", "worker", "client.ts"), ...args]);
  if (result.code !== 0) throw new Error(`client ${args.join(" ")} exited ${result.code}: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout.trim().split("\n").pop()!);
}

export function httpGetJson(host: string, port: number, path: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request({ host, port, path, timeout: timeoutMs }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET ${path}: ${res.statusCode} ${body}`))));
    })
      .on("error", reject)
      .end();
  });
}

/** A failing step shows what the pods said, whatever the assertion was. */
export function reportPodsOnFailure(cluster: () => LocalCluster): void {
  onTestFailed(() => {
    const run = cluster();
    console.error(`--- pods after the failure (all logs in ${run.runDir}/logs) ---\n${run.logs()}\n--- runner events ---\n${run.events.slice(-40).join("\n")}`);
  });
}
