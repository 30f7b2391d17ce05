import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace, OutputMap, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kitConfigOf, parseStackConfig } from "../../components/config/parse";
import { readStackFile } from "../../tools/synth/stackFile";
import { PROJECT_ROOT } from "../helpers/synthRuns";

/**
 * `pulumi up` of the dev stack on a real local cluster, then proof that Temporal answers.
 *
 * Opt-in only: it needs a local Kubernetes cluster as kubectl's current context, kubectl and the
 * Pulumi CLI, and takes minutes. TEMPORAL_KIT_E2E_KEEP=1 leaves the stack up for inspection;
 * TEMPORAL_KIT_E2E_CONTEXT=<name> accepts a kube context whose name does not look local.
 */

const ENABLED = process.env.TEMPORAL_KIT_E2E === "1";
const KEEP = process.env.TEMPORAL_KIT_E2E_KEEP === "1";
const SKIP_REASON =
  "skipped: set TEMPORAL_KIT_E2E=1 with a local Kubernetes cluster (kind, minikube, Docker Desktop) as kubectl's current context, kubectl and the Pulumi CLI on PATH to run (state goes to a local file backend)";

if (!ENABLED) console.warn(`test/e2e/localCluster.e2e.test.ts ${SKIP_REASON}`);

const STACK = "dev";
const STACK_FILE = join(PROJECT_ROOT, "stacks", `Pulumi.${STACK}.yaml`);
const MINUTES = 60_000;

// Contexts that the usual local cluster tools create; anything else could be a shared cluster.
const LOCAL_CONTEXT = /^(kind-.+|k3d-.+|minikube|docker-desktop|rancher-desktop|orbstack|colima(-.+)?)$/;

describe.skipIf(!ENABLED)("dev stack on a local Kubernetes cluster", () => {
  // Vitest collects a skipped suite's body too: everything with side effects waits for beforeAll.
  let expected: Expectations;
  let stackFileBefore: string;
  let backendUrl: string;
  let stack: Stack | undefined;
  let outputs: OutputMap = {};

  beforeAll(async () => {
    expected = expectationsFromStackFile();
    stackFileBefore = readFileSync(STACK_FILE, "utf8");
    await requireLocalKubeContext();
    backendUrl = localBackendUrl();
    console.log(`e2e: Pulumi state in ${backendUrl}`);
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: STACK, workDir: PROJECT_ROOT },
      { envVars: pulumiEnv(backendUrl) },
    );
    outputs = (await stack.up({ onOutput: streamToStdout })).outputs;
  }, 30 * MINUTES);

  afterAll(async () => {
    if (!stack) return;
    if (KEEP) {
      console.warn(
        `e2e: TEMPORAL_KIT_E2E_KEEP=1, stack left up; remove it with: PULUMI_BACKEND_URL=${backendUrl} PULUMI_CONFIG_PASSPHRASE=<same, empty by default> pulumi destroy --stack ${STACK} --cwd ${PROJECT_ROOT}` +
          ` (${STACK_FILE} keeps the encryption salt it needs until then; do not commit it)`,
      );
      return;
    }
    await stack.destroy({ onOutput: streamToStdout });
    await stack.workspace.removeStack(STACK);
    restoreStackFile(stackFileBefore);
  }, 30 * MINUTES);

  it("publishes the frontend address, Kubernetes namespace and Temporal namespaces", () => {
    expect(outputs.frontendAddress?.value).toMatch(/:7233$/);
    expect(outputs.kubernetesNamespace?.value).toBe(expected.namespace);
    expect(outputs.temporalNamespaces?.value).toContain("default");
  });

  it("serves gRPC on the frontend", async () => {
    const result = await runAdminTools(expected, ["temporal", "operator", "cluster", "health", "--address", frontendAddress(outputs)]);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain("SERVING");
  }, 15 * MINUTES);

  it("has registered the default namespace", async () => {
    const result = await runAdminTools(expected, [
      "temporal", "operator", "namespace", "describe", "--namespace", "default", "--address", frontendAddress(outputs),
    ]);
    expect(result.exitCode, result.output).toBe(0);
  }, 15 * MINUTES);
});

