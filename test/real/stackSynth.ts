import { execFile, execFileSync } from "node:child_process";
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

/** The same synth in the background, so a suite can render its next stack while pods start. */
export function synthesizeStackInBackground(stackFile: string, out: string): Promise<SynthOutput> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSX, join(ROOT, "tools", "synth.ts"), "--config", stackFile, "--out", out], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`synth of ${stackFile} failed: ${stderr}`));
      else resolve(readSynth(out));
    });
  });
}
