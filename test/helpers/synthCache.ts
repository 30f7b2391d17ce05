import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { pruneCache } from "./pruneCache";

/**
 * Everything a stack's synth reads from the repository: the kit, the synth tool, the stack files and
 * fixtures, the project and the pinned dependencies. Any change to one of them synthesizes anew.
 */
const SYNTH_INPUTS = ["components", "tools", "stacks", "test/fixtures", "index.ts", "Pulumi.yaml", "package.json", "package-lock.json", "tsconfig.json"];

const CACHE_ROOT = process.env.TEMPORAL_KIT_SYNTH_CACHE ?? join(homedir(), ".cache", "temporal-kit", "synth-runs");
/** Enough for a few branches in turn; each entry is some 15 MB. */
const KEPT_ENTRIES = 6;
const STALE_MS = 60 * 60 * 1000;
/** Bumped whenever what an entry holds changes shape. */
const FORMAT = 1;

/**
 * The cache key of a tree's synth results. The synth's state salt (tools/synth/keyMaterial.ts) is
 * part of it: the results hold keys and passwords made from it.
 */
export function synthKey(projectRoot: string): string {
  const hash = createHash("sha256").update(`${FORMAT}\0${process.version}\0`);
  const files = SYNTH_INPUTS.flatMap((input) => filesUnder(join(projectRoot, input))).sort();
  for (const file of files) hash.update(`${relative(projectRoot, file)}\0`).update(readFileSync(file)).update("\0");
  const salt = join(process.env.TEMPORAL_KIT_SYNTH_STATE ?? join(homedir(), ".cache", "temporal-kit", "synth-state"), "salt");
  if (existsSync(salt)) hash.update(readFileSync(salt));
  return hash.digest("hex").slice(0, 32);
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

/** The finished entry for a key, if an earlier run made it. */
export function cachedEntry(key: string): string | undefined {
  const dir = join(CACHE_ROOT, key);
  return existsSync(join(dir, "runs.json")) ? dir : undefined;
}

/** A private directory to synthesize into, published under the key by `publishEntry`. */
export function newEntryDir(key: string): string {
  const dir = join(CACHE_ROOT, `${key}.${process.pid}.tmp`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Renaming is atomic: a reader sees a whole entry or none. When a parallel run published the same
 * key first, its entry stands (same inputs, same results) and this one is dropped.
 */
export function publishEntry(key: string, building: string): string {
  const dir = join(CACHE_ROOT, key);
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  pruneEntries(key);
  return dir;
}

function pruneEntries(keep: string): void {
  // A run that was not published (it crashed, or was interrupted) leaves its private directory;
  // one younger than an hour may be another checkout's run, still synthesizing.
  for (const entry of readdirSync(CACHE_ROOT).filter((name) => name.endsWith(".tmp"))) {
    if (Date.now() - statSync(join(CACHE_ROOT, entry)).mtimeMs > STALE_MS) rmSync(join(CACHE_ROOT, entry), { recursive: true, force: true });
  }
  pruneCache(CACHE_ROOT, { matching: /^[0-9a-f]{32}$/, keep: KEPT_ENTRIES, current: keep });
}
