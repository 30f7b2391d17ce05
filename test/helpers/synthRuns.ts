import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { ResourceRecord } from "../../tools/synth/recorder";
import type { BatchResult } from "../../tools/synthBatch";
import { cachedEntry, newEntryDir, publishEntry, synthKey } from "./synthCache";

export const PROJECT_ROOT = join(__dirname, "..", "..");
const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

export interface SynthRun {
  label: string;
  status: number;
  stdout: string;
  stderr: string;
  outDir: string;
}

export interface SynthTarget {
  label: string;
  args: string[];
}

/** Every shipped stack, plus fixture stacks that exercise `--config` and worker pools. */
export function synthTargets(): SynthTarget[] {
  const stacks = readdirSync(join(PROJECT_ROOT, "stacks"))
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => Boolean(stack))
    .map((stack) => ({ label: stack, args: ["--stack", stack] }));
  const fixtures = ["with-workers", "ecs-workers", "eks-workers", "eks-cassandra", "azure-cosmos", "azure-mysql", "external-postgres", "eks-archival", "ecs-archival", "aks-archival", "ecs-authorization", "eks-authorization", "pod-overrides", "invalid"].map((name) => ({
    label: `fixture:${name}`,
    args: ["--config", join("test", "fixtures", `Pulumi.${name}.yaml`)],
  }));
  return [...stacks, ...fixtures];
}

/** Runs `npm run synth` as a user would, in a fresh process. */
export async function runSynth(label: string, args: string[], outRoot: string): Promise<SynthRun> {
  const outDir = join(outRoot, outDirName(label));
  try {
    const { stdout, stderr } = await promisify(execFile)("npm", ["run", "--silent", "synth", "--", ...args, "--out", outDir], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { label, status: 0, stdout, stderr, outDir };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { label, status: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "", outDir };
  }
}

/** The stack every whole-stack run also synthesizes alone through `npm run synth`, to hold the batch to it. */
export const WITNESS = "production";

export interface SynthRuns {
  runs: SynthRun[];
  /** WITNESS synthesized alone, as a user would: its files and output must equal the batch's. */
  witness: SynthRun;
}

/**
 * Every target's synth, from the cache when this tree was synthesized before (the developer's loop),
 * otherwise made in one batch process per core (CI, and any change to the kit or its stacks).
 */
export async function runAllSynths(): Promise<SynthRuns> {
  const key = synthKey(PROJECT_ROOT);
  const cached = cachedEntry(key);
  if (cached) return readEntry(cached);
  const building = newEntryDir(key);
  const final = join(building, "..", key);
  const targets = synthTargets().map((target) => ({ ...target, outDir: join(building, outDirName(target.label)) }));
  const [{ runs, allInProcess }, witness] = await Promise.all([
    runBatches(targets, building),
    runSynth(`witness:${WITNESS}`, ["--stack", WITNESS], join(building, "witness")),
  ]);
  // A crash (a bug, or the machine) is not a result to serve again: only a run in which every stack
  // either synthesized or was refused for its stack file is kept.
  if (!allInProcess || witness.status !== 0) {
    writeFileSync(join(building, "runs.json"), JSON.stringify({ runs, witness }));
    return readEntry(building);
  }
  // What each run says and where its files are, as they will read once the entry is published.
  const published = (run: SynthRun) => JSON.parse(JSON.stringify(run).replaceAll(building, final)) as SynthRun;
  writeFileSync(join(building, "runs.json"), JSON.stringify({ runs: runs.map(published), witness: published(witness) }));
  return readEntry(publishEntry(key, building));
}

function readEntry(dir: string): SynthRuns {
  return JSON.parse(readFileSync(join(dir, "runs.json"), "utf8")) as SynthRuns;
}

const outDirName = (label: string) => label.replace(/[^a-z0-9-]/gi, "_");

/**
 * Loading the SDK and the kit is most of a synth's cost: each batch process (tools/synthBatch.ts)
 * pays it once for its share of the targets. A target the batch could not synthesize in-process is
 * synthesized alone, so its failure reads as a user would see it.
 */
async function runBatches(targets: (SynthTarget & { outDir: string })[], workDir: string): Promise<{ runs: SynthRun[]; allInProcess: boolean }> {
  // One process per core, but enough stacks to each that loading the SDK stays the lesser part.
  const processes = Math.max(1, Math.min(availableParallelism(), Math.ceil(targets.length / STACKS_PER_PROCESS)));
  const shares = Array.from({ length: processes }, (_, index) => targets.filter((_, position) => position % processes === index));
  const results = (await Promise.all(shares.map((share, index) => runBatch(share, join(workDir, `batch-${index}`))))).flat();
  const inProcess = (target: SynthTarget) => results.find((candidate) => candidate.label === target.label && candidate.inProcess);
  const runs = await Promise.all(
    targets.map(async (target) => {
      const result = inProcess(target);
      if (result) return { label: target.label, status: result.status, stdout: result.stdout, stderr: result.stderr, outDir: target.outDir };
      return runSynth(target.label, target.args, dirname(target.outDir));
    }),
  );
  return { runs, allInProcess: targets.every(inProcess) };
}

const STACKS_PER_PROCESS = 5;

async function runBatch(targets: (SynthTarget & { outDir: string })[], workFile: string): Promise<BatchResult[]> {
  writeFileSync(`${workFile}.targets.json`, JSON.stringify(targets));
  try {
    await promisify(execFile)(TSX, [join("tools", "synthBatch.ts"), `${workFile}.targets.json`, `${workFile}.results.json`], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    // The results file says how far it got; the targets it does not list are synthesized alone.
  }
  try {
    return JSON.parse(readFileSync(`${workFile}.results.json`, "utf8")) as BatchResult[];
  } catch {
    return [];
  }
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface SynthOutput {
  resources: ResourceRecord[];
  objects: KubernetesObject[];
  temporalFiles: Record<string, string>;
  outputs: Record<string, unknown>;
  allText: string;
}

const parsedOutputs = new Map<string, SynthOutput>();

/**
 * A run's files, parsed once per test process: parsing the YAML was most of a whole-stack test's
 * time. Every caller shares the one copy, frozen, so a test that changed what it reads would fail
 * at once instead of changing what the next test sees.
 */
export function readSynthOutput(run: SynthRun): SynthOutput {
  let parsed = parsedOutputs.get(run.outDir);
  if (!parsed) {
    parsed = deepFreeze(parseSynthOutput(run));
    parsedOutputs.set(run.outDir, parsed);
  }
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function parseSynthOutput(run: SynthRun): SynthOutput {
  const read = (file: string) => readFileSync(join(run.outDir, file), "utf8");
  const temporalDir = join(run.outDir, "temporal");
  const temporalFiles = existsSync(temporalDir)
    ? Object.fromEntries(readdirSync(temporalDir).map((file) => [file, read(join("temporal", file))]))
    : {};
  const kubernetesYaml = read("kubernetes.yaml");
  return {
    resources: JSON.parse(read("resources.json")),
    objects: parseAllDocuments(kubernetesYaml).map((document) => document.toJS() as KubernetesObject),
    temporalFiles,
    outputs: JSON.parse(read("outputs.json")),
    allText: [read("resources.json"), kubernetesYaml, read("outputs.json"), ...Object.values(temporalFiles)].join("\n"),
  };
}
