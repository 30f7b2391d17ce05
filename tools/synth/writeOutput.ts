import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StackConfigError } from "../../components/config/errors";
import { ecsParameterFiles, ecsTaskDefinitions, ecsTemporalFiles, kubernetesObjects, kubernetesYaml, resourceTree, temporalFiles } from "./artifacts";
import { renderDiagram } from "./diagram";
import { effectiveConfigText } from "./effectiveConfig";
import type { SynthResult } from "./synthesize";
import { StackFileNotFound } from "./stackFile";

/**
 * Writes a synthesized stack's artifacts and returns what `npm run synth` prints about them. Shared
 * by the command and the test suite's batch synth, so both write the very same files.
 */
export function writeSynthOutput(result: SynthResult, outDir: string): string {
  const objects = kubernetesObjects(result.resources);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "temporal"), { recursive: true });
  writeFileSync(join(outDir, "resources.json"), `${JSON.stringify(result.resources, null, 2)}\n`);
  writeFileSync(join(outDir, "kubernetes.yaml"), kubernetesYaml(objects));
  const taskDefinitions = ecsTaskDefinitions(result.resources);
  for (const [file, content] of Object.entries({ ...temporalFiles(objects), ...ecsTemporalFiles(taskDefinitions), ...ecsParameterFiles(result.resources) })) {
    writeFileSync(join(outDir, "temporal", file), content);
  }
  if (Object.keys(taskDefinitions).length > 0) {
    writeFileSync(join(outDir, "ecs-task-definitions.json"), `${JSON.stringify(taskDefinitions, null, 2)}\n`);
  }
  writeFileSync(join(outDir, "outputs.json"), `${JSON.stringify(result.outputs, null, 2)}\n`);
  writeFileSync(join(outDir, "config.json"), effectiveConfigText(result.config));
  writeFileSync(join(outDir, "diagram.mmd"), renderDiagram(result.resources));
  writePrivateManifests(outDir, kubernetesObjects(result.resources, (record) => result.revealedInputs.get(record) ?? record.inputs));

  return `${resourceTree(result.resources)}\n\n${result.resources.length} resources registered, the stack included; written to ${outDir}/`;
}

/**
 * The same objects with their secrets shown, for the local pod runner (docs/local-runner.md): only
 * the owner may read the directory, and the synth's secrets are the mocks' deterministic stand-ins.
 */
function writePrivateManifests(outDir: string, objects: ReturnType<typeof kubernetesObjects>): void {
  const privateDir = join(outDir, "private");
  mkdirSync(privateDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(privateDir, "kubernetes.yaml"), kubernetesYaml(objects), { mode: 0o600 });
}

/** A stack file's mistakes are the user's to fix and read best without a stack trace; anything else is a bug. */
export function failureText(error: unknown): string {
  if (error instanceof StackConfigError || error instanceof StackFileNotFound) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
