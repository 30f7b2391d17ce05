import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * `npm test`: the type-check and the test suite at once, each on its own core of a two-core
 * machine, instead of one after the other. Either failing fails the command. Arguments go to
 * vitest (`npm test -- test/config`).
 *
 * The type-check runs in build mode (`tsc -b`) on a config outside the repository that extends the
 * project's, one per checkout path: its build info records what was checked, so an unchanged tree is
 * not checked again and an edit re-checks what it can affect. The project's tsconfig.json stays the
 * one source of compiler options.
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

function typecheckConfig(): string {
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "temporal-kit", "tsc", createHash("sha256").update(PROJECT_ROOT).digest("hex").slice(0, 16));
  const project = JSON.parse(readFileSync(join(PROJECT_ROOT, "tsconfig.json"), "utf8")) as { include: string[] };
  const config = `${JSON.stringify(
    {
      extends: join(PROJECT_ROOT, "tsconfig.json"),
      // Paths in a config resolve from its own directory: this one points back at the project.
      compilerOptions: { noEmit: true, incremental: true, tsBuildInfoFile: join(dir, "tsbuildinfo"), typeRoots: [join(PROJECT_ROOT, "node_modules", "@types")] },
      include: project.include.map((pattern) => join(PROJECT_ROOT, pattern)),
    },
    null,
    2,
  )}\n`;
  const file = join(dir, "tsconfig.json");
  mkdirSync(dir, { recursive: true });
  // Rewritten only when it changes: a newer config makes build mode check everything again.
  if (!existsSync(file) || readFileSync(file, "utf8") !== config) writeFileSync(file, config);
  return file;
}

async function main(): Promise<number> {
  // The type-check's report waits for the suite's, so the two never interleave.
  const typecheck = run("tsc", ["-b", typecheckConfig()], true);
  const tests = await run("vitest", ["run", ...process.argv.slice(2)], false);
  const types = await typecheck;
  if (types.output) process.stdout.write(types.output);
  console.log(types.code === 0 ? "type-check: no errors" : `type-check failed (tsc exited with ${types.code})`);
  return tests.code !== 0 ? tests.code : types.code;
}

main().then((code) => process.exit(code));
