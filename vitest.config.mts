import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real-run suite has its own command and config (vitest.real.config.mts).
    exclude: ["test/real/**", "**/node_modules/**"],
    globalSetup: ["test/stacks/globalSynth.ts"],
    // The Pulumi runtime is process-global: every test file runs in its own process.
    pool: "forks",
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
