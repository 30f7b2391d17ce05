import { join } from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../helpers/runCommand";
import { ThrowawayStack } from "../helpers/throwawayStack";

/**
 * `pulumi up` of a throwaway staging-sized stack in a real AWS account, on EKS or on ECS Fargate,
 * then proof that Temporal runs there, then `pulumi destroy`.
 *
 * Opt-in only, and it costs money: it creates a VPC with a NAT gateway, RDS and EKS or ECS for
 * the 30-40 minutes it takes. It needs AWS credentials in the environment, the Pulumi CLI and the
 * aws CLI (plus kubectl for EKS). TEMPORAL_KIT_AWS_E2E_PLATFORM=aws-eks|aws-ecs picks the platform
 * (aws-ecs by default); TEMPORAL_KIT_AWS_E2E_REGION the region (us-east-1). On EKS the cluster's API
 * endpoint admits only this machine: TEMPORAL_KIT_AWS_E2E_DEPLOYER_CIDRS (comma-separated) names
 * its egress, or else the address AWS's checkip service sees, as a /32.
 */

const ENABLED = process.env.TEMPORAL_KIT_AWS_E2E === "1";
const PLATFORM = process.env.TEMPORAL_KIT_AWS_E2E_PLATFORM === "aws-eks" ? "aws-eks" : "aws-ecs";
const REGION = process.env.TEMPORAL_KIT_AWS_E2E_REGION ?? "us-east-1";
const SKIP_REASON =
  "skipped: set TEMPORAL_KIT_AWS_E2E=1 with AWS credentials, the Pulumi CLI and the aws CLI (kubectl for aws-eks) to deploy a throwaway staging stack to AWS and destroy it; it creates billable resources";

if (!ENABLED) console.warn(`test/e2e/aws.e2e.test.ts ${SKIP_REASON}`);

const STACK = `e2e-${PLATFORM}`;
const MINUTES = 60_000;

/** Where this machine reaches the internet from, which staging's public API endpoint must admit. */
async function deployerCidrs(): Promise<string[]> {
  const declared = process.env.TEMPORAL_KIT_AWS_E2E_DEPLOYER_CIDRS;
  if (declared) return declared.split(",").map((cidr) => cidr.trim());
  const address = (await (await fetch("https://checkip.amazonaws.com")).text()).trim();
  if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(address)) throw new Error(`checkip.amazonaws.com answered "${address}"; set TEMPORAL_KIT_AWS_E2E_DEPLOYER_CIDRS`);
  return [`${address}/32`];
}

/** Staging-sized (no deletion protection, so destroy works), in a range of its own. */
function stackFile(extra: string[] = [], deployers: string[] = []): string {
  return [
    "# Written by test/e2e/aws.e2e.test.ts and removed when it ends; never commit it.",
    "config:",
    `  aws:region: ${REGION}`,
    "  temporal-kit:environment: staging",
    `  temporal-kit:platform: ${PLATFORM}`,
    "  temporal-kit:clusterName: tke2e",
    "  temporal-kit:persistence:",
    "    hosting: rds",
    "  temporal-kit:aws:",
    "    network:",
    "      cidrBlock: 10.99.0.0/16",
    ...(PLATFORM === "aws-eks" ? ["    eks:", `      publicAccessCidrs: [${deployers.join(", ")}]`] : []),
    ...extra,
    "",
  ].join("\n");
}

