import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { checkCapacity } from "../../components/capacity/fit";
import { containerRequest, sum, times } from "../../components/capacity/requests";
import { kindMinimumPool } from "../../components/capacity/nodes";
import { declaredNodes, type RecordLike, workloadsOf } from "../../components/capacity/stack";
import { PRESETS } from "../../components/config/presets";
import { ENVIRONMENTS, type ResourcesConfig, type RoleConfig, type StackConfig } from "../../components/config/schema";
import { PROJECT_ROOT, type SynthRun } from "../helpers/synthRuns";

/**
 * The numbers the README, the docs and the stack files' comments state (resource counts, task sizes,
 * requests, the sizing table), checked against the synth and the presets they describe, so that a
 * change of either fails here instead of leaving the prose behind. The prose is searched across all
 * of them, so moving a sentence from one file to another does not break the check.
 */

const runs = inject("synthRuns");
const runNamed = (label: string): SynthRun => runs.find((run) => run.label === label)!;
const resourcesOf = (label: string): RecordLike[] & { type: string; inputs: Record<string, unknown> }[] =>
  JSON.parse(readFileSync(join(runNamed(label).outDir, "resources.json"), "utf8"));

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), "utf8");
const docs = ["README.md", ...readdirSync(join(PROJECT_ROOT, "docs"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
const stackFiles = readdirSync(join(PROJECT_ROOT, "stacks")).filter((file) => file.endsWith(".yaml")).map((file) => `stacks/${file}`);
/** The prose, with line breaks and comment markers folded into single spaces. */
const prose = (paths: string[]) => paths.map((path) => read(path).replace(/\n\s*#?\s*/g, " ")).join("\n");
const allProse = prose([...docs, ...stackFiles, "components/config/presets.ts"]);

/** Every match of `pattern` in the prose; the test fails when a statement it looks for is gone, so the check cannot lapse silently. */
function statements(pattern: RegExp, text = allProse): RegExpMatchArray[] {
  const found = [...text.matchAll(new RegExp(pattern.source, "g"))];
  expect(found.length, `no statement matches ${pattern}`).toBeGreaterThan(0);
  return found;
}

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

describe("resource counts", () => {
  it("match the synth wherever a shipped stack's count is stated", () => {
    const count = (stack: string) => resourcesOf(stack).length;
    for (const [, stated, stack] of statements(/(\d+) resources registered, the stack included; written to out\/([\w-]+)\//, prose(docs))) {
      // An example that first adds a worker pool to the stack file (its YAML just before) states its own count.
      const before = allProse.slice(0, allProse.indexOf(`${stated} resources registered, the stack included; written to out/${stack}/`));
      if (before.slice(before.lastIndexOf("```yaml")).includes("temporal-kit:workers:")) continue;
      expect(Number(stated), stack).toBe(count(stack));
    }
    for (const [, stated] of statements(/`local`: (\d+) resources/)) expect(Number(stated), "local").toBe(count("local"));
    for (const [, ...stated] of statements(/\(staging (\d+), production (\d+), production-ecs (\d+), production-azure (\d+)\)/)) {
      expect(stated.map(Number)).toEqual(["staging", "production", "production-ecs", "production-azure"].map(count));
    }
  });
});

describe("task sizes on ECS", () => {
  it("match the production-ecs stack's task definitions", () => {
    const tasks = Object.fromEntries(
      resourcesOf("production-ecs")
        .filter((record) => record.type === "aws:ecs/taskDefinition:TaskDefinition")
        .map((record) => [String((record as unknown as { name: string }).name).replace(/^temporal-ecs-|-task$/g, ""), record.inputs as { cpu: string; memory: string }]),
    );
    const size = (task: string) => `${Number(tasks[task].cpu) / 1024} vCPU / ${Number(tasks[task].memory) / 1024} GiB`;
    const pattern = /history ([\d.]+ vCPU \/ [\d.]+ GiB), frontend and matching ([\d.]+ vCPU \/ [\d.]+ GiB), the system worker ([\d.]+ vCPU \/ [\d.]+ GiB)/;
    for (const [, history, frontend, worker] of statements(pattern)) {
      expect({ history, frontend, worker }).toEqual({ history: size("history"), frontend: size("frontend"), worker: size("worker") });
      expect(size("matching")).toBe(frontend);
    }
    for (const [, web] of statements(/the web console ([\d.]+ vCPU \/ [\d.]+ GiB)/)) expect(web).toBe(size("web"));
  });
});

describe("requests the EKS node groups hold", () => {
  it("match what the capacity check counts at rest", () => {
    const requested = (stack: string) => {
      const records = resourcesOf(stack);
      const declared = declaredNodes(records);
      if (declared.kind !== "nodes") throw new Error(`${stack} declares no nodes`);
      const { cpu, memory } = checkCapacity({ nodes: declared.pool, workloads: workloadsOf(records) }).steady.requested;
      return { cpu: oneDecimal(cpu / 1000), memory: oneDecimal(memory / 1024) };
    };
    for (const stack of ["staging", "production"]) {
      const expected = requested(stack);
      for (const [, cpu, memory] of statements(new RegExp(`${stack} ~([\\d.]+) vCPU / ([\\d.]+) GiB`))) {
        expect({ cpu: Number(cpu), memory: Number(memory) }, stack).toEqual(expected);
      }
      const capitalized = stack.charAt(0).toUpperCase() + stack.slice(1);
      for (const [, cpu] of statements(new RegExp(`${capitalized} asks for ~([\\d.]+) vCPU`))) expect(Number(cpu), stack).toBe(expected.cpu);
    }
  });
});

describe("the capacity table", () => {
  /** A stated figure holds the actual one rounded to the figure's own decimals. */
  const roundsTo = (stated: string, actual: number) => Math.abs(Number(stated) - actual) <= 0.5 * 10 ** -(stated.split(".")[1]?.length ?? 0) + 1e-9;

  it("states each stack's nodes and its requests at rest and at peak as the capacity check counts them", () => {
    const row = /\| ((?:`[\w-]+`(?:, )?)+) \| ([^|]+) \| ([\d.]+) CPU \/ ([\d.]+) GiB \| ([\d.]+) CPU \/ ([\d.]+) GiB \|/;
    for (const [, stacks, nodes, restCpu, restMemory, peakCpu, peakMemory] of statements(row, prose(docs))) {
      for (const stack of stacks.split(", ").map((name) => name.replaceAll("`", ""))) {
        const records = resourcesOf(stack);
        const declared = declaredNodes(records);
        const pool = declared.kind === "nodes" ? declared.pool : kindMinimumPool();
        const report = checkCapacity({ nodes: pool, workloads: workloadsOf(records) });
        const peak = [report.steady, ...report.changes].reduce((worst, change) => (change.requested.cpu > worst.requested.cpu ? change : worst)).requested;
        expect(pool.label, stack).toContain(nodes.trim());
        const stated = { restCpu, restMemory, peakCpu, peakMemory };
        const actual = { restCpu: report.steady.requested.cpu / 1000, restMemory: report.steady.requested.memory / 1024, peakCpu: peak.cpu / 1000, peakMemory: peak.memory / 1024 };
        for (const key of Object.keys(stated) as (keyof typeof stated)[]) expect(roundsTo(stated[key], actual[key]), `${stack} ${key}: stated ${stated[key]}, counted ${actual[key]}`).toBe(true);
      }
    }
  });
});

describe("requests of the laptop stack", () => {
  /** The requests of the roles that run and the web console at their replicas (the frontend not scaled out). */
  const podsOf = ({ roles, webConsole }: StackConfig) =>
    sum(
      [roles.frontend, roles.history, roles.matching, roles.worker, ...(roles.internalFrontend.enabled ? [roles.internalFrontend] : []), ...(webConsole.enabled ? [webConsole] : [])].map(
        ({ replicas, resources }) => times(containerRequest({ resources }), replicas),
      ),
    );
  const storeOf = (config: StackConfig) => containerRequest({ resources: (config.persistence as { resources: ResourcesConfig }).resources });
  const shown = ({ cpu, memory }: { cpu: number; memory: number }) => ({ cpu: oneDecimal(cpu / 1000), memory: oneDecimal(memory / 1024) });

  it("match staging's presets and the local stack's config", () => {
    const local = JSON.parse(readFileSync(join(runNamed("local").outDir, "config.json"), "utf8")) as StackConfig;
    const text = prose(["stacks/Pulumi.local.yaml"]);
    for (const [, cpu, memory] of statements(/staging's roles \(([\d.]+) CPU, ([\d.]+) GiB\)/, text)) expect({ cpu: Number(cpu), memory: Number(memory) }).toEqual(shown(podsOf(PRESETS.staging)));
    for (const [, cpu, memory] of statements(/MySQL \(([\d.]+) CPU, ([\d.]+) GiB\)/, text)) expect({ cpu: Number(cpu), memory: Number(memory) }).toEqual(shown(storeOf(PRESETS.staging)));
    for (const [, cpu, memory] of statements(/These ask for ([\d.]+) CPU \/ ([\d.]+) GiB/, text)) {
      expect({ cpu: Number(cpu), memory: Number(memory) }).toEqual(shown(sum([podsOf(local), storeOf(local)])));
    }
  });
});

describe("the sizing table", () => {
  const cell = ({ replicas, resources }: RoleConfig) => {
    const cpu = resources.requests.cpu;
    return `${replicas} × ${/m$/.test(cpu) ? cpu : `${cpu} CPU`} / ${resources.requests.memory}`;
  };
  const rows: [string, (environment: (typeof ENVIRONMENTS)[number]) => string][] = [
    ["frontend", (environment) => cell(PRESETS[environment].roles.frontend)],
    ["history", (environment) => cell(PRESETS[environment].roles.history)],
    ["matching", (environment) => cell(PRESETS[environment].roles.matching)],
    ["worker \\(system\\)", (environment) => cell(PRESETS[environment].roles.worker)],
    ["web console", (environment) => cell(PRESETS[environment].webConsole)],
  ];

  it.each(rows)("states the presets' replicas and requests for %s", (row, expected) => {
    for (const [, ...cells] of statements(new RegExp(`\\| ${row} \\| (\\d+ × [^|]+) \\| (\\d+ × [^|]+) \\| (\\d+ × [^|]+) \\|`), prose(docs))) {
      expect(cells.map((text) => text.trim())).toEqual(ENVIRONMENTS.map(expected));
    }
  });
});
