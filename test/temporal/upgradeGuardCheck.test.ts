import { describe, expect, it } from "vitest";
import { GuardedFacts, upgradeGuardFailures } from "../../components/temporal/upgradeGuardCheck";

const deployed: GuardedFacts = { numHistoryShards: 512, serverVersion: "1.30.4", allowVersionSkew: false };
const asking = (change: Partial<GuardedFacts>): GuardedFacts => ({ ...deployed, ...change });

describe("the upgrade guard's check", () => {
  it("lets a new cluster start with any shard count and version", () => {
    expect(upgradeGuardFailures({}, asking({ numHistoryShards: 4096, serverVersion: "1.31.2" }))).toEqual([]);
  });

  it("passes an unchanged stack", () => {
    expect(upgradeGuardFailures(deployed, deployed)).toEqual([]);
  });

  it("passes one minor up", () => {
    expect(upgradeGuardFailures(deployed, asking({ serverVersion: "1.31.2" }))).toEqual([]);
  });

  it("refuses a new shard count, saying it is permanent and what to do instead", () => {
    expect(upgradeGuardFailures(deployed, asking({ numHistoryShards: 1024 }))).toEqual([
      {
        property: "numHistoryShards",
        reason:
          "temporal.numHistoryShards is 1024 but this cluster was created with 512. " +
          "The shard count is permanent: every workflow is placed on a shard by hashing over it and the database keeps it in the cluster metadata, " +
          "so the server would keep 512 and ignore the new value. Set it back to 512. " +
          "To change it, create a new cluster (a new stack) with the new count and move the workloads to it: start new workflows there and let this cluster's finish, " +
          "or replicate namespaces to it with multi-cluster replication",
      },
    ]);
  });

  it("refuses a skipped minor on the serverVersion property", () => {
    const failures = upgradeGuardFailures(deployed, asking({ serverVersion: "1.32.0" }));
    expect(failures.map((failure) => failure.property)).toEqual(["serverVersion"]);
    expect(failures[0].reason).toMatch(/^temporal\.serverImage: the cluster runs Temporal 1\.30\.4 and the stack asks for 1\.32\.0, which skips 1\.31:/);
  });

  it("skips the version rule when the stack allows version skew", () => {
    expect(upgradeGuardFailures(deployed, asking({ serverVersion: "1.29.0", allowVersionSkew: true }))).toEqual([]);
  });

  it("never skips the shard rule, even when the stack allows version skew", () => {
    const failures = upgradeGuardFailures(deployed, asking({ numHistoryShards: 1024, allowVersionSkew: true }));
    expect(failures.map((failure) => failure.property)).toEqual(["numHistoryShards"]);
  });

  it("cannot compare with a deployed image whose tag named no release", () => {
    expect(upgradeGuardFailures({ ...deployed, serverVersion: "" }, asking({ serverVersion: "1.31.2" }))).toEqual([]);
  });

  it("reports both problems at once", () => {
    const failures = upgradeGuardFailures(deployed, asking({ numHistoryShards: 256, serverVersion: "1.28.0" }));
    expect(failures.map((failure) => failure.property)).toEqual(["numHistoryShards", "serverVersion"]);
  });
});
