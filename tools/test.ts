import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * `npm test`: the type-check and the test suite at once, each on its own core of a two-core
 * machine, instead of one after the other. Either failing fails the command. Arguments go to
 * vitest (`npm test -- test/config`).
 *
 * The type-check is incremental: its build info lives outside the repository, one per checkout
 * path (it records files relative to itself), so an unchanged tree re-checks nothing.
 */
const PROJECT_ROOT = join(__dirname, "..");
const BIN = join(PROJECT_ROOT, "node_modules", ".bin");

interface Finished {
  code: number;
  output: string;
}

function run(command: string, args: string[], quiet: boolean): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(join(BIN, command), args, { cwd: PROJECT_ROOT, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function buildInfoFile(): string {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "temporal-kit", "tsc");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${createHash("sha256").update(PROJECT_ROOT).digest("hex").slice(0, 16)}.tsbuildinfo`);
}

async function main(): Promise<number> {
  // The type-check's report waits for the suite's, so the two never interleave.
  const typecheck = run("tsc", ["--noEmit", "-p", ".", "--incremental", "--tsBuildInfoFile", buildInfoFile()], true);
  const tests = await run("vitest", ["run", ...process.argv.slice(2)], false);
  const types = await typecheck;
  if (types.output) process.stdout.write(types.output);
  console.log(types.code === 0 ? "type-check: no errors" : `type-check failed (tsc exited with ${types.code})`);
  return tests.code !== 0 ? tests.code : types.code;
}

main().then((code) => process.exit(code));
