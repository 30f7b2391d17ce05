import "./synth/cheapPulumiStacks";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stackNameOf } from "./synth/stackFile";
import { synthesize } from "./synth/synthesize";
import { failureText, writeSynthOutput } from "./synth/writeOutput";
import { exitAfterFileWrites } from "./exitAfterFileWrites";

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
  console.log(writeSynthOutput(result, outDir));
  return 0;
}

main().then(
  exitAfterFileWrites,
  (error: unknown) => {
    console.error(failureText(error));
    return exitAfterFileWrites(1);
  },
);
