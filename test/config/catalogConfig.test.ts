import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/load";
import { ENVIRONMENTS } from "../../components/config/schema";

const SOURCE = "stacks/Pulumi.catalog.yaml";

/** The stack config error's lines, as `pulumi up` prints them. */
function messagesOf(raw: Record<string, unknown>): string[] {
  try {
    parseStackConfig(raw, SOURCE);
  } catch (error) {
    if (error instanceof StackConfigError) return error.message.split("\n").slice(1).map((line) => line.trim());
    throw error;
  }
  throw new Error("config was accepted");
}

/** Valid apart from what a test sets: outside dev, the public API endpoint names who reaches it. */
const onAws = (environment: string, persistence: Record<string, unknown>) => ({
  environment,
  platform: "aws-eks",
  persistence: { hosting: "rds", ...persistence },
  ...(environment === "dev" ? {} : { aws: { eks: { publicAccessCidrs: ["198.51.100.0/27"] } } }),
});
/** Valid apart from what a test sets: production's private API server names its deployer's network, Managed Cassandra its principal. */
const onAzure = (environment: string, persistence: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  environment,
  platform: "azure-aks",
  persistence,
  azure: {
    ...(environment === "production" ? { aks: { deployerNetwork: { resourceGroupName: "ci-rg", virtualNetworkName: "ci-vnet" } } } : {}),
    ...(persistence.hosting === "azure-managed-cassandra" ? { cosmosDbPrincipalObjectId: "11111111-2222-4333-8444-555555555555" } : {}),
  },
  ...extra,
});

describe("RDS engine versions", () => {
  it("refuses 16.4 with the stack file, the key, the value given and the versions RDS creates", () => {
    expect(messagesOf(onAws("staging", { engine: "postgres12", engineVersion: "16.4" }))).toEqual([
      `${SOURCE}: temporal-kit:persistence.engineVersion: given "16.4"; must be the major version 16 without a minor: RDS creates the newest 16 minor it offers and keeps it patched, ` +
        "while a pinned minor stops being creatable about a year after its release; PostgreSQL major versions RDS creates under standard support: 14, 15, 16, 17, 18 (the RDS release calendar, read 2026-12-03)",
    ]);
  });

  it("refuses MySQL 8.0, past standard support, and the MySQL preset's version with engine postgres12", () => {
    expect(messagesOf(onAws("production", { engineVersion: "8.0" }))).toEqual([
      expect.stringMatching(/^stacks\/Pulumi\.catalog\.yaml: temporal-kit:persistence\.engineVersion: given "8\.0"; must be one of the MySQL major versions RDS creates under standard support: 8\.4 .*RDS Extended Support, billed extra$/),
    ]);
    expect(messagesOf(onAws("dev", { engine: "postgres12" }))).toEqual([
      `${SOURCE}: temporal-kit:persistence.engineVersion: given "8.4"; must be one of the PostgreSQL major versions RDS creates under standard support: 14, 15, 16, 17, 18 (the RDS release calendar, read 2026-12-03)`,
    ]);
  });

  it("accepts the presets and a PostgreSQL major", () => {
    for (const environment of ENVIRONMENTS) expect(parseStackConfig(onAws(environment, {}), SOURCE).persistence).toMatchObject({ engineVersion: "8.4" });
    expect(parseStackConfig(onAws("staging", { engine: "postgres12", engineVersion: "17" }), SOURCE).persistence).toMatchObject({ engine: "postgres12", engineVersion: "17" });
  });

  it("leaves a malformed version to the schema's own message", () => {
    expect(messagesOf(onAws("staging", { engineVersion: "latest" }))).toEqual([`${SOURCE}: temporal-kit:persistence.engineVersion: given "latest"; must be an RDS engine version such as 8.4 or 17`]);
  });
});

describe("Azure compute sizes", () => {
  it("refuses PostgreSQL's Standard_D4ds_v5 for MySQL, naming MySQL's General Purpose sizes", () => {
    expect(messagesOf(onAzure("production", { hosting: "azure-mysql", skuName: "Standard_D4ds_v5" }))).toEqual([
      `${SOURCE}: temporal-kit:persistence.skuName: given "Standard_D4ds_v5"; must be one of the GeneralPurpose sizes Azure Database for MySQL Flexible Server offers: ` +
        'Standard_D{2,4,8,16,32,48,64,96}ads_v5, Standard_D{2,4,8,16,32,48,64}ds_v4 (Microsoft Learn "Azure Database for MySQL - Flexible Server service tiers", read 2026-12-03); ' +
        "Standard_D4ds_v5 is a size of Azure Database for PostgreSQL Flexible Server only",
    ]);
  });

  it("checks a separate visibility server too, and a size on the wrong tier", () => {
    const raw = onAzure("staging", { hosting: "azure-cosmos-cassandra" }, { visibility: { store: "sql-server", server: { hosting: "azure-postgres", skuName: "Standard_D4ds_v5" } } });
    expect(messagesOf(raw)).toEqual([
      expect.stringMatching(
        /^stacks\/Pulumi\.catalog\.yaml: temporal-kit:visibility\.server\.skuName: given "Standard_D4ds_v5"; is a GeneralPurpose size, not Burstable: set tier: GeneralPurpose, or pick one of the Burstable sizes /,
      ),
    ]);
    const fixed = { ...raw, visibility: { store: "sql-server", server: { hosting: "azure-postgres", skuName: "Standard_D4ds_v5", tier: "GeneralPurpose" } } };
    expect(parseStackConfig(fixed, SOURCE).visibility).toMatchObject({ server: { skuName: "Standard_D4ds_v5", tier: "GeneralPurpose" } });
  });

  it("refuses a D-series size for Managed Instance for Apache Cassandra", () => {
    const raw = onAzure("staging", { hosting: "azure-managed-cassandra", skuName: "Standard_D8s_v5" }, { visibility: { store: "sql-server", server: { hosting: "azure-postgres" } } });
    expect(messagesOf(raw)).toEqual([
      `${SOURCE}: temporal-kit:persistence.skuName: given "Standard_D8s_v5"; must be one of the VM sizes Azure Managed Instance for Apache Cassandra offers for a new data center: ` +
        'Standard_E8s_v5, Standard_E16s_v5, Standard_E20s_v5, Standard_E32s_v5 (Microsoft Learn "Create an Azure Managed Instance for Apache Cassandra cluster using Azure CLI", read 2026-12-03)',
    ]);
  });

  it.each(ENVIRONMENTS)("accepts every Azure store preset in %s", (environment) => {
    const visibility = { visibility: { store: "sql-server", server: { hosting: "azure-mysql" } } };
    expect(() => parseStackConfig(onAzure(environment, { hosting: "azure-mysql" }), SOURCE)).not.toThrow();
    expect(() => parseStackConfig(onAzure(environment, { hosting: "azure-postgres" }), SOURCE)).not.toThrow();
    expect(() => parseStackConfig(onAzure(environment, { hosting: "azure-managed-cassandra" }, visibility), SOURCE)).not.toThrow();
  });
});
