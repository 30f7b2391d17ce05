// Imported first by tools/synthBatch.ts, before Pulumi reads its settings from the environment.
// Pulumi keeps a dynamic provider's serialized code for the rest of the process; a stack that finds
// it already serialized registers its resources in another order than `npm run synth` does, alone.
process.env.PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS = "false";
