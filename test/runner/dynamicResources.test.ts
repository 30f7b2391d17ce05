import { describe, expect, it } from "vitest";
import { upgradeGuardProvider } from "../../components/upgradeGuard";
import { CheckFailedError, checkDynamic, deployDynamic } from "../real/runner/dynamic";
import type { DynamicResource } from "../real/runner/manifests";

/**
 * The local runner's stand-in for Pulumi's dynamic provider host, on the kit's upgrade guard as
 * Pulumi serializes it into the guard's `__provider` input (@pulumi/pulumi dynamic/index.js:
 * serializeFunction(() => provider)).
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
  serializeFunction(fn: () => unknown, options: { allowSecrets: boolean }): Promise<{ text: string }>;
};

async function guardAt(serverVersion: string): Promise<DynamicResource> {
  const { text } = await serializeFunction(() => upgradeGuardProvider, { allowSecrets: true });
  return {
    key: "pulumi-nodejs:dynamic/temporal-kit:UpgradeGuard/temporal-upgrade-guard",
    urn: "urn:pulumi:test::temporal-kit::temporal-kit:index:TemporalCluster$pulumi-nodejs:dynamic/temporal-kit:UpgradeGuard::temporal-upgrade-guard",
    type: "pulumi-nodejs:dynamic/temporal-kit:UpgradeGuard",
    inputs: { __provider: text, numHistoryShards: 4, serverVersion, allowVersionSkew: false },
    dependsOn: [],
  };
}

describe("dynamic resources in the local runner", () => {
  it("creates the guard on a first deploy, with nothing to compare against", async () => {
    const { state, step } = await deployDynamic(await guardAt("1.30.9"), undefined);
    expect(step).toBe("create");
    expect(state.inputs.serverVersion).toBe("1.30.9");
  });

  it("checks a skipped minor against the deployed inputs and refuses it, as a preview would", async () => {
    const { state } = await deployDynamic(await guardAt("1.30.9"), undefined);
    const skipping = await guardAt("1.32.0");
    const { failures } = await checkDynamic(skipping, state);
    expect(failures).toEqual([{ resource: skipping.urn, property: "serverVersion", reason: expect.stringContaining("which skips 1.31") }]);
    await expect(deployDynamic(skipping, state)).rejects.toThrow(CheckFailedError);
  });

  it("accepts the next minor and records it, so the next preview compares against it", async () => {
    const { state } = await deployDynamic(await guardAt("1.30.9"), undefined);
    const upgraded = await deployDynamic(await guardAt("1.31.2"), state);
    expect(upgraded.step).toBe("update");
    expect(upgraded.state.inputs.serverVersion).toBe("1.31.2");
    expect((await checkDynamic(await guardAt("1.32.0"), upgraded.state)).failures).toEqual([]);
    expect((await deployDynamic(await guardAt("1.31.2"), upgraded.state)).step).toBe("same");
  });
});
