import { execFile } from "node:child_process";

/** Runs a CLI (aws, az, kubectl) for an end-to-end test; a non-zero exit rejects with its stderr. */
export function runCommand(command: string, args: string[], timeoutMs = 12 * 60_000): Promise<{ output: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.slice(0, 3).join(" ")} failed: ${stderr || error.message}`));
      else resolve({ output: stdout });
    });
  });
}
