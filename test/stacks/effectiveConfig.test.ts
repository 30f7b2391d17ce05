import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { effectiveConfig } from "../../tools/synth/effectiveConfig";
import { configSourceOf, readStackFile, stackFilePath } from "../../tools/synth/stackFile";
import { PROJECT_ROOT, SynthRun, synthTargets } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const run = (label: string): SynthRun => runs.find((candidate) => candidate.label === label)!;
const succeeded = runs.filter((candidate) => !candidate.label.endsWith("invalid"));
const argsOf = (label: string) => synthTargets().find((target) => target.label === label)!.args;
const configJson = (label: string) => readFileSync(join(run(label).outDir, "config.json"), "utf8");

/** The stand-in ciphertext of the fixtures' `secure:` client secret. */
const CIPHERTEXT = "c3RhbmQtaW4tY2lwaGVydGV4dA==";

/** `npm run config` as a user runs it, with the arguments the synth of `label` ran with. */
async function runConfigCommand(label: string): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("npm", ["run", "--silent", "config", "--", ...argsOf(label)], { cwd: PROJECT_ROOT });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe.each(succeeded.map((candidate) => candidate.label))("the synth of %s", (label) => {
  it("writes config.json: its stack file merged with the preset and validated, as the program parsed it", () => {
    const [option, value] = argsOf(label);
    const file = option === "--config" ? join(PROJECT_ROOT, value) : stackFilePath(value);
    expect(JSON.parse(configJson(label))).toEqual(effectiveConfig(readStackFile(file), configSourceOf(file)));
  });
});

describe("config.json", () => {
  it("fills in what the stack file leaves to the preset", () => {
    const staging = JSON.parse(configJson("staging"));
    expect(staging.environment).toBe("staging");
    expect(staging.roles.history.replicas).toBe(2);
  });

  it.each(["fixture:with-workers", "fixture:ecs-workers", "fixture:ecs-authorization"])(
    "of %s names the client secret the program reads but holds no value of it",
    (label) => {
      expect(JSON.parse(configJson(label)).webConsoleClientSecret).toBe("[secret]");
      expect(configJson(label)).not.toContain(CIPHERTEXT);
    },
  );
});

describe("npm run config", () => {
  // Three processes at once: each spends most of its second starting npm and Node.
  const printed = Promise.all(["staging", "fixture:with-workers", "fixture:invalid"].map(async (label) => [label, await runConfigCommand(label)] as const)).then((entries) => new Map(entries));

  it.each(["staging", "fixture:with-workers"])("prints the config.json the synth of %s wrote, without synthesizing", async (label) => {
    expect((await printed).get(label)).toEqual({ status: 0, stdout: configJson(label), stderr: "" });
  });

  it("refuses an invalid stack file with the synth's messages and status", async () => {
    expect((await printed).get("fixture:invalid")).toEqual({ status: 1, stdout: "", stderr: run("fixture:invalid").stderr });
  });
});
