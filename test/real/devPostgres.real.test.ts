import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PREVIOUS_SERVER_VERSION, SERVER_VERSION } from "../../components/config/presets";
import { ROLL_ORDER } from "../../components/temporal/rollOrder";
import { ROOT, component, httpGetJson, only, realRunHooks, synthesizeStack, synthesizeStackInBackground, workerClient } from "./realRun";
import { LocalCluster } from "./runner/cluster";
import { CheckFailedError } from "./runner/dynamic";
import { devPostgresStack, writeStackFile } from "./shapes";
import type { SynthOutput } from "./runner/manifests";
import { PodNetwork } from "./runner/network";
import type { Pod } from "./runner/pod";
import { grpcProbe } from "./runner/probes";

/**
 * The kit's dev-postgres stack, synthesized offline and run for real on this machine: the real
 * Temporal server, schema tool, CLI, web console server and PostgreSQL, each pod in its own network
 * namespace (see docs/local-runner.md). Each step is a test; a failure carries the pods' logs.
 *
 * The stack is deployed as a team that has run it for a while would have it: at the release the
 * kit upgrades from (PREVIOUS_SERVER_VERSION), with long-running workflows started on it, then
 * upgraded to SERVER_VERSION the way `pulumi up` orders it (its preview runs the upgrade guard's
 * check against the deployed inputs, then every change follows Pulumi's graph); a stack skipping a
 * minor is refused by that preview before anything changes. Every later step runs on the upgraded
 * cluster. (A first install at SERVER_VERSION is the production-shaped run's.)
 */

const MINUTES = 60_000;
const TASK_QUEUE = "real-run";
const ROLES = ["frontend", "history", "matching", "worker"];
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
/** The stack at PREVIOUS_SERVER_VERSION, as first deployed. */
let deployed: SynthOutput;
/** The stack at SERVER_VERSION (the shipped stack's own release), after the upgrade. */
let synth: SynthOutput;
let upgrade: Promise<SynthOutput>;
let skipping: Promise<SynthOutput>;
const timerWorkflowIds: string[] = [];

/** The shipped dev-postgres stack with a worker pool (shapes.ts), at a given release or its own, and later a dynamic config value. */
function writeStack(dynamicConfig: Record<string, unknown>, version?: string): string {
  const stack = devPostgresStack(TASK_QUEUE);
  const temporal = (stack["temporal-kit:temporal"] ?? {}) as Record<string, unknown>;
  const images = version ? { serverImage: `temporalio/server:${version}`, adminToolsImage: `temporalio/admin-tools:${version}` } : {};
  return writeStackFile(join(workDir, `stack-${version ?? "current"}-${Date.now()}`), "dev-postgres", { ...stack, "temporal-kit:temporal": { ...temporal, ...images, dynamicConfig } });
}

const outDir = () => join(workDir, "out", `synth-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, "dev-postgres");

function synthesize(dynamicConfig: Record<string, unknown>, version?: string): SynthOutput {
  return synthesizeStack(writeStack(dynamicConfig, version), outDir());
}

/** The roles this stack runs, in the kit's roll order. */
const rolesOf = (stack: SynthOutput) =>
  ROLL_ORDER.filter((role) => stack.plan.some((planned) => planned.object.kind === "Deployment" && component(planned.object) === role));

const roleImages = (stack: SynthOutput) =>
  Object.fromEntries(rolesOf(stack).map((role) => [role, cluster.pods(`Deployment/temporal-${role}`).map((pod) => pod.spec.containers[0].image)]));

const schemaJobOf = (stack: SynthOutput) => stack.plan.find((planned) => planned.object.kind === "Job" && component(planned.object) === "schema")!.object.metadata.name;

/** Everything a planned object waits for, directly or through others. */
function transitiveDependencies(stack: SynthOutput, key: string): Set<string> {
  const byKey = new Map<string, string[]>([...stack.plan.map((p) => [p.key, p.dependsOn] as const), ...stack.dynamic.map((d) => [d.key, d.dependsOn] as const)]);
  const seen = new Set<string>();
  const visit = (k: string) => byKey.get(k)?.forEach((dependency) => !seen.has(dependency) && (seen.add(dependency), visit(dependency)));
  visit(key);
  return seen;
}


/** `temporal` CLI inside the cluster network, as the admin-tools image would run it. */
async function temporalCli(args: string[]): Promise<string> {
  const address = String(synth.outputs.frontendAddress);
  const result = await cluster.runClient([cluster.tools.temporalCli, ...args, "--address", address]);
  if (result.code !== 0) throw new Error(`temporal ${args.join(" ")} exited ${result.code}: ${result.stderr}${result.stdout}\n${cluster.logs()}`);
  return result.stdout;
}


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

async function schemaState(): Promise<string> {
  const tables = async (database: string) => psql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", database);
  const versions = async (database: string) => psql("SELECT curr_version, min_compatible_version FROM schema_version", database);
  // Every update the schema tool applies is a row here: a rerun that re-applied anything would add rows.
  const history = async (database: string) => psql("SELECT count(*) FROM schema_update_history", database);
  const state = async (database: string) => [await versions(database), await history(database), await tables(database)];
  return JSON.stringify({ temporal: await state("temporal"), visibility: await state("temporal_visibility") });
}


/** Processes whose root directory lies in the run's directory: every container process's does. */
function processesRootedIn(dir: string): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/root`).startsWith(dir) ? [`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ")}`] : [];
      } catch {
        return [];
      }
    });
}

