import type { TestProject } from "vitest/node" with { "resolution-mode": "import" };
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { runAllSynths } from "../helpers/synthRuns";

declare module "vitest" {
  export interface ProvidedContext {
    synthRuns: import("../helpers/synthRuns").SynthRun[];
  }
}

/** Synthesizes every stack once, in parallel child processes, for all whole-stack test files. */
export default async function setup(project: TestProject): Promise<() => void> {
  // A fast loop over unit test files can skip the ~1 min of stack synthesis; the whole-stack test
  // files then find no runs and fail, so CI (which never sets this) always synthesizes.
  if (process.env.TEMPORAL_KIT_SKIP_STACK_SYNTH === "1") {
    project.provide("synthRuns", []);
    return () => {};
  }
  const runs = await runAllSynths();
  project.provide("synthRuns", runs);
  return () => {
    for (const outRoot of new Set(runs.map((run) => dirname(run.outDir)))) rmSync(outRoot, { recursive: true, force: true });
  };
}
