import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { KIND_MINIMUM_NODE } from "../../components/capacity/nodes";
import { PRESETS, SERVER_VERSION, UI_VERSION, presetFor } from "../../components/config/presets";
import { PERSISTENCE_PRESETS } from "../../components/config/storePresets";
import { ENVIRONMENTS } from "../../components/config/schema";
import { policies } from "../../policy/policies";
import { storeMatrix } from "./storeMatrix";

/**
 * The README states few numbers, and each one that comes from the code is checked here against the
 * code (issue 16: generated or checked by a test, never hand-copied). Its diagram is checked by
 * test/stacks/scalingStacks.test.ts.
 */

const ROOT = join(__dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The README was 969 lines when issue 16 asked for a third of that; it must stay within the bound. */
const README_MAX_LINES = Math.floor(969 / 3);

describe("the README", () => {
  it(`stays within a third of the 969 lines it had (${README_MAX_LINES})`, () => {
    expect(README.trimEnd().split("\n").length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("prints the platform × data store matrix the config parser and the presets give (print it with npx tsx test/docs/storeMatrix.ts)", () => {
    const matrix = storeMatrix();
    const lines = README.split("\n");
    const start = lines.indexOf(matrix[0]);
    expect(start, "the matrix's header row").toBeGreaterThanOrEqual(0);
    expect(lines.slice(start, start + matrix.length)).toEqual(matrix);
    expect(lines[start + matrix.length]).toBe("");
  }, 60_000);

  it("names the images the presets pin", () => {
    expect(PRESETS.dev.temporal.serverImage).toBe(`temporalio/server:${SERVER_VERSION}`);
    expect(PRESETS.dev.temporal.adminToolsImage).toBe(`temporalio/admin-tools:${SERVER_VERSION}`);
    expect(PRESETS.dev.webConsole.image).toBe(`temporalio/ui:${UI_VERSION}`);
    for (const image of [PRESETS.dev.temporal.serverImage, PRESETS.dev.temporal.adminToolsImage, PRESETS.dev.webConsole.image]) expect(README).toContain(`\`${image}\``);
  });

  it("names, wherever the docs give an image tag, the one the presets pin", () => {
    const pinned: Record<string, string> = {
      "temporalio/server": SERVER_VERSION,
      "temporalio/admin-tools": SERVER_VERSION,
      "temporalio/ui": UI_VERSION,
      mysql: (PERSISTENCE_PRESETS.dev["in-cluster"] as { image: string }).image.split(":")[1],
      postgres: (PERSISTENCE_PRESETS.dev["in-cluster-postgres"] as { image: string }).image.split(":")[1],
    };
    const files = ["README.md", ...readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
    const stale: string[] = [];
    for (const file of files) {
      for (const [, name, tag] of readFileSync(join(ROOT, file), "utf8").matchAll(/`(temporalio\/(?:server|admin-tools|ui)|mysql|postgres):(\d[\w.-]*)`/g)) {
        // `postgres:17.x` names a family of images (the pod runner's stand-ins), not a tag.
        if (tag.endsWith(".x")) continue;
        if (tag !== pinned[name]) stale.push(`${file}: ${name}:${tag}, the presets pin ${name}:${pinned[name]}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it("sizes the kind node as the capacity model's minimum", () => {
    expect(README).toContain(`a Docker VM of ${KIND_MINIMUM_NODE.cpus} CPUs and ${KIND_MINIMUM_NODE.memoryGiB} GiB`);
  });

  it("counts the NAT gateways the AWS network presets create", () => {
    const nat = Object.fromEntries(ENVIRONMENTS.map((environment) => [environment, presetFor(environment, "aws-eks").config.aws!.network]));
    expect(nat).toMatchObject({ dev: { natGateways: "single" }, staging: { natGateways: "single" }, production: { natGateways: "per-az" } });
    expect(README).toContain("NAT gateways (one in dev and staging, one per zone in production on AWS)");
  });

  it("spreads production over three zones and runs more than one pod of every role outside dev, as the presets do", () => {
    expect(presetFor("production", "aws-eks").config.aws!.network).toMatchObject({ availabilityZones: 3 });
    expect(presetFor("production", "azure-aks").config.azure!.aks).toMatchObject({ availabilityZones: ["1", "2", "3"] });
    expect(README.replace(/\n/g, " ")).toContain("the production presets spread nodes over three zones");
    for (const environment of ["staging", "production"] as const) {
      for (const [role, config] of Object.entries(PRESETS[environment].roles)) if ("replicas" in config) expect(config.replicas, `${environment} ${role}`).toBeGreaterThan(1);
    }
    expect(README.replace(/\n/g, " ")).toContain("outside dev, the presets run more than one pod of every role");
  });

  it("names the placeholder range the shipped EKS stack files carry", () => {
    for (const stack of ["staging", "production"]) expect(readFileSync(join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")).toContain("203.0.113.0/24");
    expect(README).toContain("the shipped `203.0.113.0/24` is a documentation range");
  });

  it("counts the policy pack's rules", () => {
    expect(README).toContain(`\`policy/\`: ${policies.length} rules for \`pulumi preview --policy-pack policy\``);
  });

  it("states the test command CI runs, and .ci/run runs it", () => {
    expect(README).toContain("npm ci && npm test");
    expect(README).toContain("`npm test` is the command CI runs");
    const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8").split("\n");
    expect(ci).toContain("npm ci --no-audit --no-fund");
    expect(ci).toContain("npm test");
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (heading) anchors.add(slug(heading[1]));
  }
  return anchors;
}

describe("links between the README and docs/", () => {
  const docs = ["README.md", ...readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];

  it.each(docs)("%s links only to files and headings that exist", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8").replace(/```[\s\S]*?```/g, "");
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split("#");
      const resolved = path ? relative(ROOT, join(ROOT, dirname(file), path)) : file;
      if (!existsSync(join(ROOT, resolved))) broken.push(`${target}: no file ${resolved}`);
      else if (anchor && resolved.endsWith(".md") && !anchorsOf(readFileSync(join(ROOT, resolved), "utf8")).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${resolved}`);
    }
    expect(broken).toEqual([]);
  });
});
