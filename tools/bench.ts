import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { type SdkUse, floorScript, sdkUseOf } from "./bench/sdkModules";

const USAGE = "usage: npm run bench -- [--runs N] [--skip-suite] [--skip-stacks]";
const DEFAULT_RUNS = 5;
const PROJECT_ROOT = join(__dirname, "..");
const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

interface Timed {
  ms: number;
  exitCode: number | null;
  stderr: string;
}

interface Row {
  stack: string;
  /** What of the SDKs the stack uses, read from its first synth's resources (tools/bench/sdkModules.ts). */
  sdk?: SdkUse[];
  synthMs: number[];
  hostMs: number[];
  floorMs: number[];
  nodeFloorMs: number[];
  failures: number;
}

async function main(): Promise<number> {
  const args = argsOf();
  if (args === undefined) {
    console.error(USAGE);
    return 2;
  }
  const stacks = shippedStacks();
  const outRoot = mkdtempSync(join(tmpdir(), "temporal-kit-bench-"));
  try {
    const rows = args.stacks ? await measure(stacks, args.runs, outRoot) : [];
    if (args.stacks) printTable(rows, args.runs);
    const suiteFailed = args.suite ? await measureSuite(outRoot) : false;
    return rows.some((row) => row.failures > 0) || suiteFailed ? 1 : 0;
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

function argsOf(): { runs: number; suite: boolean; stacks: boolean } | undefined {
  const { values } = parseArgs({ options: { runs: { type: "string" }, "skip-suite": { type: "boolean" }, "skip-stacks": { type: "boolean" } } });
  const suite = !values["skip-suite"];
  const stacks = !values["skip-stacks"];
  if (values.runs === undefined) return { runs: DEFAULT_RUNS, suite, stacks };
  const runs = Number(values.runs);
  return Number.isInteger(runs) && runs > 0 ? { runs, suite, stacks } : undefined;
}

function shippedStacks(): string[] {
  return readdirSync(join(PROJECT_ROOT, "stacks"))
    .map((file) => STACK_FILE.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/**
 * Rounds interleave every stack's synth, language host and floors, so drift on the machine (other
 * load, CPU frequency) spreads over all rows instead of biasing whichever command would have run
 * last. A stack's floor loads the SDK modules and resource classes its first synth registered
 * resources of; stacks that use the same share one floor measurement per round.
 */
async function measure(stacks: string[], runs: number, outRoot: string): Promise<Row[]> {
  const rows: Row[] = stacks.map((stack) => ({ stack, synthMs: [], hostMs: [], floorMs: [], nodeFloorMs: [], failures: 0 }));
  for (let round = 1; round <= runs; round++) {
    const floors = new Map<string, Promise<[Timed, Timed]>>();
    for (const row of rows) {
      const outDir = join(outRoot, `${row.stack}-${round}`);
      const synth = await timeSynth(row.stack, outDir);
      if (synth.exitCode === 0) {
        row.synthMs.push(synth.ms);
        row.sdk ??= sdkUseOf(resourceTypesIn(outDir));
      } else {
        row.failures++;
        warnFailed(`synth ${row.stack}`, round, synth);
      }
      const host = await timeLanguageHost(row.stack);
      if (host.exitCode === 0) {
        row.hostMs.push(host.ms);
      } else {
        row.failures++;
        warnFailed(`language host ${row.stack}`, round, host);
      }
      if (!row.sdk) continue;
      const key = JSON.stringify(row.sdk);
      if (!floors.has(key)) floors.set(key, timeFloors(row.sdk));
      const [floor, nodeFloor] = await floors.get(key)!;
      for (const [what, result, samples] of [["floor", floor, row.floorMs], ["node floor", nodeFloor, row.nodeFloorMs]] as const) {
        if (result.exitCode === 0) {
          samples.push(result.ms);
        } else {
          row.failures++;
          warnFailed(`${what} ${row.stack}`, round, result);
        }
      }
    }
  }
  return rows;
}

function resourceTypesIn(outDir: string): string[] {
  const resources = JSON.parse(readFileSync(join(outDir, "resources.json"), "utf8")) as { type: string }[];
  return resources.map((resource) => resource.type);
}

function timeSynth(stack: string, outDir: string): Promise<Timed> {
  return timeChild([join("tools", "synth.ts"), "--stack", stack, "--out", outDir]);
}

/**
 * Loading the modules and the stack's resource classes alone, under the synth's own launcher (tsx,
 * which hooks every module it loads) and under plain Node (what no launcher can beat), one after the
 * other.
 */
async function timeFloors(sdk: SdkUse[]): Promise<[Timed, Timed]> {
  const script = floorScript(sdk);
  const floor = await timeChild(["--eval", script]);
  const nodeFloor = await timeChild(["--eval", script], process.execPath);
  return [floor, nodeFloor];
}

/**
 * The program as `pulumi preview` runs it: Pulumi's own runner (@pulumi/pulumi/cmd/run) with what
 * the language host takes from Pulumi.yaml's runtime options (`typescript`, `tsconfig`, `nodeargs`),
 * the TypeScript registration its own; the synth's mocks answer in place of the engine
 * (tools/bench/mockEngine.js).
 */
function timeLanguageHost(stack: string): Promise<Timed> {
  const project = parse(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    main?: string;
    runtime: { options?: { typescript?: boolean; tsconfig?: string; nodeargs?: string } };
  };
  const options = project.runtime.options ?? {};
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_TYPESCRIPT: String(options.typescript !== false) };
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const runner = join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js");
  const args = [
    ...(options.nodeargs?.split(/\s+/).filter(Boolean) ?? []),
    "--require",
    join(PROJECT_ROOT, "tools", "bench", "mockEngine.js"),
    runner,
    "--monitor=mock",
    `--project=${project.name}`,
    `--stack=${stack}`,
    "--dry-run",
    `--pwd=${PROJECT_ROOT}`,
    project.main ?? ".",
  ];
  return timeChild(args, process.execPath, env);
}

/** Wall time of a fresh process (tsx unless told), from spawn until it has exited and closed its pipes. */
function timeChild(args: string[], command = TSX, env = process.env): Promise<Timed> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => resolve({ ms: performance.now() - started, exitCode: null, stderr: error.message }));
    child.on("close", (exitCode) => resolve({ ms: performance.now() - started, exitCode, stderr }));
  });
}

