import type { z } from "zod";
import { parseCidr, toDottedQuad } from "./ipv4";
import { POSTGRES_STORAGE_SIZES_GB } from "../stores/azure-flexible-server/config";

interface AzureRuleInput {
  environment?: string;
  platform?: unknown;
  aws?: unknown;
  azure?: {
    cosmosDbPrincipalObjectId?: unknown;
    aks?: {
      mode?: unknown;
      nodePool?: { minCount?: unknown; count?: unknown; maxCount?: unknown };
      availabilityZones?: unknown;
      privateCluster?: unknown;
      authorizedIpRanges?: unknown;
      deployerNetwork?: unknown;
      network?: unknown;
    };
  };
  persistence?: { hosting?: unknown; highAvailability?: unknown; backupRetentionDays?: unknown; multiRegionWrites?: unknown; storageGb?: unknown };
  visibility?: unknown;
  archival?: { enabled?: unknown };
  kubernetes?: { context?: unknown };
}

const AZURE_HOSTINGS = ["azure-mysql", "azure-postgres", "azure-managed-cassandra", "azure-cosmos-cassandra"];
const AZURE_SQL_HOSTINGS = ["azure-mysql", "azure-postgres"];

/**
 * What the kit creates that an existing cluster reaches over Azure networking (a firewall that admits
 * subnets, or a peering and a private DNS zone): the Azure stores and the archive storage account.
 */
function clusterReachedResources(config: AzureRuleInput): string[] {
  const visibility = config.visibility as { store?: unknown; server?: { hosting?: unknown } } | undefined;
  const hosting = config.persistence?.hosting;
  return [
    ...(typeof hosting === "string" && AZURE_HOSTINGS.includes(hosting) ? [`the default store (${hosting})`] : []),
    ...(visibility?.store === "sql-server" && AZURE_SQL_HOSTINGS.includes(String(visibility.server?.hosting)) ? [`the visibility server (${String(visibility.server?.hosting)})`] : []),
    ...(config.archival?.enabled === true ? ["the archive storage account"] : []),
  ];
}

/**
 * The application id of the "Azure Cosmos DB" first-party app, which Microsoft's Managed Instance
 * for Apache Cassandra quickstart gives as the assignee of the Network Contributor role
 * (https://learn.microsoft.com/azure/managed-instance-apache-cassandra/create-cluster-cli).
 */
export const COSMOS_DB_APP_ID = "a232010e-820c-4083-83bb-3ace5fc29d0b";

/**
 * Rules that tie the Azure keys to the platform, the data store and the environment; like the AWS
 * rules they read partially invalid input defensively.
 */
