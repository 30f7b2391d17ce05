import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { UpgradeGuard, guardUpgrades, upgradeGuardProvider } from "../components/upgradeGuard";
import type { ResourceRecord } from "../tools/synth/recorder";
import { settle, startMockRuntime } from "./helpers/mockRuntime";

const GUARD = "pulumi-nodejs:dynamic/temporal-kit:UpgradeGuard";

let records: ResourceRecord[];

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  guardUpgrades("cluster-guard", { numHistoryShards: 512, serverImage: "temporalio/server:1.31.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", allowVersionSkew: false });
  guardUpgrades("custom-guard", { numHistoryShards: 4, serverImage: "mycorp/temporal:main-4f2a9c1", allowVersionSkew: true });
  await settle();
});

const guardNamed = (name: string) => records.find((record) => record.type === GUARD && record.name === name)!;

describe("UpgradeGuard", () => {
  it("records the shard count and the release the server image names", () => {
    const { __provider, ...facts } = guardNamed("cluster-guard").inputs;
    expect(facts).toEqual({ numHistoryShards: 512, serverVersion: "1.31.2", allowVersionSkew: false });
    expect(typeof __provider).toBe("string");
  });

  it("records no release for a tag that names none", () => {
    expect(guardNamed("custom-guard").inputs.serverVersion).toBe("");
  });

  it("is a dynamic resource of the kit's own type", () => {
    expect(new UpgradeGuard("typed", { numHistoryShards: 4, serverVersion: "1.31.2", allowVersionSkew: false })).toBeInstanceOf(pulumi.dynamic.Resource);
  });
});

describe("the guard's provider", () => {
  const deployed = { numHistoryShards: 512, serverVersion: "1.30.4", allowVersionSkew: false };

  it("fails the check, and so the preview, for a new shard count", async () => {
    const result = await upgradeGuardProvider.check!(deployed, { ...deployed, numHistoryShards: 1024 });
    expect(result.failures?.map((failure) => failure.property)).toEqual(["numHistoryShards"]);
  });

  it("fails the check for a skipped minor", async () => {
    const result = await upgradeGuardProvider.check!(deployed, { ...deployed, serverVersion: "1.32.1" });
    expect(result.failures?.[0].reason).toContain("which skips 1.31");
  });

  it("passes the new inputs through when the check succeeds", async () => {
    const next = { ...deployed, serverVersion: "1.31.2" };
    expect(await upgradeGuardProvider.check!(deployed, next)).toEqual({ inputs: next, failures: [] });
  });

  it("updates in place when the version moves, never replacing", async () => {
    expect(await upgradeGuardProvider.diff!("id", deployed, { ...deployed, serverVersion: "1.31.2" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("reports no change for the same facts", async () => {
    expect((await upgradeGuardProvider.diff!("id", deployed, { ...deployed }))?.changes).toBe(false);
  });

  it("keeps the new facts as its state", async () => {
    const next = { ...deployed, serverVersion: "1.31.2" };
    expect((await upgradeGuardProvider.update!("id", deployed, next)).outs).toEqual(next);
  });
});

describe("the provider as Pulumi stores it in the state", () => {
  // The engine runs the serialized text in a separate process: it must work without this module.
  it("runs on its own and still refuses a skipped minor", async () => {
    const text = guardNamed("cluster-guard").inputs.__provider as string;
    const module = { exports: {} as { handler: () => pulumi.dynamic.ResourceProvider } };
    new Function("exports", "require", "module", text)(module.exports, require, module);
    const provider = module.exports.handler();
    const result = await provider.check!({ numHistoryShards: 512, serverVersion: "1.29.0", allowVersionSkew: false }, { numHistoryShards: 512, serverVersion: "1.31.2", allowVersionSkew: false });
    expect(result.failures?.[0].reason).toContain("which skips 1.30");
  });
});
