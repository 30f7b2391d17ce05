import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { StackConfigError } from "../components/config/errors";
import { ecsParameterFiles, ecsTaskDefinitions, ecsTemporalFiles, kubernetesObjects, kubernetesYaml, resourceTree, temporalFiles } from "./synth/artifacts";
import { renderDiagram } from "./synth/diagram";
import { stackNameOf } from "./synth/stackFile";
import { synthesize } from "./synth/synthesize";

const USAGE = "usage: npm run synth -- --stack <name> [--config <stack file>] [--out <dir>]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { stack: { type: "string" }, config: { type: "string" }, out: { type: "string" } },
  });
  const stack = values.stack ?? (values.config ? stackNameOf(values.config) : undefined);
  if (!stack) {
    console.error(USAGE);
    return 2;
  }
  const outDir = values.out ?? join("out", stack);

  const result = await synthesize({ stack, configFile: values.config });
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
  writeFileSync(join(outDir, "diagram.mmd"), renderDiagram(result.resources));
  writePrivateManifests(outDir, kubernetesObjects(result.resources, (record) => result.revealedInputs.get(record) ?? record.inputs));

  console.log(resourceTree(result.resources));
  console.log(`\n${result.resources.length} resources registered, the stack included; written to ${outDir}/`);
  return 0;
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StackConfigError) {
      console.error(error.message);
    } else {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    process.exit(1);
  },
);