const rolePods = (): Pod[] => ROLES.flatMap((role) => cluster.pods(`Deployment/temporal-${role}`));

/** The host's ids of a pod's processes: the same ids later mean the same processes, never restarted. */
const processes = (pod: Pod): number[] => PodNetwork.pidsIn(pod.address.netns);

/** Each role pod by name, restart count and processes, to compare before and after a failure. */
const rolesState = (): string[] => rolePods().map((pod) => `${pod.name} restarts=${pod.restartCount} pids=${processes(pod).join(",")}`);

/** When the runner logged an event, e.g. a pod's stop. */
function eventTime(text: string): number {
  const event = [...cluster.events].reverse().find((line) => line.endsWith(text) || line.includes(`${text} (`));
  if (!event) throw new Error(`no runner event "${text}"`);
  return Date.parse(event.split(" ")[0]);
}

/** Asks until the answer is yes, a quarter second apart, at most 240 times. */
async function poll(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`still waiting for ${what} after 240 attempts`);
}

/** Short unique IDs, under any ID length limit a later step sets. */
const stamp = () => Date.now().toString(36);

/** The client's connection flags, with a task queue when it starts workflows. */
const on = (taskQueue?: string) => ["--address", String(synth.outputs.frontendAddress), "--namespace", "default", ...(taskQueue ? ["--task-queue", taskQueue] : [])];

