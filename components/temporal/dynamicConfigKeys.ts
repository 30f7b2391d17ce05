import { readFileSync } from "node:fs";
import { join } from "node:path";

// The list is Temporal's own (every key its dynamic config package defines); a key missing from it
// would be silently ignored by the server, so stack config refuses it instead.
const knownKeys = new Set(
  readFileSync(join(__dirname, "dynamic-config-keys.txt"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0),
);

export function isKnownDynamicConfigKey(key: string): boolean {
  return knownKeys.has(key);
}
