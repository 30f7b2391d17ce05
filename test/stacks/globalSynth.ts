import type { TestProject } from "vitest/node" with { "resolution-mode": "import" };
import { runAllSynths } from "../helpers/synthRuns";

declare module "vitest" {
  export interface ProvidedContext {
    synthRuns: import("../helpers/synthRuns").SynthRun[];
  }
}

/** Synthesizes every stack once, in parallel child processes, for all whole-stack test files. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide("synthRuns", await runAllSynths());
}
