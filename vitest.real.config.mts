import { defineConfig } from "vitest/config";

/**
 * The real-run suite (npm run test:real): the kit's synthesized stacks executed by the real Temporal
 * binaries under the local pod runner. It needs root and the tools of `npm run e2e:tools`.
 */
export default defineConfig({
  test: {
    include: ["test/real/**/*.real.test.ts"],
    pool: "forks",
    // One cluster at a time: the pod network and its addresses are the machine's.
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 10 * 60_000,
  },
});
