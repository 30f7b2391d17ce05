import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/parse";
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

/** Where `pulumi up` and kubectl reach the EKS API from, which staging and production must name. */
const DEPLOYERS = ["198.51.100.0/27"];
/** Valid apart from what a test sets: outside dev the cluster's public API endpoint names who reaches it. */
const onAws = (environment: string, persistence: Record<string, unknown>, eks: Record<string, unknown> = {}) => ({
  environment,
  platform: "aws-eks",
  persistence: { hosting: "rds", ...persistence },
  aws: { eks: { ...(environment === "dev" ? {} : { publicAccessCidrs: DEPLOYERS }), ...eks } },
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
      expect.stringMatching(/^stacks\/Pulumi\.catalog\.yaml: temporal-kit:persistence\.engineVersion: given "8\.0"; must be one of the MySQL major versions RDS creates under standard support: 8\.4 .*RDS Extended Support, billed extra .*acceptExtendedSupport: true/),
    ]);
    expect(parseStackConfig(onAws("production", { engineVersion: "8.0", acceptExtendedSupport: true }), SOURCE).persistence).toMatchObject({ engineVersion: "8.0" });
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

const EKS_PRICE =
  '$0.60 per cluster hour instead of $0.10 (AWS Containers blog "Amazon EKS extended support for Kubernetes versions pricing", ' +
  "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/, and https://aws.amazon.com/eks/pricing/)";

describe("EKS Kubernetes versions", () => {
  it("refuses 1.33 outside dev with the stack file, the key, the value given, the versions under standard support and the price of extended support", () => {
    expect(messagesOf(onAws("staging", {}, { kubernetesVersion: "1.33" }))).toEqual([
      `${SOURCE}: temporal-kit:aws.eks.kubernetesVersion: given "1.33"; must be one of the Kubernetes versions under EKS standard support: 1.35, 1.36 ` +
        "(the Amazon EKS Kubernetes release calendar, read 2026-12-03); EKS 1.33 left standard support on 2026-07-29: a cluster on it runs under EKS extended support (until 2027-07-29), " +
        `billed at ${EKS_PRICE}, which only dev accepts unless aws.eks.acceptExtendedSupport is true ` +
        "(for a cluster that must climb to a supported version one minor at a time, as EKS upgrades)",
    ]);
    expect(messagesOf(onAws("production", {}, { kubernetesVersion: "1.34" }))).toEqual([
      expect.stringMatching(/^stacks\/Pulumi\.catalog\.yaml: temporal-kit:aws\.eks\.kubernetesVersion: given "1\.34"; must be one of .*: 1\.35, 1\.36 .*EKS 1\.34 left standard support on 2026-12-02/),
    ]);
  });

  it("lets a cluster made on the old 1.33 preset climb one minor at a time outside dev once its stack accepts extended support", () => {
    for (const kubernetesVersion of ["1.33", "1.34", "1.35"]) {
      expect(parseStackConfig(onAws("production", {}, { kubernetesVersion, acceptExtendedSupport: true }), SOURCE).aws?.eks).toMatchObject({ kubernetesVersion });
    }
    expect(messagesOf(onAws("production", {}, { kubernetesVersion: "1.31", acceptExtendedSupport: true }))).toEqual([expect.stringContaining("EKS no longer creates clusters on 1.31")]);
  });

  it("lets dev pay for extended support, but not create a cluster on a version EKS retired", () => {
    expect(parseStackConfig(onAws("dev", {}, { kubernetesVersion: "1.33" }), SOURCE).aws?.eks).toMatchObject({ mode: "create", kubernetesVersion: "1.33" });
    expect(messagesOf(onAws("dev", {}, { kubernetesVersion: "1.31" }))).toEqual([
      `${SOURCE}: temporal-kit:aws.eks.kubernetesVersion: given "1.31"; must be one of the Kubernetes versions EKS creates clusters on: 1.35, 1.36 under standard support, ` +
        `1.32, 1.33, 1.34 under extended support at ${EKS_PRICE} (the Amazon EKS Kubernetes release calendar, read 2026-12-03); EKS no longer creates clusters on 1.31: its extended support ended on 2026-11-26`,
    ]);
  });

  it.each(ENVIRONMENTS)("accepts the %s preset's version and every one under standard support", (environment) => {
    expect(parseStackConfig(onAws(environment, {}), SOURCE).aws?.eks).toMatchObject({ mode: "create", kubernetesVersion: "1.36" });
    expect(parseStackConfig(onAws(environment, {}, { kubernetesVersion: "1.35" }), SOURCE).aws?.eks).toMatchObject({ kubernetesVersion: "1.35" });
  });

  it("leaves a malformed version to the schema's own message", () => {
    expect(messagesOf(onAws("staging", {}, { kubernetesVersion: "1.36.2" }))).toEqual([
      `${SOURCE}: temporal-kit:aws.eks.kubernetesVersion: given "1.36.2"; must be an EKS Kubernetes minor version such as 1.36`,
    ]);
  });
});

describe("AKS Kubernetes versions", () => {
  const aks = (environment: string, kubernetesVersion: string) => {
    const raw = onAzure(environment, { hosting: "azure-mysql" });
    return { ...raw, azure: { ...raw.azure, aks: { ...raw.azure.aks, kubernetesVersion } } };
  };

  it.each(ENVIRONMENTS)("refuses 1.33 in %s: past its end of life AKS creates it only on the Premium tier, which the kit's clusters do not use", (environment) => {
    expect(messagesOf(aks(environment, "1.33"))).toEqual([
      `${SOURCE}: temporal-kit:azure.aks.kubernetesVersion: given "1.33"; must be one of the Kubernetes versions AKS creates clusters on under community support: 1.35, 1.36, 1.37 ` +
        "(the AKS Kubernetes release calendar, read 2026-12-03); AKS 1.33 reached its end of life on 2026-07-31, and AKS creates a cluster on it only with long-term support (until 2027-07-31), " +
        "which needs the Premium tier, billed per cluster hour (https://azure.microsoft.com/pricing/details/kubernetes-service/), and the AKSLongTermSupport plan: " +
        "the kit's clusters are on the Free or Standard tier, where AKS refuses it (K8sVersionNotSupported)",
    ]);
  });

  it("refuses a version past long-term support", () => {
    expect(messagesOf(aks("dev", "1.31"))).toEqual([
      `${SOURCE}: temporal-kit:azure.aks.kubernetesVersion: given "1.31"; must be one of the Kubernetes versions AKS creates clusters on under community support: 1.35, 1.36, 1.37 ` +
        "(the AKS Kubernetes release calendar, read 2026-12-03); AKS no longer creates clusters on 1.31: its long-term support ended on 2026-11-30",
    ]);
  });

  it.each(ENVIRONMENTS)("accepts the %s preset's version and every one in community support", (environment) => {
    expect(parseStackConfig(onAzure(environment, { hosting: "azure-mysql" }), SOURCE).azure?.aks).toMatchObject({ mode: "create", kubernetesVersion: "1.36" });
    expect(parseStackConfig(aks(environment, "1.37"), SOURCE).azure?.aks).toMatchObject({ kubernetesVersion: "1.37" });
  });
});
