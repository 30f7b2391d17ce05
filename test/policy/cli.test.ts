import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synthRuns";
import { record, stackRecord } from "./harness";

/** Writes a synth output folder holding one RDS instance under `root`, as `npm run synth --out` would. */
function synthOutput(root: string, instance: Record<string, unknown>): string {
  const dir = join(mkdtempSync(join(root, "policy-cli-")), "out");
  mkdirSync(dir);
  writeFileSync(join(dir, "resources.json"), JSON.stringify([stackRecord(), record("aws:rds/instance:Instance", "db", instance)]));
  writeFileSync(join(dir, "outputs.json"), JSON.stringify({ environment: "production" }));
  return dir;
}

async function runPolicy(dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "policy", "--", "--from", dir], { cwd: PROJECT_ROOT, env });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

const COMPLIANT = { publiclyAccessible: false, storageEncrypted: true, backupRetentionPeriod: 14, deletionProtection: true };

/** tsx keeps the modules it transpiled in the temporary directory, one file each (`tsx-<uid>/`, beside its IPC sockets). */
function tsxCacheFiles(tmp: string): { name: string; size: number }[] {
  return readdirSync(tmp)
    .filter((dir) => dir.startsWith("tsx-"))
    .flatMap((dir) => readdirSync(join(tmp, dir)).map((name) => ({ name, stat: statSync(join(tmp, dir, name)) })))
    .filter(({ stat }) => stat.isFile())
    .map(({ name, stat }) => ({ name, size: stat.size }));
}

describe("npm run policy", () => {
  // A temporary directory of their own, so that tsx's transform cache starts empty; it holds their
  // synth outputs too.
  const tmp = mkdtempSync(join(tmpdir(), "policy-cli-tmp-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const env = { ...process.env, TMPDIR: tmp };
  // Both at once: each spends most of its second starting npm and Node.
  const violating = runPolicy(synthOutput(tmp, { ...COMPLIANT, publiclyAccessible: true }), env);
  const compliant = runPolicy(synthOutput(tmp, COMPLIANT), env);

  it("prints each mandatory violation and exits 1", { timeout: 120_000 }, async () => {
    const { code, stdout } = await violating;
    expect(code).toBe(1);
    expect(stdout).toContain("[mandatory] no-public-database: RDS instance is publiclyAccessible.");
    expect(stdout).toMatch(/1 violation\(s\), 1 mandatory/);
  });

  it("exits 0 on a compliant stack", { timeout: 120_000 }, async () => {
    const { code, stdout } = await compliant;
    expect(stdout).toMatch(/0 violation\(s\), 0 mandatory/);
    expect(code).toBe(0);
  });

  // Exiting at once used to cut off tsx's asynchronous cache writes: every file it had opened stayed
  // empty, which it reads as a miss, so every run transpiled every module again
  // (tools/exitAfterFileWrites.ts).
  it("leaves tsx's transform cache complete, whether it exits 1 or 0", { timeout: 120_000 }, async () => {
    await Promise.all([violating, compliant]);
    const files = tsxCacheFiles(tmp);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => file.size === 0)).toEqual([]);
  });
});