export function azureRules(config: AzureRuleInput, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  const platform = String(config.platform);
  const onAzure = platform === "azure-aks";
  const production = config.environment === "production";

  if (onAzure && !config.azure) issue(["azure"], undefined, "is required with platform azure-aks");
  if (!onAzure && config.azure) issue(["azure"], config.azure, `is only used with platform azure-aks; this stack's platform is ${platform}`);
  if (onAzure && config.aws !== undefined) issue(["aws"], config.aws, "is only used with the AWS platforms; this stack's platform is azure-aks");
  if (onAzure && config.kubernetes?.context !== undefined) {
    issue(["kubernetes", "context"], config.kubernetes.context, "must not be set with platform azure-aks: the kit builds the Kubernetes provider from the AKS cluster");
  }

  const hosting = config.persistence?.hosting;
  if (typeof hosting === "string" && AZURE_HOSTINGS.includes(hosting) && !onAzure) {
    issue(["persistence", "hosting"], hosting, `needs platform azure-aks: ${hosting} is an Azure service; this stack's platform is ${platform}`);
  }
  // Managed Cassandra deploys into the network only once the Azure Cosmos DB principal is a Network
  // Contributor on it. The network is created in the same run, so nobody can grant that beforehand;
  // the kit grants it. ARM takes the principal's object id, which differs per tenant and only
  // Microsoft Graph knows; the kit makes no Graph call (azure-native has no Graph lookup), so the
  // stack names it.
  const principal = config.azure?.cosmosDbPrincipalObjectId;
  if (onAzure && hosting === "azure-managed-cassandra" && principal === undefined) {
    issue(
      ["azure", "cosmosDbPrincipalObjectId"],
      undefined,
      "is required with azure-managed-cassandra: the object id of this tenant's Azure Cosmos DB service principal, which the kit makes a Network Contributor on the network it creates " +
        `before the cluster deploys. Find it with az ad sp show --id ${COSMOS_DB_APP_ID} --query id -o tsv ` +
        "(the app id from https://learn.microsoft.com/azure/managed-instance-apache-cassandra/create-cluster-cli)",
    );
  }
  if (principal !== undefined && config.azure !== undefined && hosting !== undefined && hosting !== "azure-managed-cassandra") {
    issue(["azure", "cosmosDbPrincipalObjectId"], principal, `is only used with persistence.hosting azure-managed-cassandra; this stack's is ${String(hosting)}`);
  }
  if (hosting === "azure-cosmos-cassandra" && config.persistence?.multiRegionWrites === true) {
    issue(
      ["persistence", "multiRegionWrites"],
      true,
      "must be false: Temporal's Cassandra store relies on lightweight transactions, which Cosmos DB only serves with writes in a single region",
    );
  }
  if (production && (hosting === "azure-mysql" || hosting === "azure-postgres")) {
    if (config.persistence?.highAvailability === false) {
      issue(["persistence", "highAvailability"], false, "must be true in production: a zone-redundant standby keeps Temporal's state through a zone outage");
    }
    const retention = config.persistence?.backupRetentionDays;
    if (typeof retention === "number" && retention < 7) issue(["persistence", "backupRetentionDays"], retention, "must be at least 7 in production");
  }

  // PostgreSQL Flexible Server offers only fixed disk sizes; another is refused by Azure mid-deploy.
  const postgresServers: [(string | number)[], { hosting?: unknown; storageGb?: unknown } | undefined][] = [
    [["persistence", "storageGb"], config.persistence],
    [["visibility", "server", "storageGb"], (config.visibility as { server?: { hosting?: unknown; storageGb?: unknown } } | undefined)?.server],
  ];
  for (const [path, server] of postgresServers) {
    if (server?.hosting === "azure-postgres" && typeof server.storageGb === "number" && !POSTGRES_STORAGE_SIZES_GB.includes(server.storageGb)) {
      issue(path, server.storageGb, `must be a size PostgreSQL Flexible Server offers: ${POSTGRES_STORAGE_SIZES_GB.join(", ")}`);
    }
  }

  const aks = config.azure?.aks;
  if (aks?.mode === "create") {
    // A private API server is reachable only from the network this very deployment creates; the
    // machine running pulumi up must be given a way in, or every Kubernetes resource fails.
    if (aks.privateCluster === true && aks.deployerNetwork === undefined) {
      issue(
        ["azure", "aks", "deployerNetwork"],
        undefined,
        "is required with privateCluster: true: the API server then has only a private address in the virtual network this stack creates, which the machine running pulumi up cannot reach on the first deployment; " +
          "set it to the virtual network pulumi up runs in ({resourceGroupName, virtualNetworkName}, e.g. a self-hosted CI runner's), which the kit peers with the stack's network and links to the API server's private DNS zone, " +
          "or set privateCluster: false with authorizedIpRanges listing the deployer's public egress ranges",
      );
    }
    if (aks.privateCluster === false && aks.deployerNetwork !== undefined) {
      issue(["azure", "aks", "deployerNetwork"], aks.deployerNetwork, "is only used with privateCluster: true; a public API server is reached through authorizedIpRanges");
    }
    if (aks.privateCluster === true && aks.authorizedIpRanges !== undefined) {
      issue(["azure", "aks", "authorizedIpRanges"], aks.authorizedIpRanges, "must be left out with privateCluster: true: authorized ranges only restrict a public API server, which a private cluster does not have");
    }
    if (Array.isArray(aks.authorizedIpRanges)) {
      aks.authorizedIpRanges.forEach((range, index) => {
        const problem = authorizedRangeProblem(range);
        if (problem) issue(["azure", "aks", "authorizedIpRanges", index], range, problem);
      });
    }
    const { minCount, count, maxCount } = aks.nodePool ?? {};
    if (typeof minCount === "number" && typeof count === "number" && typeof maxCount === "number" && !(minCount <= count && count <= maxCount)) {
      issue(["azure", "aks", "nodePool"], { minCount, count, maxCount }, "must satisfy minCount <= count <= maxCount");
    }
    if (production && Array.isArray(aks.availabilityZones) && aks.availabilityZones.length < 3) {
      issue(["azure", "aks", "availabilityZones"], aks.availabilityZones, "must list 3 zones in production");
    }
    if (production && aks.privateCluster === false && !(Array.isArray(aks.authorizedIpRanges) && aks.authorizedIpRanges.length > 0)) {
      issue(["azure", "aks", "authorizedIpRanges"], aks.authorizedIpRanges, "must list the networks allowed to reach a public API server in production (or set privateCluster: true)");
    }
  }
  if (aks?.mode === "existing") {
    const reached = clusterReachedResources(config);
    if (reached.length > 0 && aks.network === undefined) {
      issue(
        ["azure", "aks", "network"],
        undefined,
        `is required with azure.aks.mode: existing when the kit creates ${reached.join(" and ")}: ` +
          "give the cluster's virtual network and the subnets its node pools put nodes and pods in ({resourceGroupName, virtualNetworkName, subnetNames}); " +
          "the stores' firewalls admit those subnets, and the kit's store network is peered with that virtual network and its private DNS zones linked to it",
      );
    }
    if (reached.length === 0 && aks.network !== undefined) {
      issue(["azure", "aks", "network"], aks.network, "is only used when the kit creates an Azure store or archive storage for the cluster; this stack creates neither");
    }
  }
}

/** Why AKS would refuse an authorized IP range, or undefined: it must be a well-formed block given by its first address. */
function authorizedRangeProblem(range: unknown): string | undefined {
  if (typeof range !== "string") return undefined;
  let block: { base: number; prefix: number };
  try {
    block = parseCidr(range, "Authorized IP range");
  } catch (error) {
    return `must be an IPv4 CIDR block: ${(error as Error).message}`;
  }
  const size = 2 ** (32 - block.prefix);
  if (block.base % size !== 0) {
    return `must start at the first address of its block, as AKS requires: ${toDottedQuad(block.base - (block.base % size))}/${block.prefix}`;
  }
  return undefined;
}
