import type { TestProject } from "vitest/node" with { "resolution-mode": "import" };
import { runAllSynths } from "../helpers/synthRuns";

declare module "vitest" {
  export interface ProvidedContext {
    synthRuns: import("../helpers/synthRuns").SynthRun[];
    synthWitness: import("../helpers/synthRuns").SynthRun;
  }
}

/**
 * Synthesizes every stack once for the whole-stack test files, or finds this tree's results in the
 * cache (test/helpers/synthCache.ts). The results stay in the cache: nothing to clean up.
 */
export default async function setup(project: TestProject): Promise<void> {
  const { runs, witness } = await runAllSynths();
  project.provide("synthRuns", runs);
  project.provide("synthWitness", witness);
}
