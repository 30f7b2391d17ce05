import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { ResourceRecord } from "../../tools/synth/recorder";

export const PROJECT_ROOT = join(__dirname, "..", "..");

export interface SynthRun {
  label: string;
  status: number;
  stdout: string;
  stderr: string;
  outDir: string;
}

/** Every shipped stack, plus fixture stacks that exercise `--config` and worker pools. */
export function synthTargets(): { label: string; args: string[] }[] {
  const stacks = readdirSync(join(PROJECT_ROOT, "stacks"))
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => Boolean(stack))
    .map((stack) => ({ label: stack, args: ["--stack", stack] }));
  const fixtures = ["with-workers", "ecs-workers", "eks-workers", "eks-cassandra", "azure-cosmos", "azure-mysql", "external-postgres", "eks-archival", "ecs-archival", "aks-archival", "ecs-authorization", "invalid"].map((name) => ({
    label: `fixture:${name}`,
    args: ["--config", join("test", "fixtures", `Pulumi.${name}.yaml`)],
  }));
  return [...stacks, ...fixtures];
}

/** Runs `npm run synth` as a user would, in a fresh process. */
export async function runSynth(label: string, args: string[], outRoot: string): Promise<SynthRun> {
  const outDir = join(outRoot, label.replace(/[^a-z0-9-]/gi, "_"));
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

export async function runAllSynths(): Promise<SynthRun[]> {
  const outRoot = mkdtempSync(join(tmpdir(), "temporal-kit-synth-"));
  return Promise.all(synthTargets().map(({ label, args }) => runSynth(label, args, outRoot)));
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

export function readSynthOutput(run: SynthRun): SynthOutput {
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
