import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { pruneCache } from "../helpers/pruneCache";

/**
 * The kit as another Pulumi program gets it: `npm run build`, `npm pack`, the tarball unpacked into
 * a fresh project outside the repository beside the example program (examples/library), the example
 * type-checked against the shipped declarations and run under Pulumi's mocks.
 *
 * The tarball's own files are unpacked as npm installs them. Its dependencies are not downloaded
 * (the Pulumi SDKs are hundreds of megabytes): each one the packed package.json declares, and each
 * the example's package.json declares, is linked from this repository's node_modules, where
 * package-lock.json pinned it. Nothing else is reachable from the project, so a module the
 * package requires without declaring it, or a file it needs but does not ship, fails the run.
 *
 * Building and type-checking cost some 40 s of CPU, so a run's results are cached under a hash of
 * everything they depend on (as the stacks' synth results are, test/helpers/synthCache.ts): an
 * unchanged tree reads them back, any change to the kit, the example or the packaging runs anew.
 */
const PROJECT_ROOT = join(__dirname, "..", "..");
const EXAMPLE = join(PROJECT_ROOT, "examples", "library");
const INPUTS = ["components", "examples/library", "test/library", "tools/build.ts", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "README.md"];
/** What an example directory may hold after someone ran it there; none of it is an input. */
const NOT_INPUTS = new Set(["node_modules", "bin", "package-lock.json"]);
const CACHE_ROOT = process.env.TEMPORAL_KIT_LIBRARY_CACHE ?? join(homedir(), ".cache", "temporal-kit", "packed-library");
/** Bumped whenever what an entry holds changes shape. */
const FORMAT = 1;
/** Entries are a few kilobytes; enough for several branches in turn. */
const KEPT_ENTRIES = 10;

export interface PackedRun {
  /** Every path in the tarball, relative to its package directory. */
  packedFiles: string[];
  resources: { type: string; name: string; namespace?: string }[];
  outputs: Record<string, unknown>;
}

const run = promisify(execFile);

export async function packedLibraryRun(): Promise<PackedRun> {
  const file = join(CACHE_ROOT, `${inputsKey()}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as PackedRun;
  const result = await packBuildAndRun();
  mkdirSync(CACHE_ROOT, { recursive: true });
  // Renamed into place: a parallel run reads a whole entry or none.
  writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(result));
  renameSync(`${file}.${process.pid}.tmp`, file);
  pruneCache(CACHE_ROOT, { matching: /^[0-9a-f]{32}\.json$/, keep: KEPT_ENTRIES });
  return result;
}

async function packBuildAndRun(): Promise<PackedRun> {
  const bin = (command: string) => join(PROJECT_ROOT, "node_modules", ".bin", command);
  const work = mkdtempSync(join(tmpdir(), "temporal-kit-library-"));
  try {
    await run(bin("tsx"), [join(PROJECT_ROOT, "tools", "build.ts")], { cwd: PROJECT_ROOT });
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: PROJECT_ROOT });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];

    const project = join(work, "project");
    const kit = join(project, "node_modules", "temporal-kit");
    mkdirSync(kit, { recursive: true });
    await run("tar", ["-xzf", join(work, packed.filename), "--strip-components=1", "-C", kit]);
    const example = JSON.parse(readFileSync(join(EXAMPLE, "package.json"), "utf8")) as PackageJson;
    const kitPackage = JSON.parse(readFileSync(join(kit, "package.json"), "utf8")) as PackageJson;
    const linked = new Set([...Object.keys(kitPackage.dependencies ?? {}), ...Object.keys(example.dependencies ?? {}), ...Object.keys(example.devDependencies ?? {})]);
    // The example's own copy of the kit is the tarball; its TypeScript is the repository's, run below.
    for (const name of [...linked].filter((name) => name !== "temporal-kit" && name !== "typescript")) {
      mkdirSync(dirname(join(project, "node_modules", name)), { recursive: true });
      symlinkSync(join(PROJECT_ROOT, "node_modules", name), join(project, "node_modules", name), "dir");
    }
    writeFileSync(join(project, "package.json"), JSON.stringify({ ...example, dependencies: { ...example.dependencies, "temporal-kit": `file:../${packed.filename}` } }, null, 2));
    for (const file of ["index.ts", "tsconfig.json", "Pulumi.yaml"]) copyFileSync(join(EXAMPLE, file), join(project, file));
    copyFileSync(join(__dirname, "mockedRun.cjs"), join(project, "mockedRun.cjs"));

    // Type-checks the example against the shipped declarations and compiles it to bin/.
    await run(bin("tsc"), ["-p", join(project, "tsconfig.json")], { cwd: project }).catch((error: { stdout?: string }) => {
      throw new Error(`the example does not type-check against the packed declarations:\n${error.stdout ?? String(error)}`);
    });
    const synth = await run(process.execPath, [join(project, "mockedRun.cjs"), join(project, "bin", "index.js")], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    return { packedFiles: packed.files.map((entry) => entry.path).sort(), ...(JSON.parse(synth.stdout) as Omit<PackedRun, "packedFiles">) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function inputsKey(): string {
  const hash = createHash("sha256").update(`${FORMAT}\0${process.version}\0`);
  const files = INPUTS.flatMap((input) => filesUnder(join(PROJECT_ROOT, input))).sort();
  for (const file of files) hash.update(`${relative(PROJECT_ROOT, file)}\0`).update(readFileSync(file)).update("\0");
  return hash.digest("hex").slice(0, 32);
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((entry) => !NOT_INPUTS.has(entry) || !path.startsWith(EXAMPLE))
    .flatMap((entry) => filesUnder(join(path, entry)));
}
