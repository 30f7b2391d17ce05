import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIAGRAMS_DOC, withDiagrams } from "./synth/diagramsDoc";

const ROOT = join(__dirname, "..");

/** Regenerates the README's stack diagrams: synthesizes every shipped stack (one process each) and collects its diagram. */
function main(): void {
  const stacks = readdirSync(join(ROOT, "stacks"))
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => Boolean(stack));
  const outRoot = mkdtempSync(join(tmpdir(), "temporal-kit-diagrams-"));
  try {
    const diagrams = stacks.map((stack) => {
      const outDir = join(outRoot, stack);
      // The Pulumi runtime is process-global: one synth per process.
      execFileSync("npm", ["run", "--silent", "synth", "--", "--stack", stack, "--out", outDir], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
      return { stack, mermaid: readFileSync(join(outDir, "diagram.mmd"), "utf8") };
    });
    const readmePath = join(ROOT, DIAGRAMS_DOC);
    writeFileSync(readmePath, withDiagrams(readFileSync(readmePath, "utf8"), diagrams));
    console.log(`${DIAGRAMS_DOC}: ${diagrams.length} stacks`);
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

main();
