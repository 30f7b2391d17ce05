import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, utimesSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { pruneCache } from "./helpers/pruneCache";

/** Enough for a few checkouts and tsconfig changes; each holds some 30 MB. */
const KEPT = 4;
/** A cache another run may still be reading is never removed. */
const IN_USE_MS = 60 * 60 * 1000;

/**
 * Where vitest keeps the modules it transformed (`experimental.fsModuleCache`), beside the kit's
 * other caches, so a run with an empty cache home (npm run bench's cold run) is cold here too. Its
 * key is a module's path, source and the vitest config, but Vite's TypeScript transform also reads
 * tsconfig.json (target, class fields): each checkout and tsconfig gets a cache of its own, and
 * the least recently used beyond the newest few are removed.
 */
export function moduleCacheDir(projectRoot: string): string {
  const root = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "temporal-kit", "vitest-modules");
  const key = createHash("sha256").update(projectRoot).update("\0").update(readFileSync(join(projectRoot, "tsconfig.json"))).digest("hex").slice(0, 16);
  const dir = join(root, key);
  mkdirSync(dir, { recursive: true });
  const now = new Date();
  // Marks this cache as the most recently used.
  utimesSync(dir, now, now);
  pruneCache(root, { matching: /^[0-9a-f]{16}$/, keep: KEPT, current: key, inUseMs: IN_USE_MS });
  return dir;
}
