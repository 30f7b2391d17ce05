import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace, OutputMap, Stack } from "@pulumi/pulumi/automation";
import { PROJECT_ROOT } from "./synthRuns";

/**
 * A stack that exists only for one cloud end-to-end test: its stack file written for the run, its
 * state in a file backend of its own (so destroying it can never touch someone's real stack), and
 * everything removed again afterwards.
 */
export class ThrowawayStack {
  readonly stateDir: string;
  private readonly stackFile: string;
  private stack?: Stack;

  constructor(
    private readonly name: string,
    stackFileText: string,
  ) {
    this.stateDir = mkdtempSync(join(tmpdir(), `temporal-kit-${name}-`));
    this.stackFile = join(PROJECT_ROOT, "stacks", `Pulumi.${name}.yaml`);
    writeFileSync(this.stackFile, stackFileText);
  }

  async up(): Promise<OutputMap> {
    this.stack = await LocalWorkspace.createOrSelectStack(
      { stackName: this.name, workDir: PROJECT_ROOT },
      { envVars: { PULUMI_BACKEND_URL: `file://${this.stateDir}`, PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "" } },
    );
    return (await this.stack.up({ onOutput: (text) => process.stdout.write(text) })).outputs;
  }

  /** Replaces the stack file, as a user editing their config before the next `up`. */
  rewrite(stackFileText: string): void {
    writeFileSync(this.stackFile, stackFileText);
  }

  async destroy(): Promise<void> {
    if (this.stack) {
      await this.stack.destroy({ onOutput: (text) => process.stdout.write(text) });
      await this.stack.workspace.removeStack(this.name);
    }
    rmSync(this.stackFile, { force: true });
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
