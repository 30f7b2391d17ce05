import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIAGRAMS_DOC, README_DIAGRAM_STACK, README_DOC, withDiagrams, withReadmeDiagram } from "./synth/diagramsDoc";

const ROOT = join(__dirname, "..");

/** Regenerates the stack diagrams of docs/diagrams.md and the README's one picture: synthesizes every shipped stack (one process each) and collects its diagram. */
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
    const docPath = join(ROOT, DIAGRAMS_DOC);
    writeFileSync(docPath, withDiagrams(readFileSync(docPath, "utf8"), diagrams));
    console.log(`${DIAGRAMS_DOC}: ${diagrams.length} stacks`);
    const featured = diagrams.find((diagram) => diagram.stack === README_DIAGRAM_STACK);
    if (!featured) throw new Error(`${README_DOC} shows the ${README_DIAGRAM_STACK} stack, which is not shipped`);
    const readmePath = join(ROOT, README_DOC);
    writeFileSync(readmePath, withReadmeDiagram(readFileSync(readmePath, "utf8"), featured.mermaid));
    console.log(`${README_DOC}: the ${README_DIAGRAM_STACK} stack`);
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

main();
