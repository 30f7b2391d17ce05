import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, OutputMap, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kitConfigOf, parseStackConfig } from "../../components/config/load";
import { readStackFile } from "../../tools/synth/stackFile";
import { PROJECT_ROOT } from "../helpers/synthRuns";

/**
 * `pulumi up` of the dev stack on a real local cluster (kind, minikube, Docker Desktop) through
 * the Automation API, then a health check of the deployed Temporal. It needs the Pulumi CLI, a
 * backend (`pulumi login --local`), kubectl and a cluster as the current context, so it only runs
 * when asked for.
 */
const ENABLED = process.env.TEMPORAL_KIT_E2E === "1";
const KEEP = process.env.TEMPORAL_KIT_E2E_KEEP === "1";
const HALF_AN_HOUR = 30 * 60_000;
const SKIP_REASON =
  "skipped: set TEMPORAL_KIT_E2E=1 with a local Kubernetes cluster as kubectl's current context, kubectl, " +
  "and the Pulumi CLI logged in (pulumi login --local; PULUMI_CONFIG_PASSPHRASE for its secrets)";

if (!ENABLED) console.warn(`local cluster e2e ${SKIP_REASON}`);

const devConfig = parseStackConfig(kitConfigOf(readStackFile(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml")).config), "stacks/Pulumi.dev.yaml");
const streamOutput = (line: string) => process.stdout.write(line);

describe.skipIf(!ENABLED)("the dev stack on a local Kubernetes cluster", () => {
  let stack: Stack | undefined;
  let outputs: OutputMap;

  beforeAll(async () => {
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", workDir: PROJECT_ROOT },
      { envVars: { PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "" } },
    );
    ({ outputs } = await stack.up({ onOutput: streamOutput }));
  }, HALF_AN_HOUR);

  afterAll(async () => {
    if (stack && !KEEP) await stack.destroy({ onOutput: streamOutput });
  }, HALF_AN_HOUR);

  it("outputs the frontend address, the Kubernetes namespace and the Temporal namespaces", () => {
    expect(outputs.frontendAddress.value).toMatch(/:7233$/);
    expect(outputs.kubernetesNamespace.value).toBe(devConfig.kubernetes.namespace);
    expect(outputs.temporalNamespaces.value).toContain("default");
  });

  it(
    "serves a healthy cluster in which the default namespace exists",
    async () => {
      const address = outputs.frontendAddress.value as string;
      const check = [
        `temporal operator cluster health --address ${address}`,
        `temporal operator namespace describe --namespace default --address ${address}`,
      ].join(" && ");
      const { stdout } = await promisify(execFile)(
        "kubectl",
        [
          "run", `temporal-kit-e2e-${Date.now()}`, "--rm", "-i", "--restart=Never", "--quiet",
          "--namespace", devConfig.kubernetes.namespace,
          "--image", devConfig.temporal.adminToolsImage,
          "--pod-running-timeout=5m",
          "--command", "--", "sh", "-c", check,
        ],
        { timeout: 10 * 60_000 },
      );
      expect(stdout).toMatch(/SERVING/);
      expect(stdout).toMatch(/default/);
    },
    15 * 60_000,
  );
});
