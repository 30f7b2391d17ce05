import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export interface PruneOptions {
  /** The entries of the cache's directory that are entries at all. */
  matching: RegExp;
  /** How many entries stay, `current` among them. */
  keep: number;
  /** The entry this run uses, which stays whatever its age. */
  current?: string;
  /** An entry modified more recently than this may be another run's, still in use: it stays. */
  inUseMs?: number;
}

/** Removes a cache's least recently modified entries beyond the newest few. */
export function pruneCache(root: string, { matching, keep, current, inUseMs }: PruneOptions): void {
  const now = Date.now();
  const others = readdirSync(root)
    .filter((entry) => entry !== current && matching.test(entry))
    .map((entry) => ({ entry, mtime: statSync(join(root, entry)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { entry, mtime } of others.slice(current === undefined ? keep : keep - 1)) {
    if (inUseMs === undefined || now - mtime > inUseMs) rmSync(join(root, entry), { recursive: true, force: true });
  }
}
