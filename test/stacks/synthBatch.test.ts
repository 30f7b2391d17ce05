import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { WITNESS } from "../helpers/synthRuns";

// The whole-stack tests read stacks synthesized many to a process (tools/synthBatch.ts); a user's
// `npm run synth` makes one stack per process. They must not tell the two apart.
const batch = inject("synthRuns").find((run) => run.label === WITNESS)!;
const alone = inject("synthWitness");

function filesOf(dir: string): Record<string, string> {
  const walk = (path: string): string[] => (statSync(path).isDirectory() ? readdirSync(path).flatMap((entry) => walk(join(path, entry))) : [path]);
  return Object.fromEntries(walk(dir).map((file) => [relative(dir, file), readFileSync(file, "utf8")]));
}

describe(`the batch synth of ${WITNESS}`, () => {
  it("exits, prints and warns as `npm run synth` does", () => {
    expect(batch.status).toBe(alone.status);
    expect(batch.stdout.replaceAll(batch.outDir, "<out>")).toBe(alone.stdout.replaceAll(alone.outDir, "<out>"));
    expect(batch.stderr).toBe(alone.stderr);
  });

  it("writes the very files `npm run synth` writes, resources in the same order", () => {
    expect(filesOf(batch.outDir)).toEqual(filesOf(alone.outDir));
  });
});
