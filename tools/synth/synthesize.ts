import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { runProgram } from "../../components/program";
import { kitMocks } from "./mocks";
import { ResourceRecord, recordRegistrations } from "./recorder";
import { effectiveConfig } from "./effectiveConfig";
import { configSourceOf, readStackFile, stackFilePath } from "./stackFile";

export const PROJECT_ROOT = join(__dirname, "..", "..");

export interface SynthOptions {
  stack: string;
  /** Defaults to stacks/Pulumi.<stack>.yaml. */
  configFile?: string;
}

export interface SynthResult {
  stack: string;
  configFile: string;
  resources: ResourceRecord[];
  /** Inputs with secrets shown (see Recording.revealedInputs); never written beside the public artifacts. */
  revealedInputs: WeakMap<ResourceRecord, Record<string, unknown>>;
  outputs: Record<string, unknown>;
  /** The config the program ran with, secrets redacted (effectiveConfig). */
  config: Record<string, unknown>;
}

/**
 * Runs the real program under Pulumi's mock runtime and returns what it registered. The Pulumi
 * runtime is process-global: synthesize one stack per process.
 */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const configFile = stackFilePath(options.stack, options.configFile);
  const stackFile = readStackFile(configFile);
  await pulumi.runtime.setMocks(kitMocks, projectName(), options.stack, false);
  pulumi.runtime.setAllConfig(stackFile.config, stackFile.secretKeys);
  const recording = recordRegistrations();
  await attachInspector();

  const configSource = configSourceOf(configFile);
  await pulumi.runtime.runInPulumiStack(async () => runProgram({ configSource }));
  // Registrations still in flight finish before the recording is read.
  await pulumi.runtime.disconnect();

  const stack = recording.resources.find((record) => record.type === pulumi.runtime.rootPulumiStackTypeName);
  return {
    stack: options.stack,
    configFile,
    resources: recording.resources,
    revealedInputs: recording.revealedInputs,
    outputs: (stack && recording.outputs.get(stack.urn)) ?? {},
    // The program has parsed and checked this very stack file: parsing it again gives its config.
    config: effectiveConfig(stackFile, configSource),
  };
}

/**
 * Pulumi serializes a dynamic provider's code through an inspector session it opens on first use,
 * and other registrations move on while the debugger attaches: opened before the program runs, it
 * no longer reorders them, so a stack registers in the same order whether or not this process has
 * already synthesized another one (the test suite synthesizes many in one process).
 */
async function attachInspector(): Promise<void> {
  await pulumi.runtime.serializeFunction(() => undefined);
}

function projectName(): string {
  const project = parse(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { name: string };
  return project.name;
}
