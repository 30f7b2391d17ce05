import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { type SynthOutput, readSynth } from "./runner/manifests";

/** The kit's offline synth, as the real runs and bench:real call it (free of vitest, which only tests may load). */

export const ROOT = join(__dirname, "..", "..");
export const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

/** The kit's offline synth of a stack file, as `npm run synth` writes it. */
export function synthesizeStack(stackFile: string, out: string): SynthOutput {
  execFileSync(process.execPath, [TSX, join(ROOT, "tools", "synth.ts"), "--config", stackFile, "--out", out], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return readSynth(out);
}
