import "./synth/oneProcessManyStacks";
import "./synth/cheapPulumiStacks";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { StackConfigError } from "../components/config/errors";
import { stackNameOf } from "./synth/stackFile";
import { synthesize } from "./synth/synthesize";
import { failureText, writeSynthOutput } from "./synth/writeOutput";
import { exitAfterFileWrites } from "./exitAfterFileWrites";

/**
 * Synthesizes several stacks one after another in this one process, each exactly as `npm run synth`
 * would, for the test suite: loading the SDK and the kit once instead of once per stack is most of
 * a synth's cost. `synthesize` resets Pulumi's mock runtime and config for every stack; each stack's
 * files, output and status are byte for byte those of `npm run synth` (checked by the test suite).
 *
 * usage: tsx tools/synthBatch.ts <targets.json> <results.json>
 * where targets.json holds [{ label, args, outDir }], args being `npm run synth`'s.
 *
 * A stack that fails for any reason but a stack file's mistake is reported as `inProcess: false`:
 * its caller re-runs it alone through `npm run synth`, so a crash reads exactly as a user sees it.
 */

interface Target {
  label: string;
  args: string[];
  outDir: string;
}

export interface BatchResult {
  label: string;
  status: number;
  stdout: string;
  stderr: string;
  inProcess: boolean;
}

async function synthOne(target: Target): Promise<BatchResult> {
  const { values } = parseArgs({ args: target.args, options: { stack: { type: "string" }, config: { type: "string" } } });
  const stack = values.stack ?? stackNameOf(values.config!);
  const captured = { stdout: "", stderr: "" };
  const restore = capture(captured);
  try {
    const result = await synthesize({ stack, configFile: values.config });
    console.log(writeSynthOutput(result, target.outDir));
    return { label: target.label, status: 0, ...captured, inProcess: true };
  } catch (error) {
    console.error(failureText(error));
    return { label: target.label, status: 1, ...captured, inProcess: error instanceof StackConfigError };
  } finally {
    restore();
  }
}

/** What the program prints (console and Pulumi's own log under mocks) goes to the stack it belongs to. */
function capture(into: { stdout: string; stderr: string }): () => void {
  const { stdout, stderr } = process;
  const original = { stdout: stdout.write, stderr: stderr.write };
  stdout.write = ((chunk: string | Uint8Array) => ((into.stdout += chunk.toString()), true)) as typeof stdout.write;
  stderr.write = ((chunk: string | Uint8Array) => ((into.stderr += chunk.toString()), true)) as typeof stderr.write;
  return () => {
    stdout.write = original.stdout;
    stderr.write = original.stderr;
  };
}

async function main(): Promise<void> {
  const [targetsFile, resultsFile] = process.argv.slice(2);
  const targets = JSON.parse(readFileSync(targetsFile, "utf8")) as Target[];
  const results: BatchResult[] = [];
  for (const target of targets) results.push(await synthOne(target));
  writeFileSync(resultsFile, JSON.stringify(results));
}

main().then(
  () => exitAfterFileWrites(0),
  (error: unknown) => {
    console.error(failureText(error));
    return exitAfterFileWrites(1);
  },
);