interface Expectations {
  namespace: string;
  adminToolsImage: string;
}

/** What the dev stack file says, read through the kit's own config parser. */
function expectationsFromStackFile(): Expectations {
  const config = parseStackConfig(kitConfigOf(readStackFile(STACK_FILE).config), STACK_FILE);
  return { namespace: config.kubernetes.namespace, adminToolsImage: config.temporal.adminToolsImage };
}

/**
 * A file backend of its own by default: the test destroys the stack it ran, which must never be
 * someone's real `dev` stack in ~/.pulumi or Pulumi Cloud.
 */
function localBackendUrl(): string {
  const given = process.env.PULUMI_BACKEND_URL;
  if (given) {
    if (!given.startsWith("file://")) throw new Error(`PULUMI_BACKEND_URL must be a local file:// backend for the e2e test, got ${given}`);
    return given;
  }
  const dir = join(tmpdir(), "temporal-kit-e2e-state");
  mkdirSync(dir, { recursive: true });
  return `file://${dir}`;
}

function pulumiEnv(backendUrl: string): Record<string, string> {
  const env: Record<string, string> = { PULUMI_BACKEND_URL: backendUrl };
  // The passphrase secrets provider needs one to be set, and an empty one is allowed.
  if (process.env.PULUMI_CONFIG_PASSPHRASE === undefined && process.env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
    env.PULUMI_CONFIG_PASSPHRASE = "";
  }
  return env;
}

/** The dev stack names no kube context, so it deploys wherever kubectl currently points. */
async function requireLocalKubeContext(): Promise<void> {
  const result = await kubectl(["config", "current-context"], 30_000);
  const context = result.output.trim();
  if (result.exitCode !== 0) throw new Error(`kubectl has no current context: ${context}`);
  if (!LOCAL_CONTEXT.test(context) && process.env.TEMPORAL_KIT_E2E_CONTEXT !== context) {
    throw new Error(
      `kube context "${context}" does not look like a local cluster; switch to one, or set TEMPORAL_KIT_E2E_CONTEXT=${context} if it is`,
    );
  }
}

function frontendAddress(stackOutputs: OutputMap): string {
  const address = stackOutputs.frontendAddress?.value;
  if (typeof address !== "string") throw new Error("the stack published no frontendAddress");
  return address;
}

/** A one-off pod in the cluster's namespace, since the frontend address only resolves in-cluster. */
function runAdminTools(expected: Expectations, command: string[]): Promise<CommandResult> {
  const pod = `temporal-kit-e2e-${Date.now().toString(36)}`;
  return kubectl(
    [
      "run", pod,
      "--namespace", expected.namespace,
      "--image", expected.adminToolsImage,
      "--restart=Never",
      "--rm", "--attach", "--quiet",
      // The first pull of the admin-tools image can take minutes on a fresh cluster.
      "--pod-running-timeout=10m",
      "--command", "--",
      ...command,
    ],
    12 * MINUTES,
  );
}

interface CommandResult {
  exitCode: number;
  /** stdout then stderr, for assertion messages. */
  output: string;
}

function kubectl(args: string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile("kubectl", args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      const output = [stdout, stderr, error && !stderr ? error.message : ""].filter(Boolean).join("\n");
      resolve({ exitCode, output });
    });
  });
}

function streamToStdout(text: string): void {
  process.stdout.write(text);
}

/**
 * `pulumi stack init` with the passphrase provider writes its salt into the stack file. Once the
 * stack is gone the salt is useless, and the shipped file goes back to what it was, unless it
 * changed in other ways meanwhile (someone's edit), which is left alone.
 */
function restoreStackFile(before: string): void {
  const now = readFileSync(STACK_FILE, "utf8");
  if (now === before) return;
  if (withoutSalt(now) === withoutSalt(before)) {
    writeFileSync(STACK_FILE, before);
  } else {
    console.warn(`e2e: ${STACK_FILE} changed during the run beyond Pulumi's encryption salt; left as it is`);
  }
}

const withoutSalt = (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.startsWith("encryptionsalt:"))
    .join("\n");
