import { describe, expect, it } from "vitest";
import { parseVersion, serverVersionOf, tagOf, versionChangeProblem } from "../../components/temporal/versionSkew";

const v = (text: string) => parseVersion(text)!;

describe("reading the release from an image reference", () => {
  it.each([
    ["temporalio/server:1.31.2", { major: 1, minor: 31, patch: 2 }],
    ["registry.example.com:5000/mirror/temporalio/server:1.30.4", { major: 1, minor: 30, patch: 4 }],
    ["temporalio/server:1.31.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", { major: 1, minor: 31, patch: 2 }],
    ["temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.4.1", { major: 1, minor: 29, patch: 1 }],
    ["temporalio/server:1.32.0-rc.1", { major: 1, minor: 32, patch: 0 }],
    ["temporalio/server:v1.31.2", { major: 1, minor: 31, patch: 2 }],
  ])("reads %s as its release", (image, version) => {
    expect(serverVersionOf(image)).toEqual(version);
  });

  it.each([
    "temporalio/server@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "registry.example.com:5000/temporalio/server",
    "mycorp/temporal-server:main-4f2a9c1",
    "temporalio/server:1.31",
  ])("finds no release in %s", (image) => {
    expect(serverVersionOf(image)).toBeUndefined();
  });

  it("takes the tag from the last path segment, not from a registry port", () => {
    expect(tagOf("registry.example.com:5000/temporalio/server")).toBeUndefined();
  });
});

describe("which version changes the cluster may make", () => {
  it.each([
    ["a patch up", "1.30.1", "1.30.4"],
    ["a patch down", "1.30.4", "1.30.1"],
    ["one minor up", "1.30.4", "1.31.2"],
    ["no change", "1.31.2", "1.31.2"],
  ])("allows %s", (_, deployed, next) => {
    expect(versionChangeProblem(v(deployed), v(next))).toBeUndefined();
  });

  it("refuses a skipped minor and says to deploy the one in between first", () => {
    expect(versionChangeProblem(v("1.29.3"), v("1.31.2"))).toBe(
      "the cluster runs Temporal 1.29.3 and the stack asks for 1.31.2, which skips 1.30: " +
        "Temporal upgrades one minor version at a time, each release migrating the schema from the one before it. " +
        "Set temporal.serverImage and temporal.adminToolsImage to the latest 1.30.x patch first, deploy and let every role roll, then continue to 1.31",
    );
  });

  it("names every skipped minor", () => {
    expect(versionChangeProblem(v("1.27.0"), v("1.31.2"))).toContain("which skips 1.28, 1.29 and 1.30:");
  });

  it("refuses a downgrade across minors because the schema cannot go back", () => {
    expect(versionChangeProblem(v("1.31.2"), v("1.30.4"))).toBe(
      "the cluster runs Temporal 1.31.2 and the stack asks for 1.30.4, an older minor version: " +
        "the database schema was already upgraded for 1.31 and cannot go back, and older servers are not tested against it. " +
        "Stay on 1.31.x (any patch), or restore the database from a backup taken before the upgrade and set temporal.allowVersionSkew for that one deploy",
    );
  });

  it("refuses a change of major version", () => {
    expect(versionChangeProblem(v("1.31.2"), v("2.0.0"))).toContain("a change of major version has no supported upgrade path");
  });
});
