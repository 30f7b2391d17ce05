import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { StackConfigError } from "../components/config/errors";
import { OfflineReport, SynthesizedStack, mandatory, runPolicyPack } from "../policy/offline";
import { policies } from "../policy/policies";
import { stackNameOf } from "./synth/stackFile";
import { exitAfterFileWrites } from "./exitAfterFileWrites";

const USAGE = "usage: npm run policy -- --stack <name> [--config <stack file>] | --from <synth output dir>";

/** A stack to check: synthesized now, or read back from an earlier `npm run synth --out <dir>`. */
async function stackToCheck(values: { stack?: string; config?: string; from?: string }): Promise<SynthesizedStack | undefined> {
  if (values.from) {
    const read = (file: string) => JSON.parse(readFileSync(join(values.from!, file), "utf8"));
    return { resources: read("resources.json"), outputs: read("outputs.json") };
  }
  const stack = values.stack ?? (values.config ? stackNameOf(values.config) : undefined);
  if (!stack) return undefined;
  // Loading the program and every cloud SDK takes seconds: only a synthesis needs them.
  const { synthesize } = await import("./synth/synthesize.js");
  const result = await synthesize({ stack, configFile: values.config });
  return { resources: result.resources, outputs: result.outputs };
}

function print(report: OfflineReport): void {
  for (const violation of report.violations) {
    console.log(`[${violation.enforcementLevel}] ${violation.policyName}: ${violation.message}${violation.urn ? `\n    ${violation.urn}` : ""}`);
  }
  const blocking = mandatory(report).length;
  console.log(`\n${report.violations.length} violation(s), ${blocking} mandatory, from ${policies.length} rules.`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stack: { type: "string" }, config: { type: "string" }, from: { type: "string" } } });
  const stack = await stackToCheck(values);
  if (!stack) {
    console.error(USAGE);
    return 2;
  }
  const report = await runPolicyPack(policies, stack, { enforcementLevel: "mandatory" });
  print(report);
  return mandatory(report).length > 0 ? 1 : 0;
}

main().then(
  exitAfterFileWrites,
  (error: unknown) => {
    console.error(error instanceof StackConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    return exitAfterFileWrites(1);
  },
);
