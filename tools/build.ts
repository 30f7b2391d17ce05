import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * `npm run build`: the kit as a library in dist/ (tsconfig.build.json), for package.json's exports.
 * tsc emits only what it compiles; the files the components read beside themselves at run time
 * (Temporal's dynamic config keys, the ECS one-off task's handler) are copied to the same place.
 */
const PROJECT_ROOT = join(__dirname, "..");
const SOURCE = join(PROJECT_ROOT, "components");
const OUT = join(PROJECT_ROOT, "dist");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// A module deleted or moved must not linger in the package from an earlier build.
rmSync(OUT, { recursive: true, force: true });
execFileSync(join(PROJECT_ROOT, "node_modules", ".bin", "tsc"), ["-p", join(PROJECT_ROOT, "tsconfig.build.json")], { stdio: "inherit" });
for (const asset of filesUnder(SOURCE).filter((file) => !file.endsWith(".ts"))) {
  cpSync(asset, join(OUT, relative(SOURCE, asset)));
}
