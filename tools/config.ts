import { parseArgs } from "node:util";
import { effectiveConfig, effectiveConfigText } from "./synth/effectiveConfig";
import { configSourceOf, readStackFile, stackFilePath, stackNameOf } from "./synth/stackFile";
import { failureText } from "./synth/writeOutput";

const USAGE = "usage: npm run config -- --stack <name> [--config <stack file>]";

/**
 * Prints the config a stack's program would run with (the synth's config.json) without running
 * the program: the preset merged with the stack file, validated, secrets redacted.
 */
function main(): number {
  const { values } = parseArgs({ options: { stack: { type: "string" }, config: { type: "string" } } });
  const stack = values.stack ?? (values.config ? stackNameOf(values.config) : undefined);
  if (!stack) {
    console.error(USAGE);
    return 2;
  }
  const configFile = stackFilePath(stack, values.config);
  process.stdout.write(effectiveConfigText(effectiveConfig(readStackFile(configFile), configSourceOf(configFile))));
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(failureText(error));
  process.exitCode = 1;
}
