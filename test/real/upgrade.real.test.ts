import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PREVIOUS_SERVER_VERSION, SERVER_VERSION } from "../../components/config/presets";
import { ROLL_ORDER } from "../../components/temporal/rollOrder";
import { component, reportPodsOnFailure, synthesizeStack, synthesizeStackInBackground, workerClient } from "./realRun";
import { LocalCluster } from "./runner/cluster";
import { devPostgresStack, writeStackFile } from "./shapes";
import { CheckFailedError } from "./runner/dynamic";
import type { SynthOutput } from "./runner/manifests";

/**
 * An upgrade, for real (issue 13): the dev-postgres shape deployed at the release the kit upgrades
 * from (PREVIOUS_SERVER_VERSION), long-running workflows started on it, then the same stack at
 * SERVER_VERSION applied as `pulumi up` would: its preview (the upgrade guard's check against the
 * deployed inputs), then every change in the order of Pulumi's graph. A stack skipping a minor is
 * refused by that preview before anything changes. Lean on purpose: one pod per role, no console.
 */

const MINUTES = 60_000;
const TASK_QUEUE = "upgrade";
const NAMESPACE = "temporal-postgres";
/**
 * Long enough that the timers are still pending when the last role has rolled here (the upgrade
 * takes about 45 s on a 2-core machine), so they fire on the new release; short, because the suite
 * waits for them. Not asserted: on a slower machine they fire during the roll instead, which the
 * workflows must survive as well. The suite logs how many were still pending.
 */
const TIMER_MS = 60_000;
const WORKFLOWS = 3;

const [major, minor] = PREVIOUS_SERVER_VERSION.split(".").map(Number);
/** Two minors up from the deployed release: skips the one in between. */
const SKIPPING_VERSION = `${major}.${minor + 2}.0`;

let workDir: string;
let cluster: LocalCluster;
let deployed: SynthOutput;
let upgrade: Promise<SynthOutput>;
let skipping: Promise<SynthOutput>;
const workflowIds: string[] = [];

/** The shipped dev-postgres stack with the test worker pool (shapes.ts) at one Temporal release, without the console. */
function writeStack(version: string): string {
  const stack = devPostgresStack(TASK_QUEUE);
  const temporal = (stack["temporal-kit:temporal"] ?? {}) as Record<string, unknown>;
  return writeStackFile(join(workDir, `stack-${version}`), "dev-postgres", {
    ...stack,
    "temporal-kit:temporal": { ...temporal, serverImage: `temporalio/server:${version}`, adminToolsImage: `temporalio/admin-tools:${version}` },
    "temporal-kit:webConsole": { enabled: false },
  });
}

const outDir = (version: string) => join(workDir, "out", version, "dev-postgres");

function psql(sql: string, database: string): Promise<string> {
  const store = cluster.allPods().find((pod) => pod.labels["app.kubernetes.io/component"] === "postgres");
  if (!store) throw new Error("no PostgreSQL pod is running");
  const user = String(store.spec.containers[0].env?.find((variable) => variable.name === "POSTGRES_USER")?.value);
  return store.exec(["psql", "-h", "127.0.0.1", "-U", user, "-d", database, "-At", "-c", sql]).then(({ code, output }) => {
    if (code !== 0) throw new Error(`psql: ${output}`);
    return output.trim();
  });
}

const schemaVersions = async () => ({
  temporal: await psql("SELECT curr_version FROM schema_version", "temporal"),
  visibility: await psql("SELECT curr_version FROM schema_version", "temporal_visibility"),
});

/** The roles this stack runs, in the kit's roll order. */
const rolesOf = (synth: SynthOutput) =>
  ROLL_ORDER.filter((role) => synth.plan.some((planned) => planned.object.kind === "Deployment" && component(planned.object) === role));

const roleImages = (synth: SynthOutput) =>
  Object.fromEntries(rolesOf(synth).map((role) => [role, cluster.pods(`Deployment/temporal-${role}`).map((pod) => pod.spec.containers[0].image)]));

const schemaJobOf = (synth: SynthOutput) => synth.plan.find((planned) => planned.object.kind === "Job" && component(planned.object) === "schema")!.object.metadata.name;