describe(`dev-postgres, deployed at ${PREVIOUS_SERVER_VERSION}, upgraded to ${SERVER_VERSION}, run for real`, () => {
  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("the real-run suite needs root: it creates network namespaces and mount namespaces");
    workDir = mkdtempSync(join(tmpdir(), "temporal-kit-real-"));
    deployed = synthesize({}, PREVIOUS_SERVER_VERSION);
    // Rendered while the first release starts; awaited where they are needed.
    upgrade = synthesizeStackInBackground(writeStack({}), outDir());
    skipping = synthesizeStackInBackground(writeStack({}, SKIPPING_VERSION), outDir());
    upgrade.catch(() => undefined);
    skipping.catch(() => undefined);
    cluster = new LocalCluster({ awaitTimeoutMs: 5 * MINUTES, backoffBaseMs: 2_000 });
    await cluster.up();
    console.log(`pod logs: ${cluster.runDir}/logs`);
  }, 5 * MINUTES);

  realRunHooks(() => ({ cluster, workDir }));

  it(`deploys ${PREVIOUS_SERVER_VERSION} and starts workflows waiting on durable timers`, async () => {
    await cluster.apply(deployed);
    for (const images of Object.values(roleImages(deployed))) expect(images).toEqual([`temporalio/server:${PREVIOUS_SERVER_VERSION}`]);
    // schema/postgresql/v12/version.go at go.temporal.io/server v1.30.9: Version "1.18", VisibilityVersion "1.13".
    expect(await schemaVersions()).toEqual({ temporal: "1.18", visibility: "1.13" });
    const address = String(deployed.outputs.frontendAddress);
    timerWorkflowIds.push(...Array.from({ length: WORKFLOWS }, (_, index) => `upgrade-${index}-${Date.now()}`));
    await workerClient(cluster, ["start", "--address", address, "--namespace", "default", "--task-queue", TASK_QUEUE, ...timerWorkflowIds.flatMap((id) => ["--workflow-id", id]), "--name", "before", "--sleep-ms", String(TIMER_MS)]);
  }, 10 * MINUTES);

  it(`refuses a stack that asks for ${SKIPPING_VERSION} at preview, naming the skipped minor, and changes nothing`, async () => {
    const skip = await skipping;
    const guard = skip.dynamic.find((resource) => resource.type.endsWith(":UpgradeGuard"));
    expect(guard, "the stack has an upgrade guard").toBeDefined();
    // Even `pulumi up --skip-preview` must change nothing: every object the new release changes waits for the guard, whose check fails first.
    const before = cluster.appliedObjects();
    const changing = skip.plan.filter((planned) => {
      const current = before.get(planned.key);
      return !current || JSON.stringify(current) !== JSON.stringify(planned.object);
    });
    expect(changing.length, "the version change touches objects").toBeGreaterThan(0);
    for (const planned of changing) expect(transitiveDependencies(skip, planned.key), `${planned.key} waits for the upgrade guard`).toContain(guard!.key);

    const pods = cluster.allPods().map((pod) => `${pod.name}:${pod.phase}:${pod.restartCount}`);
    const events = cluster.events.length;
    const failures = await cluster.preview(skip);
    expect(failures).toEqual([expect.objectContaining({ property: "serverVersion" })]);
    expect(failures[0].reason).toContain(`runs Temporal ${PREVIOUS_SERVER_VERSION} and the stack asks for ${SKIPPING_VERSION}, which skips ${major}.${minor + 1}`);
    await expect(cluster.apply(skip)).rejects.toThrow(CheckFailedError);
    expect(cluster.appliedObjects()).toEqual(before);
    expect(cluster.allPods().map((pod) => `${pod.name}:${pod.phase}:${pod.restartCount}`)).toEqual(pods);
    expect(cluster.events.slice(events)).toEqual([expect.stringMatching(/preview refused/)]);
  }, 10 * MINUTES);

  it(`upgrades to ${SERVER_VERSION}: the preview passes, the new schema Job completes before any role pod is replaced, and the roles roll one at a time in the kit's order`, async () => {
    synth = await upgrade;
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
    const address = String(synth.outputs.frontendAddress);
    const [pending, done] = await Promise.all([
      workerClient(cluster, ["list", "--address", address, "--namespace", "default", "--query", `TaskQueue = '${TASK_QUEUE}' AND ExecutionStatus = 'Running'`]) as Promise<unknown[]>,
      workerClient(cluster, ["result", "--address", address, "--namespace", "default", ...timerWorkflowIds.flatMap((id) => ["--workflow-id", id]), "--timeout-seconds", String(TIMER_MS / 1000 + 120)]),
    ]);
    console.log(`${pending.length} of ${WORKFLOWS} workflows were still waiting on their timer when the upgrade had finished`);
    const results = done as { result: string }[];
    expect(results.map((run) => run.result)).toEqual(timerWorkflowIds.map(() => expect.stringContaining("Hello, before")));
  }, 10 * MINUTES);

  it("runs the schema Job to completion, and a second run changes nothing", async () => {
    await cluster.apply(synth, { only: only("schema") });
    const first = await schemaState();
    expect(first).toContain("executions");
    await cluster.rerunJob(synth.plan.find((planned) => planned.object.kind === "Job" && component(planned.object) === "schema")!.object.metadata.name);
    expect(await schemaState()).toBe(first);
  }, 15 * MINUTES);

  it("starts the four roles, each ready by its own probe, in one membership ring", async () => {
    await cluster.apply(synth, { only: only(...ROLES) });
    for (const pod of rolePods()) {
      const probe = pod.spec.containers[0].readinessProbe;
      expect(probe?.grpc, `${pod.name} declares a gRPC readiness probe`).toBeDefined();
      expect(pod.ready, `${pod.name} ready`).toBe(true);
      // The service name the kit's probe asks for is one the role serves.
      expect((await grpcProbe(pod.address.ip, probe!.grpc!.port, probe!.grpc!.service ?? "", 5000)).detail).toMatch(/SERVING$/);
      // Without an authorizer the kit says so (TEMPORAL_ALLOW_NO_AUTH); 1.31.2 warns otherwise that
      // future versions will refuse to start (cmd/server/main.go).
      expect(readFileSync(pod.logFile("temporal"), "utf8"), `${pod.name} log`).not.toContain("Not using any authorizer");
    }
    expect(cluster.tools.tdbg, "npm run e2e:tools builds tdbg").toBeTruthy();
    // The ring as the admin API reports it (AdminService.DescribeCluster), through the admin-tools image's tdbg.
    const gossip = await cluster.runClient([String(cluster.tools.tdbg), "--address", String(synth.outputs.frontendAddress), "membership", "list-gossip"]);
    if (gossip.code !== 0) throw new Error(`tdbg membership list-gossip exited ${gossip.code}: ${gossip.stderr}`);
    const rings = JSON.parse(gossip.stdout) as { role: string; memberCount: number; members: { identity: string }[] }[];
    for (const role of ROLES) {
      const ring = rings.find((candidate) => candidate.role === role);
      const podIps = cluster.pods(`Deployment/temporal-${role}`).map((pod) => pod.address.ip);
      expect(ring?.members.map((member) => member.identity.split(":")[0]).sort(), `${role} ring`).toEqual(podIps.sort());
    }
  }, 15 * MINUTES);

  it("registers each configured namespace with its retention, and a second run changes nothing", async () => {
    await cluster.apply(synth, { only: only("namespace-registration") });
    const describe = async () => JSON.parse(await temporalCli(["operator", "namespace", "describe", "--namespace", "default", "--output", "json"])) as Record<string, any>;
    const first = await describe();
    const job = synth.plan.find((planned) => planned.object.kind === "Job" && component(planned.object) === "namespace-registration")!;
    const configured = job.object.spec.template.spec.containers[0].env.find((variable: { name: string }) => variable.name === "TEMPORAL_KIT_RETENTION").value as string;
    expect(configured).toBe("24h");
    expect(first.config.workflowExecutionRetentionTtl).toBe(`${24 * 3600}s`);
    expect(first.namespaceInfo.description).toBe("Default namespace for development");
    await cluster.rerunJob(job.object.metadata.name);
    const second = await describe();
    expect({ info: second.namespaceInfo, config: second.config }).toEqual({ info: first.namespaceInfo, config: first.config });
  }, 10 * MINUTES);

  it("serves the web console, which lists the namespaces through the frontend", async () => {
    await cluster.apply(synth, { only: only("web") });
    const [web] = cluster.pods("Deployment/temporal-web");
    const body = (await httpGetJson(web.address.ip, 8080, "/api/v1/namespaces", 10_000)) as { namespaces: { namespaceInfo: { name: string } }[] };
    expect(body.namespaces.map((namespace) => namespace.namespaceInfo.name)).toContain("default");
  }, 10 * MINUTES);

  it("runs a workflow on the stack's worker pool, found afterwards through visibility", async () => {
    await cluster.apply(synth);
    const address = String(synth.outputs.frontendAddress);
    const workflowId = `real-run-${Date.now()}`;
    const run = (await workerClient(cluster, ["run", "--address", address, "--namespace", "default", "--task-queue", TASK_QUEUE, "--workflow-id", workflowId, "--name", "kit"])) as { result: string };
    const [workerPod] = cluster.pods("Deployment/temporal-worker-greeter");
    expect(run.result).toContain("Hello, kit");
    expect(run.result).toContain(workerPod.hostname);
    let listed: { workflowId: string; status: string }[] = [];
    for (let attempt = 0; attempt < 20 && !listed.some((execution) => execution.workflowId === workflowId); attempt += 1) {
      listed = (await workerClient(cluster, ["list", "--address", address, "--namespace", "default", "--query", `WorkflowId = '${workflowId}'`])) as typeof listed;
      if (!listed.length) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(listed).toEqual([expect.objectContaining({ workflowId, status: "COMPLETED" })]);
  }, 10 * MINUTES);

  // The failure steps run before the dynamic config step: its 30-character ID limit would refuse
  // the batcher's 36-character job IDs (the batch job is a workflow whose ID is the job ID,
  // service/frontend/workflow_handler.go StartBatchOperation, v1.31.2) and the workers'
  // identities, longer than 30 characters too (seen in a real run: the system worker's batch
  // never finished once the limit applied).

  it("loses its history pod while workflows wait on timers: they complete on the replacement", async () => {
    const [old] = cluster.pods("Deployment/temporal-history");
    const oldPids = processes(old);
    const ids = [1, 2, 3, 4].map((n) => `hist-${stamp()}-${n}`);
    await workerClient(cluster, ["start", ...on(TASK_QUEUE), ...ids.flatMap((id) => ["--workflow-id", id]), "--name", "timer", "--sleep-ms", "5000"]);
    const deleting = Date.now();
    // The client waits on the results through the frontend while history goes and comes back.
    const [results] = await Promise.all([
      workerClient(cluster, ["result", ...on(), ...ids.flatMap((id) => ["--workflow-id", id])]) as Promise<{ workflowId: string; result: string; closeTime: string }[]>,
      cluster.deletePod(old),
    ]);
    const stoppedAt = eventTime(`stopped pod ${old.name}`);
    const [fresh] = cluster.pods("Deployment/temporal-history");
    expect(fresh.name).not.toBe(old.name);
    expect(fresh.address.ip).not.toBe(old.address.ip);
    expect(oldPids.filter((pid) => existsSync(`/proc/${pid}`)), "the old history process is gone").toEqual([]);
    const [workerPod] = cluster.pods("Deployment/temporal-worker-greeter");
    expect(results).toHaveLength(ids.length);
    for (const outcome of results) {
      expect(outcome.result).toContain("Hello, timer");
      expect(outcome.result).toContain(workerPod.hostname);
      // Closed by the replacement: the process that started them was gone by then.
      expect(Date.parse(outcome.closeTime), `${outcome.workflowId} closed after ${old.name} stopped`).toBeGreaterThan(stoppedAt);
    }
    console.log(`history: ${old.name} (${old.address.ip}) stopped ${stoppedAt - deleting} ms after the delete; ${fresh.name} (${fresh.address.ip}) ready ${Date.now() - stoppedAt} ms later; closes ${results.map((outcome) => Date.parse(outcome.closeTime) - stoppedAt).join(", ")} ms after the stop`);
  }, 10 * MINUTES);

  it("restarts its database: the data survives, the roles recover without a restart", async () => {
    const [old] = cluster.pods("StatefulSet/temporal-postgres");
    // Fixed at initdb: the same value afterwards is the same data directory, not a fresh one.
    const systemIdentifier = await psql("SELECT system_identifier FROM pg_control_system()", "temporal");
    const serverStart = await psql("SELECT pg_postmaster_start_time()", "temporal");
    const roles = rolesState();
    const deleting = Date.now();
    await cluster.deletePod(old);
    const back = Date.now();
    const [fresh] = cluster.pods("StatefulSet/temporal-postgres");
    expect(fresh).not.toBe(old);
    expect(fresh.name).toBe(old.name);
    expect(await psql("SELECT system_identifier FROM pg_control_system()", "temporal")).toBe(systemIdentifier);
    expect(await psql("SELECT pg_postmaster_start_time()", "temporal")).not.toBe(serverStart);
    // No role is restarted by the test: each finds the database again by itself. A new workflow
    // runs, and those closed before the restart are still read from the store.
    const [run, earlier] = (await Promise.all([
      workerClient(cluster, ["run", ...on(TASK_QUEUE), "--workflow-id", `db-${stamp()}`, "--name", "after-db"]),
      workerClient(cluster, ["list", ...on(), "--query", "WorkflowType = 'sleepThenGreet' AND ExecutionStatus = 'Completed'", "--min-count", "4"]),
    ])) as [{ result: string }, unknown[]];
    expect(run.result).toContain("Hello, after-db");
    expect(earlier.length).toBeGreaterThanOrEqual(4);
    expect(rolesState()).toEqual(roles);
    console.log(`database: ${old.address.ip} -> ${fresh.address.ip}, ready ${back - deleting} ms after the delete; a new workflow completed ${Date.now() - back} ms later`);
  }, 10 * MINUTES);

  it("loses its frontend: the worker pool, not restarted, reconnects through the Service name, and so does the system worker", async () => {
    const [old] = cluster.pods("Deployment/temporal-frontend");
    const [workerPod] = cluster.pods("Deployment/temporal-worker-greeter");
    const workerBefore = { name: workerPod.name, restarts: workerPod.restartCount, pids: processes(workerPod) };
    const otherRoles = () => rolesState().filter((role) => !role.startsWith("temporal-frontend"));
    const roles = otherRoles();
    // A batch job runs on the system worker's per-namespace batcher (service/worker/batcher, v1.31.2),
    // whose SDK client reaches the frontend through publicClient.hostPort, the Service name. The
    // batch finds its workflow through visibility, so the victim is listed before the frontend goes.
    const victim = `fe-${stamp()}-long`;
    await temporalCli(["workflow", "start", "--namespace", "default", "--task-queue", TASK_QUEUE, "--type", "sleepThenGreet", "--workflow-id", victim, "--input", '"victim"', "--input", String(10 * MINUTES)]);
    await poll(`${victim} in visibility`, async () => /"count":\s*"?1"?\s*[,}]/.test(await temporalCli(["workflow", "count", "--namespace", "default", "--query", `WorkflowId = '${victim}'`, "--output", "json"])));
    const deleting = Date.now();
    await cluster.deletePod(old);
    const back = Date.now();
    const [fresh] = cluster.pods("Deployment/temporal-frontend");
    expect(fresh.address.ip).not.toBe(old.address.ip);
    let served = 0;
    let batched = 0;
    const [run] = (await Promise.all([
      workerClient(cluster, ["run", ...on(TASK_QUEUE), "--workflow-id", `fe-${stamp()}`, "--name", "after-frontend"]).then((answer) => {
        served = Date.now();
        return answer;
      }),
      (async () => {
        await temporalCli(["workflow", "terminate", "--namespace", "default", "--query", `WorkflowId = '${victim}'`, "--reason", "batch after the frontend loss", "--yes"]);
        await poll(`${victim} terminated by the batch`, async () => /TERMINATED/i.test(await temporalCli(["workflow", "describe", "--namespace", "default", "--workflow-id", victim, "--output", "json"])));
        batched = Date.now();
      })(),
    ])) as [{ result: string }, void];
    expect(run.result).toContain("Hello, after-frontend");
    expect(run.result).toContain(workerPod.hostname);
    const [workerAfter] = cluster.pods("Deployment/temporal-worker-greeter");
    expect({ name: workerAfter.name, restarts: workerAfter.restartCount }).toEqual({ name: workerBefore.name, restarts: workerBefore.restarts });
    expect(workerBefore.pids.filter((pid) => !existsSync(`/proc/${pid}`)), "the worker pool's processes live on").toEqual([]);
    expect(otherRoles()).toEqual(roles);
    console.log(`frontend: ${old.address.ip} -> ${fresh.address.ip}, ready ${back - deleting} ms after the delete; the worker pool served ${served - back} ms later, the system worker's batch was done ${batched - back} ms later`);
  }, 10 * MINUTES);

  it("applies a dynamic config change to the running server without restarting it", async () => {
    const before = rolePods().map((pod) => `${pod.name}:${pod.restartCount}`);
    const longId = "x".repeat(40);
    const address = String(synth.outputs.frontendAddress);
    // Accepted under the default limit (1000) ...
    await workerClient(cluster, ["run", "--address", address, "--namespace", "default", "--task-queue", TASK_QUEUE, "--workflow-id", `${longId}-before`, "--name", "limit"]);
    synth = synthesize({ "limit.maxIDLength": [{ value: 30 }] });
    const changed = await cluster.apply(synth);
    expect(changed.filter((key) => !key.startsWith("ConfigMap/"))).toEqual([]);
    // The server polls the file every pollInterval (10 s in the kit's config); the kubelet's own sync adds up to a minute on a real cluster.
    let refused = "";
    for (let attempt = 0; attempt < 30 && !refused; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      // Only started, never awaited: the limit also covers the worker's identity ("Identity length
      // exceeds limit."), so a workflow the frontend accepted just before its reload cannot complete.
      const result = await cluster.runClient([process.execPath, join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(ROOT, "test", "real", "worker", "client.ts"), "start", "--address", address, "--namespace", "default", "--task-queue", TASK_QUEUE, "--workflow-id", `${longId}-${attempt}`, "--name", "limit"]);
      if (result.code !== 0) refused = result.stderr + result.stdout;
    }
    // ... refused once a role reads the new file. Each role polls on its own clock, so either the frontend refuses
    // (service/frontend/errors.go errWorkflowIDTooLong, "WorkflowId length exceeds limit.") or, when history reloaded
    // first, history does (service/history/api/create_workflow_util.go, "WorkflowId exceeds length limit."), v1.31.2.
    expect(refused).toMatch(/WorkflowId (length exceeds|exceeds length) limit\./);
    expect(rolePods().map((pod) => `${pod.name}:${pod.restartCount}`)).toEqual(before);
  }, 10 * MINUTES);

  it("tears everything down and leaves no process behind", async () => {
    const runDir = cluster.runDir;
    const podProcesses = cluster.allPods().flatMap((pod) => PodNetwork.pidsIn(pod.address.netns));
    expect(podProcesses.length).toBeGreaterThan(0);
    await cluster.down();
    expect(podProcesses.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
    expect(processesRootedIn(runDir)).toEqual([]);
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toMatch(/tkpod-/);
    expect(existsSync("/sys/class/net/tkbr0")).toBe(false);
  }, 5 * MINUTES);
});
