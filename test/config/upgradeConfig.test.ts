import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/parse";
import { PRESETS } from "../../components/config/presets";

const SOURCE = "stacks/Pulumi.test.yaml";
const DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

function problemsOf(temporal: Record<string, unknown>): StackConfigError["problems"] {
  try {
    parseStackConfig({ environment: "dev", temporal }, SOURCE);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("upgrade-related stack config", () => {
  it.each(["dev", "staging", "production"] as const)("checks versions by default in %s", (environment) => {
    expect(PRESETS[environment].temporal.allowVersionSkew).toBe(false);
  });

  it("refuses admin tools of another release than the server, naming the schema error it prevents", () => {
    const problems = problemsOf({ serverImage: "temporalio/server:1.31.2", adminToolsImage: "temporalio/admin-tools:1.30.4" });
    expect(problems).toEqual([
      {
        key: "temporal.adminToolsImage",
        given: "temporalio/admin-tools:1.30.4",
        allowed:
          'must be the same Temporal release as temporal.serverImage (1.31.2): the admin-tools image upgrades the schema to its own release (1.30.4), and a server on another release fails with "Expected version ... cannot be greater than Actual version ..."',
      },
    ]);
  });

  it("accepts admin tools whose tag adds the CLI versions after the release", () => {
    expect(problemsOf({ serverImage: "temporalio/server:1.29.1", adminToolsImage: "temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.4.1" })).toEqual([]);
  });

  it("accepts a release tag pinned with a digest", () => {
    expect(problemsOf({ serverImage: `temporalio/server:1.31.2@${DIGEST}`, adminToolsImage: "temporalio/admin-tools:1.31.2" })).toEqual([]);
  });

  it("refuses an image pinned by digest alone, since the kit cannot tell its release", () => {
    const problems = problemsOf({ serverImage: `temporalio/server@${DIGEST}` });
    expect(problems.map((problem) => problem.key)).toEqual(["temporal.serverImage"]);
    expect(problems[0].allowed).toMatch(/^must carry the Temporal release in its tag .* set temporal\.allowVersionSkew: true/);
  });

  it("accepts a custom tag only with allowVersionSkew", () => {
    const custom = { serverImage: "mycorp/temporal-server:main-4f2a9c1", adminToolsImage: "mycorp/temporal-admin-tools:main-4f2a9c1" };
    expect(problemsOf(custom).map((problem) => problem.key)).toEqual(["temporal.serverImage", "temporal.adminToolsImage"]);
    expect(problemsOf({ ...custom, allowVersionSkew: true })).toEqual([]);
  });

  it("does not repeat a problem the image reference already has", () => {
    expect(problemsOf({ serverImage: "temporalio/server:latest" }).map((problem) => problem.key)).toEqual(["temporal.serverImage"]);
  });

  it("refuses a value for allowVersionSkew that is not true or false", () => {
    expect(problemsOf({ allowVersionSkew: "yes" }).map((problem) => problem.key)).toEqual(["temporal.allowVersionSkew"]);
  });
});
