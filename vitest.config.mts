import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { moduleCacheDir } from "./test/moduleCache.js";
import { testTiers } from "./test/tiers.js";

// The real-run suite has its own command and config (vitest.real.config.mts).
const tiers = testTiers(import.meta.dirname);
const CHEAP_PULUMI_STACKS = "tools/synth/cheapPulumiStacks.ts";
// Modules the kit loads on first use, which vitest's module runner cannot require (components/lazyModule.ts).
const PRELOAD_LAZY_MODULES = "test/helpers/preloadLazyModules.ts";

/**
 * Three tiers (test/tiers.ts), all run by `npm test`. A test file's own process costs some 2 s of
 * CPU to start and load the Pulumi SDK; so files share their worker's process and modules
 * (`isolate: false`), and every test that uses the Pulumi runtime sets up its own mocks
 * (test/helpers/mockRuntime.ts), which resets Pulumi's process-global state.
 */
export default defineConfig({
  test: {
    // Vitest leaves a core to itself by default, on two cores half the machine; its own process
    // needs little once the files are transformed, and the type-check beside it is over in a
    // second on an unchanged tree.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    // Keeps every transformed module on disk (test/moduleCache.ts): a warm run transforms nothing again.
    experimental: { fsModuleCache: true, fsModuleCachePath: moduleCacheDir(import.meta.dirname) },
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // Nothing of Pulumi's: worker threads, cheaper than processes.
        test: { name: "pure", include: tiers.pure, pool: "threads", isolate: false },
      },
      {
        extends: true,
        // Pulumi's runtime hooks process-wide events (exit, unhandled rejections): a process of its own.
        test: { name: "components", include: tiers.components, setupFiles: [CHEAP_PULUMI_STACKS, PRELOAD_LAZY_MODULES], pool: "forks", isolate: false },
      },
      {
        extends: true,
        test: {
          name: "stacks",
          include: tiers.stacks,
          // Only this tier needs the synthesized stacks: running other tiers alone synthesizes nothing.
          globalSetup: ["test/stacks/globalSynth.ts"],
          setupFiles: [CHEAP_PULUMI_STACKS],
          pool: "forks",
          isolate: false,
        },
      },
    ],
  },
});