function warnFailed(what: string, round: number, result: Timed) {
  const reason = errorLineOf(result.stderr);
  console.warn(`warning: ${what} run ${round} exited with ${result.exitCode ?? "no exit code"}${reason ? `: ${reason}` : ""}`);
}

/** Node's crash output opens with a source excerpt and ends with its version: the error line says more. */
function errorLineOf(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^\w*Error\b/.test(line)) ?? lines[0] ?? "";
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function printTable(rows: Row[], runs: number) {
  console.log(`median wall time of ${runs} fresh processes each (node ${process.version}); floor: tsx loading only the SDK modules and resource classes the stack uses, node floor: the same under plain node\n`);
  const lines = [["stack", "synth ms", "language host ms", "floor ms", "node floor ms", "synth/floor", "host/floor"]];
  for (const row of rows) {
    const [synthMs, hostMs, floorMs, nodeFloorMs] = [row.synthMs, row.hostMs, row.floorMs, row.nodeFloorMs].map(median);
    const ratio = (ms: number | undefined) => (ms !== undefined && floorMs !== undefined ? (ms / floorMs).toFixed(2) : "-");
    lines.push([row.stack, formatMs(synthMs), formatMs(hostMs), formatMs(floorMs), formatMs(nodeFloorMs), ratio(synthMs), ratio(hostMs)]);
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  for (const line of lines) {
    // The stack name reads best left-aligned, numbers right-aligned.
    console.log(line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "));
  }
  console.log("\nSDK modules per floor (and how many resource classes it reads from them):");
  for (const row of rows) {
    const modules = row.sdk?.map((use) => `${use.module}${use.classes.length ? ` (${use.classes.length})` : ""}`).join(", ");
    console.log(`  ${row.stack}: ${modules ?? "unknown (no synth succeeded)"}`);
  }
}

const formatMs = (ms: number | undefined) => (ms === undefined ? "failed" : ms.toFixed(0));

/**
 * `npm test` twice on empty caches of its own: cold (no synth results, no packed-library run, no
 * type-check build info, no transformed modules (vitest's or tsx's), as on a fresh clone on a fresh
 * machine) then warm (the same tree again, the developer's loop). The state salt and key material
 * (tools/synth/keyMaterial.ts) stay the machine's.
 */
async function measureSuite(outRoot: string): Promise<boolean> {
  const env = {
    ...process.env,
    TEMPORAL_KIT_SYNTH_CACHE: join(outRoot, "synth-cache"),
    TEMPORAL_KIT_LIBRARY_CACHE: join(outRoot, "library-cache"),
    XDG_CACHE_HOME: join(outRoot, "xdg-cache"),
    // tsx keeps its transpiled files in the temporary directory.
    TMPDIR: join(outRoot, "tmp"),
  };
  mkdirSync(env.TMPDIR, { recursive: true });
  console.log("\nnpm test (wall time; CPU time is user+sys of the command and its children)");
  let failed = false;
  for (const label of ["cold", "warm"]) {
    const result = await timeSuite(env);
    failed ||= result.exitCode !== 0;
    const cpu = result.cpuSeconds === undefined ? "" : `, CPU ${result.cpuSeconds.toFixed(1)} s`;
    console.log(`  ${label}: ${(result.ms / 1000).toFixed(1)} s${cpu}${result.exitCode === 0 ? "" : `, FAILED (exit ${result.exitCode})`}`);
  }
  return failed;
}

/** GNU time reports the children's CPU time, which Node cannot see; without it, wall time only. */
const GNU_TIME = "/usr/bin/time";

async function timeSuite(env: NodeJS.ProcessEnv): Promise<Timed & { cpuSeconds?: number }> {
  const timesFile = join(tmpdir(), `temporal-kit-bench-times-${process.pid}`);
  const measured = existsSync(GNU_TIME);
  const [command, args] = measured ? [GNU_TIME, ["-o", timesFile, "-f", "%U %S", "npm", "test"]] : ["npm", ["test"]];
  const result = await timeChild(args, command, env);
  if (!measured) return result;
  const [user, system] = readFileSync(timesFile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
  rmSync(timesFile, { force: true });
  return { ...result, cpuSeconds: user + system };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
