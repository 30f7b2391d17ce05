import { join } from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COSMOS_DB_APP_ID } from "../../components/config/azureRules";
import { runCommand } from "../helpers/runCommand";
import { ThrowawayStack } from "../helpers/throwawayStack";

/**
 * `pulumi up` of a throwaway staging-sized stack in a real Azure subscription (AKS with Azure
 * Database for MySQL, or with Managed Instance for Apache Cassandra and PostgreSQL visibility),
 * then proof that Temporal answers inside the cluster, then `pulumi destroy`.
 *
 * Opt-in only, and it costs money. It needs `az login` (the azure-native provider uses the CLI's
 * credentials), the Pulumi CLI, the az CLI and kubectl. TEMPORAL_KIT_AZURE_E2E_STORE=azure-mysql |
 * azure-managed-cassandra picks the store (azure-mysql by default); the Cassandra run needs the
 * tenant's Azure Cosmos DB principal (azure.cosmosDbPrincipalObjectId in docs/platforms/azure.md), from
 * TEMPORAL_KIT_AZURE_E2E_COSMOS_PRINCIPAL or else looked up with `az ad sp show`.
 */

const ENABLED = process.env.TEMPORAL_KIT_AZURE_E2E === "1";
const STORE = process.env.TEMPORAL_KIT_AZURE_E2E_STORE === "azure-managed-cassandra" ? "azure-managed-cassandra" : "azure-mysql";
const SKIP_REASON =
  "skipped: set TEMPORAL_KIT_AZURE_E2E=1 after `az login`, with the Pulumi CLI, az and kubectl, to deploy a throwaway staging stack to Azure and destroy it; it creates billable resources";

if (!ENABLED) console.warn(`test/e2e/azure.e2e.test.ts ${SKIP_REASON}`);

const STACK = `e2e-azure-${STORE}`;
const MINUTES = 60_000;

/** The object id of the tenant's Azure Cosmos DB service principal, which Managed Cassandra's network role needs. */
async function cosmosDbPrincipal(): Promise<string> {
  const given = process.env.TEMPORAL_KIT_AZURE_E2E_COSMOS_PRINCIPAL;
  if (given) return given;
  return (await runCommand("az", ["ad", "sp", "show", "--id", COSMOS_DB_APP_ID, "--query", "id", "-o", "tsv"])).output.trim();
}

function stackFile(cosmosPrincipal: string | undefined): string {
  const cassandra = STORE === "azure-managed-cassandra";
  return [
    "# Written by test/e2e/azure.e2e.test.ts and removed when it ends; never commit it.",
    "config:",
    "  temporal-kit:environment: staging",
    "  temporal-kit:platform: azure-aks",
    "  temporal-kit:clusterName: tke2e",
    "  temporal-kit:azure:",
    "    network:",
    "      addressSpace: 10.99.0.0/16",
    ...(cassandra && cosmosPrincipal ? [`    cosmosDbPrincipalObjectId: ${cosmosPrincipal}`] : []),
    "  temporal-kit:persistence:",
    `    hosting: ${STORE}`,
    ...(cassandra ? ["  temporal-kit:visibility:", "    store: sql-server", "    server:", "      hosting: azure-postgres"] : []),
    "",
  ].join("\n");
}

describe.skipIf(!ENABLED)(`a staging stack on AKS with ${STORE} in a real Azure subscription`, () => {
  let stack: ThrowawayStack | undefined;
  let outputs: OutputMap = {};

  beforeAll(async () => {
    stack = new ThrowawayStack(STACK, stackFile(STORE === "azure-managed-cassandra" ? await cosmosDbPrincipal() : undefined));
    outputs = await stack.up();
  }, 90 * MINUTES);

  afterAll(async () => {
    await stack?.destroy();
  }, 90 * MINUTES);

  it("publishes the resource group, cluster and database endpoint, never a password", () => {
    expect(outputs.azureResourceGroup?.value).toEqual(expect.any(String));
    expect(outputs.databaseEndpoint?.value).toMatch(/:\d+$/);
    expect(JSON.stringify(outputs)).not.toMatch(/password/i);
  });

  it("answers gRPC health through the frontend Service inside the cluster", async () => {
    const kubeconfig = join(stack!.stateDir, "kubeconfig");
    await runCommand("az", ["aks", "get-credentials", "-g", String(outputs.azureResourceGroup?.value), "-n", String(outputs.aksClusterName?.value), "--file", kubeconfig]);
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