describe.skipIf(!ENABLED)(`a staging stack on ${PLATFORM} in a real AWS account`, () => {
  let stack: ThrowawayStack | undefined;
  let outputs: OutputMap = {};

  beforeAll(async () => {
    stack = new ThrowawayStack(STACK, stackFile([], PLATFORM === "aws-eks" ? await deployerCidrs() : []));
    // The schema and namespace runs are part of `up`: it only succeeds once both exited 0.
    outputs = await stack.up();
  }, 60 * MINUTES);

  afterAll(async () => {
    await stack?.destroy();
  }, 60 * MINUTES);

  it("publishes the database endpoint and the frontend, never a password", () => {
    expect(outputs.databaseEndpoint?.value).toMatch(/\.rds\.amazonaws\.com:3306$/);
    expect(outputs.frontendEndpoint?.value).toMatch(/:7233$/);
    expect(JSON.stringify(outputs)).not.toMatch(/password/i);
  });

  it.runIf(PLATFORM === "aws-ecs")("runs every ECS service at its desired count", async () => {
    const cluster = String(outputs.ecsClusterName?.value);
    const list = JSON.parse((await runCommand("aws", ["ecs", "list-services", "--cluster", cluster, "--region", REGION, "--output", "json"])).output);
    const described = JSON.parse(
      (await runCommand("aws", ["ecs", "describe-services", "--cluster", cluster, "--services", ...list.serviceArns, "--region", REGION, "--output", "json"])).output,
    );
    expect(described.services.length).toBeGreaterThanOrEqual(5);
    for (const service of described.services) expect(service.runningCount, service.serviceName).toBe(service.desiredCount);
  }, 5 * MINUTES);

  it.runIf(PLATFORM === "aws-ecs")(
    "applies a dynamic config change without restarting any role task",
    async () => {
      const cluster = String(outputs.ecsClusterName?.value);
      const aws = async (...args: string[]) => JSON.parse((await runCommand("aws", [...args, "--region", REGION, "--output", "json"])).output);
      const roleServices = ((await aws("ecs", "list-services", "--cluster", cluster)).serviceArns as string[]).filter((arn) => /-(frontend|history|matching|worker)-service/.test(arn));
      const tasksOf = async () => (await Promise.all(roleServices.map(async (service) => (await aws("ecs", "list-tasks", "--cluster", cluster, "--service-name", service)).taskArns as string[]))).flat().sort();
      const before = await tasksOf();

      stack!.rewrite(stackFile(["  temporal-kit:temporal:", "    dynamicConfig:", "      frontend.namespaceRPS: 1234"]));
      await stack!.up();
      // The sidecar fetches every 30 s; give it two rounds.
      await new Promise((resolve) => setTimeout(resolve, 75_000));

      expect(await tasksOf()).toEqual(before);
      const [history] = (await aws("ecs", "describe-services", "--cluster", cluster, "--services", ...roleServices)).services.filter((service: { serviceName: string }) => service.serviceName.includes("-history-"));
      const definition = (await aws("ecs", "describe-task-definition", "--task-definition", history.taskDefinition)).taskDefinition;
      const sidecarLog = definition.containerDefinitions.find((container: { name: string }) => container.name === "dynamic-config").logConfiguration.options;
      const events = await aws("logs", "filter-log-events", "--log-group-name", sidecarLog["awslogs-group"], "--log-stream-name-prefix", sidecarLog["awslogs-stream-prefix"], "--filter-pattern", '"dynamic config updated"');
      // Once when each task started, and once more for the change.
      expect(events.events.length).toBeGreaterThanOrEqual(2 * history.runningCount);
    },
    30 * MINUTES,
  );

  it.runIf(PLATFORM === "aws-eks")("answers gRPC health through the frontend Service inside the cluster", async () => {
    const kubeconfig = join(stack!.stateDir, "kubeconfig");
    await runCommand("aws", ["eks", "update-kubeconfig", "--name", String(outputs.eksClusterName?.value), "--region", REGION, "--kubeconfig", kubeconfig]);
    const result = await runCommand("kubectl", [
      "--kubeconfig", kubeconfig, "run", `temporal-kit-e2e-${Date.now().toString(36)}`,
      "--namespace", String(outputs.kubernetesNamespace?.value),
      "--image", "temporalio/admin-tools:1.31.2", "--restart=Never", "--rm", "--attach", "--quiet",
      "--pod-running-timeout=10m", "--command", "--",
      "temporal", "operator", "cluster", "health", "--address", String(outputs.frontendAddress?.value),
    ]);
    expect(result.output).toContain("SERVING");
  }, 15 * MINUTES);
});