/** Everything a planned object waits for, directly or through others. */
function transitiveDependencies(synth: SynthOutput, key: string): Set<string> {
  const byKey = new Map<string, string[]>([...synth.plan.map((p) => [p.key, p.dependsOn] as const), ...synth.dynamic.map((d) => [d.key, d.dependsOn] as const)]);
  const seen = new Set<string>();
  const visit = (k: string) => byKey.get(k)?.forEach((dependency) => !seen.has(dependency) && (seen.add(dependency), visit(dependency)));
  visit(key);
  return seen;
}

describe(`an upgrade from Temporal ${PREVIOUS_SERVER_VERSION} to ${SERVER_VERSION}, run for real`, () => {
  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("the real-run suite needs root: it creates network namespaces and mount namespaces");
    workDir = mkdtempSync(join(tmpdir(), "temporal-kit-upgrade-"));
    deployed = synthesizeStack(writeStack(PREVIOUS_SERVER_VERSION), outDir(PREVIOUS_SERVER_VERSION));
    // Rendered while the first release starts; awaited where they are needed.
    upgrade = synthesizeStackInBackground(writeStack(SERVER_VERSION), outDir(SERVER_VERSION));
    skipping = synthesizeStackInBackground(writeStack(SKIPPING_VERSION), outDir(SKIPPING_VERSION));
    upgrade.catch(() => undefined);
    skipping.catch(() => undefined);
    cluster = new LocalCluster({ awaitTimeoutMs: 5 * MINUTES, backoffBaseMs: 2_000 });
    await cluster.up();
    console.log(`pod logs: ${cluster.runDir}/logs`);
  }, 5 * MINUTES);

  beforeEach(() => {
    reportPodsOnFailure(() => cluster);
  });

  afterAll(async () => {
    if (cluster && !process.env.TEMPORAL_KIT_KEEP_RUN) await cluster.down();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 5 * MINUTES);

  it(`deploys ${PREVIOUS_SERVER_VERSION} and starts workflows waiting on durable timers`, async () => {
    await cluster.apply(deployed);
    for (const images of Object.values(roleImages(deployed))) expect(images).toEqual([`temporalio/server:${PREVIOUS_SERVER_VERSION}`]);
    // schema/postgresql/v12/version.go at go.temporal.io/server v1.30.9: Version "1.18", VisibilityVersion "1.13".
    expect(await schemaVersions()).toEqual({ temporal: "1.18", visibility: "1.13" });
    const address = String(deployed.outputs.frontendAddress);
    workflowIds.push(...Array.from({ length: WORKFLOWS }, (_, index) => `upgrade-${index}-${Date.now()}`));
    await Promise.all(
      workflowIds.map((workflowId, index) =>
        workerClient(cluster, ["start", "--address", address, "--namespace", "default", "--task-queue", TASK_QUEUE, "--workflow-id", workflowId, "--name", `before-${index}`, "--sleep-ms", String(TIMER_MS)]),
      ),
    );
  }, 10 * MINUTES);

  it(`refuses a stack that asks for ${SKIPPING_VERSION} at preview, naming the skipped minor, and changes nothing`, async () => {
    const synth = await skipping;
    const guard = synth.dynamic.find((resource) => resource.type.endsWith(":UpgradeGuard"));
    expect(guard, "the stack has an upgrade guard").toBeDefined();
    // Even `pulumi up --skip-preview` must change nothing: every object the new release changes waits for the guard, whose check fails first.
    const before = cluster.appliedObjects();
    const changing = synth.plan.filter((planned) => {
      const current = before.get(planned.key);
      return !current || JSON.stringify(current) !== JSON.stringify(planned.object);
    });
    expect(changing.length, "the version change touches objects").toBeGreaterThan(0);
    for (const planned of changing) expect(transitiveDependencies(synth, planned.key), `${planned.key} waits for the upgrade guard`).toContain(guard!.key);

    const pods = cluster.allPods().map((pod) => `${pod.name}:${pod.phase}:${pod.restartCount}`);
    const events = cluster.events.length;
    const failures = await cluster.preview(synth);
    expect(failures).toEqual([expect.objectContaining({ property: "serverVersion" })]);
    expect(failures[0].reason).toContain(`runs Temporal ${PREVIOUS_SERVER_VERSION} and the stack asks for ${SKIPPING_VERSION}, which skips ${major}.${minor + 1}`);
    await expect(cluster.apply(synth)).rejects.toThrow(CheckFailedError);
    expect(cluster.appliedObjects()).toEqual(before);
    expect(cluster.allPods().map((pod) => `${pod.name}:${pod.phase}:${pod.restartCount}`)).toEqual(pods);
    expect(cluster.events.slice(events)).toEqual([expect.stringMatching(/preview refused/)]);
  }, 10 * MINUTES);

  it(`upgrades to ${SERVER_VERSION}: the preview passes, the new schema Job completes before any role pod is replaced, and the roles roll one at a time in the kit's order`, async () => {
    const synth = await upgrade;
    expect(await cluster.preview(synth)).toEqual([]);
    const from = cluster.events.length;
    const started = Date.now();
    await cluster.apply(synth);
    console.log(`upgrade applied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const events = cluster.events.slice(from).map((line) => line.slice(line.indexOf(" ") + 1));
    const at = (pattern: RegExp) => events.findIndex((line) => pattern.test(line));
    const roles = rolesOf(synth);
    const rolePod = new RegExp(`^(start|stopped) pod temporal-(${roles.join("|")})-[0-9a-f]{10}-`);

    const newJob = schemaJobOf(synth);
    expect(newJob).not.toBe(schemaJobOf(deployed));
    const schemaDone = at(new RegExp(`^Job ${newJob} complete$`));
    expect(schemaDone, `Job ${newJob} ran`).toBeGreaterThanOrEqual(0);
    expect(at(rolePod), "no role pod started or stopped before the schema Job completed").toBeGreaterThan(schemaDone);

    const begin = roles.map((role) => at(new RegExp(`^update Deployment/${NAMESPACE}/temporal-${role}$`)));
    const end = roles.map((role) => at(new RegExp(`^done Deployment/${NAMESPACE}/temporal-${role}$`)));
    expect(begin.every((index) => index > schemaDone), `every role began after the schema Job: ${roles} at ${begin}`).toBe(true);
    for (let index = 1; index < roles.length; index += 1) {
      expect(begin[index], `${roles[index]} began after ${roles[index - 1]} finished`).toBeGreaterThan(end[index - 1]);
    }
    // Each role's old pod was gone before the role counted as rolled.
    for (const [index, role] of roles.entries()) {
      const stopped = events.findIndex((line, position) => position > begin[index] && new RegExp(`^stopped pod temporal-${role}-[0-9a-f]{10}-`).test(line));
      expect(stopped, `${role}'s old pod stopped within its roll`).toBeGreaterThan(begin[index]);
      expect(stopped).toBeLessThan(end[index]);
    }
    // The old release's Job goes last, as Pulumi deletes a replaced resource after the update.
    expect(at(new RegExp(`^delete Job/${NAMESPACE}/${schemaJobOf(deployed)}$`))).toBeGreaterThan(Math.max(...end));

    for (const images of Object.values(roleImages(synth))) expect(images).toEqual([`temporalio/server:${SERVER_VERSION}`]);
    // schema/postgresql/v12/version.go at go.temporal.io/server v1.31.2: Version "1.19", VisibilityVersion "1.14".
    expect(await schemaVersions()).toEqual({ temporal: "1.19", visibility: "1.14" });
  }, 15 * MINUTES);

  it("completes the workflows started before the upgrade", async () => {
    const address = String(deployed.outputs.frontendAddress);
    const [pending, ...results] = await Promise.all([
      workerClient(cluster, ["list", "--address", address, "--namespace", "default", "--query", `TaskQueue = '${TASK_QUEUE}' AND ExecutionStatus = 'Running'`]) as Promise<unknown[]>,
      ...workflowIds.map((workflowId) => workerClient(cluster, ["result", "--address", address, "--namespace", "default", "--workflow-id", workflowId, "--timeout-seconds", String(TIMER_MS / 1000 + 120)]) as Promise<{ result: string }>),
    ]);
    console.log(`${pending.length} of ${WORKFLOWS} workflows were still waiting on their timer when the upgrade had finished`);
    expect(results.map((done) => done.result)).toEqual(workflowIds.map((_, index) => expect.stringContaining(`Hello, before-${index}`)));
  }, 10 * MINUTES);
});
