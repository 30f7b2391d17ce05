import { describe, expect, it } from "vitest";
import { type ServerBuild, TEMPORAL_IMAGE_RELEASES, temporalRelease } from "../real/runner/images";

const build = (version: string): ServerBuild => ({
  version,
  temporalServer: `/cache/server/v${version}/bin/temporal-server`,
  temporalSqlTool: `/cache/server/v${version}/bin/temporal-sql-tool`,
  tdbg: `/cache/server/v${version}/bin/tdbg`,
  schemaDir: `/cache/server/v${version}/schema`,
});
const tools = { servers: { "1.31.2": build("1.31.2"), "1.30.9": build("1.30.9") } };

describe("the local runner's Temporal images", () => {
  it("serves each release's image from that release's own build", () => {
    expect(temporalRelease("temporalio/server:1.30.9", "1.30.9", tools).build.temporalServer).toBe("/cache/server/v1.30.9/bin/temporal-server");
    expect(temporalRelease("temporalio/admin-tools:1.31.2", "1.31.2", tools).build.schemaDir).toBe("/cache/server/v1.31.2/schema");
    expect(temporalRelease("temporalio/admin-tools:1.30.9-tctl-1.18.4-cli-1.9.1", "1.30.9-tctl-1.18.4-cli-1.9.1", tools).release).toBe("1.30.9");
  });

  it("knows the layout of exactly the releases whose Dockerfiles were read", () => {
    expect(Object.keys(TEMPORAL_IMAGE_RELEASES).sort()).toEqual(["1.30.9", "1.31.2"]);
  });

  it("refuses, by name, a release it never read or never built", () => {
    expect(() => temporalRelease("temporalio/server:1.32.0", "1.32.0", tools)).toThrow(/"temporalio\/server:1.32.0".*Temporal 1.32.0 was never read/);
    expect(() => temporalRelease("temporalio/server:1.30.9", "1.30.9", { servers: { "1.31.2": build("1.31.2") } })).toThrow(/"temporalio\/server:1.30.9".*built no Temporal 1.30.9 \(built: 1.31.2/);
    expect(() => temporalRelease("temporalio/server:main-4f2a9c1", "main-4f2a9c1", tools)).toThrow(/names no Temporal release/);
  });
});
