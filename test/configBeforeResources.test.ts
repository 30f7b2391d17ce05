import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { StackConfigError } from "../components/config/errors";
import { runProgram } from "../components/program";
import { readStackFile } from "../tools/synth/stackFile";
import { settle, startMockRuntime } from "./helpers/mockRuntime";
import { PROJECT_ROOT } from "./helpers/synthRuns";

describe("invalid stack config", () => {
  it("fails before the program registers a single resource", async () => {
    const recording = await startMockRuntime("invalid");
    const stackFile = readStackFile(join(PROJECT_ROOT, "test", "fixtures", "Pulumi.invalid.yaml"));
    pulumi.runtime.setAllConfig(stackFile.config, stackFile.secretKeys);

    expect(() => runProgram({ configSource: "Pulumi.invalid.yaml" })).toThrow(StackConfigError);
    await settle();
    expect(recording.resources).toEqual([]);
  });

  it("lets the same program register resources once the config is valid", async () => {
    const recording = await startMockRuntime("dev");
    const stackFile = readStackFile(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"));
    pulumi.runtime.setAllConfig(stackFile.config, stackFile.secretKeys);

    runProgram();
    await settle();
    expect(recording.resources.length).toBeGreaterThan(10);
  });
});
