// Imported first by tools/synthBatch.ts, before Pulumi reads its settings from the environment.
// Pulumi keeps a dynamic provider's serialized code for the rest of the process; a stack that finds
// it already serialized registers its resources in another order than `npm run synth` does, alone.
process.env.PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS = "false";

// Pulumi records a stack trace for every promise and resource, and mapping each through the source
// maps was a third of a batch's time. No one reads a trace from this process: a stack that fails
// here for anything but its stack file is synthesized again alone, by `npm run synth`.
process.setSourceMapsEnabled(false);
