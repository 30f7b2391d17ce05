// Preloaded (`node --require`) into Pulumi's own program runner, @pulumi/pulumi/cmd/run/index.js,
// for `npm run bench`: the program loads exactly as under `pulumi preview`, TypeScript registration
// included, but the synth's mocks answer instead of an engine. Plain JavaScript, so that nothing but
// the SDK registers a TypeScript loader.
"use strict";
const { join } = require("node:path");

const PROJECT_ROOT = join(__dirname, "..", "..");
const stackModule = require("@pulumi/pulumi/runtime/stack");
const runInPulumiStack = stackModule.runInPulumiStack;

// cmd/run calls this once it has registered TypeScript and just before it loads the program: the
// mocks (TypeScript) load through the SDK's registration, and the stack file's config stands in for
// the config the CLI would pass.
stackModule.runInPulumiStack = (init) => {
  const pulumi = require("@pulumi/pulumi");
  const { kitMocks } = require(join(PROJECT_ROOT, "tools", "synth", "mocks.ts"));
  const { readStackFile } = require(join(PROJECT_ROOT, "tools", "synth", "stackFile.ts"));
  const stack = process.env.PULUMI_NODEJS_STACK;
  const stackFile = readStackFile(join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`));
  pulumi.runtime.setMocks(kitMocks, process.env.PULUMI_NODEJS_PROJECT, stack, true);
  pulumi.runtime.setAllConfig(stackFile.config, stackFile.secretKeys);
  // The engine's answer to the shutdown signal cmd/run sends once the program is done (run.js).
  pulumi.runtime.getMonitor().signalAndWaitForShutdown = (_request, callback) => callback(null, {});
  return runInPulumiStack(init);
};
