/**
 * The compute sizes Azure's database services offer, per service and tier, kept as data so that a
 * size a service does not sell (Standard_D4ds_v5 on MySQL Flexible Server, a D-series VM for
 * Managed Instance for Apache Cassandra) fails in config: Pulumi's mocks accept any string, and
 * Azure refuses it only when the deployment reaches the server.
 *
 * Read 2026-12-03 from Microsoft's documentation sources (MicrosoftDocs/azure-databases-docs, the
 * repository behind the Microsoft Learn pages named):
 * - MySQL: "Azure Database for MySQL - Flexible Server service tiers",
 *   learn.microsoft.com/azure/mysql/flexible-server/concepts-service-tiers-storage
 *   (articles/mysql/flexible-server/concepts-service-tiers-storage.md, ms.date 11/25/2025, commit
 *   1442950f). Its third tier is "Memory-Optimized" (formerly "Business Critical"), the API's
 *   `MemoryOptimized`. General Purpose is Dadsv5 and Ddsv4 only: no Ddsv5 (Standard_D4ds_v5) sizes.
 * - PostgreSQL: "Compute options in Azure Database for PostgreSQL",
 *   learn.microsoft.com/azure/postgresql/flexible-server/concepts-compute
 *   (articles/postgresql/flexible-server/concepts-compute.md, commit c6ca3193). Its size table
 *   has typos that this list reads by the series the page names: "D16ds_v5 / D16ds_v5" as D16ds_v5
 *   and D16ads_v5, "E16ds_v5 / E16ds_v5" as E16ds_v5 and E16ads_v5, "E32ds_v5 / D32ads_v5" as
 *   E32ds_v5 and E32ads_v5, "E64ds_v5 / E64ads_v4" as E64ds_v5 and E64ads_v5.
 * - Managed Instance for Apache Cassandra: "Quickstart: Create an Azure Managed Instance for
 *   Apache Cassandra cluster using Azure CLI",
 *   learn.microsoft.com/azure/managed-instance-apache-cassandra/create-cluster-cli
 *   (articles/managed-instance-apache-cassandra/create-cluster-cli.md, ms.date 06/09/2025, commit
 *   2d9647fb): "Choose the value for --sku from the following available VM sizes" lists
 *   Standard_E8s_v5, E16s_v5, E20s_v5 and E32s_v5. The older sizes that "Best practices for optimal
 *   performance" (best-practice-performance.md, 06/05/2025) lists as targets for changing an
 *   existing data center's size (Esv4, DSv2, Dsv4, and the preview L-series) are not taken for new
 *   data centers. That page also advises at least 16 cores for most workloads.
 * Cosmos DB for Apache Cassandra is sized in RU/s, not VM sizes, so it has no list here.
 * Region availability still varies; these lists say what the service sells, not where.
 */

export type FlexibleService = "mysql" | "postgres";
export type FlexibleTier = "Burstable" | "GeneralPurpose" | "MemoryOptimized";

export const AZURE_SKUS_READ_ON = "2026-12-03";

/** Sizes of one VM series: `Standard_` + prefix + vCPUs + suffix, such as Standard_D4ads_v5. */
interface Series {
  prefix: string;
  sizes: number[];
  suffix: string;
}
const series = (prefix: string, sizes: number[], suffix: string): Series => ({ prefix, sizes, suffix });

const BURSTABLE = [series("B", [1], "ms"), series("B", [2], "s"), series("B", [2, 4, 8, 12, 16, 20], "ms")];

const FLEXIBLE: Record<FlexibleService, { name: string; source: string; tiers: Record<FlexibleTier, Series[]> }> = {
  mysql: {
    name: "Azure Database for MySQL Flexible Server",
    source: 'Microsoft Learn "Azure Database for MySQL - Flexible Server service tiers", read 2026-12-03',
    tiers: {
      Burstable: BURSTABLE,
      GeneralPurpose: [series("D", [2, 4, 8, 16, 32, 48, 64, 96], "ads_v5"), series("D", [2, 4, 8, 16, 32, 48, 64], "ds_v4")],
      MemoryOptimized: [
        series("E", [2, 4, 8, 16, 20, 32, 48, 64, 96], "ads_v5"),
        series("E", [2, 4, 8, 16, 20, 32, 48, 64], "ds_v5"),
        series("E", [2, 4, 8, 16, 20, 32, 48, 64], "ds_v4"),
        series("E", [80], "ids_v4"),
      ],
    },
  },
  postgres: {
    name: "Azure Database for PostgreSQL Flexible Server",
    source: 'Microsoft Learn "Compute options in Azure Database for PostgreSQL", read 2026-12-03',
    tiers: {
      Burstable: BURSTABLE,
      GeneralPurpose: [
        series("D", [2, 4, 8, 16, 32, 48, 64, 96, 128, 192], "ds_v6"),
        series("D", [2, 4, 8, 16, 32, 48, 64, 96], "ads_v6"),
        series("D", [2, 4, 8, 16, 32, 48, 64, 96], "ds_v5"),
        series("D", [2, 4, 8, 16, 32, 48, 64, 96], "ads_v5"),
        series("D", [2, 4, 8, 16, 32, 48, 64], "ds_v4"),
        series("D", [2, 4, 8, 16, 32, 48, 64], "s_v3"),
      ],
      MemoryOptimized: [
        series("E", [2, 4, 8, 16, 20, 32, 48, 64, 96, 128, 192], "ds_v6"),
        series("E", [2, 4, 8, 16, 20, 32, 48, 64, 96], "ads_v6"),
        series("E", [2, 4, 8, 16, 20, 32, 48, 64, 96], "ds_v5"),
        series("E", [2, 4, 8, 16, 20, 32, 48, 64, 96], "ads_v5"),
        series("E", [2, 4, 8, 16, 20, 32, 48, 64], "ds_v4"),
        series("E", [2, 4, 8, 16, 32, 48, 64], "s_v3"),
      ],
    },
  },
};

const MANAGED_CASSANDRA = {
  name: "Azure Managed Instance for Apache Cassandra",
  source: 'Microsoft Learn "Create an Azure Managed Instance for Apache Cassandra cluster using Azure CLI", read 2026-12-03',
  sizes: [series("E", [8, 16, 20, 32], "s_v5")],
};

const namesOf = (list: Series[]) => list.flatMap(({ prefix, sizes, suffix }) => sizes.map((size) => `Standard_${prefix}${size}${suffix}`));
/** Compact and exact: Standard_D{2,4,8}ads_v5. */
const describe = (list: Series[]) =>
  list.map(({ prefix, sizes, suffix }) => (sizes.length === 1 ? `Standard_${prefix}${sizes[0]}${suffix}` : `Standard_${prefix}{${sizes.join(",")}}${suffix}`)).join(", ");


/** Every size a Flexible Server tier offers. */
export function flexibleServerSkus(service: FlexibleService, tier: FlexibleTier): string[] {
  return namesOf(FLEXIBLE[service].tiers[tier]);
}

/** The VM sizes a new Managed Instance for Apache Cassandra data center can use. */
export function managedCassandraSkus(): string[] {
  return namesOf(MANAGED_CASSANDRA.sizes);
}

const TIERS: FlexibleTier[] = ["Burstable", "GeneralPurpose", "MemoryOptimized"];
const other = (service: FlexibleService): FlexibleService => (service === "mysql" ? "postgres" : "mysql");

/**
 * Why a Flexible Server of `service` would refuse `skuName` on `tier`, or undefined when it takes
 * it. The reason names the sizes the tier offers.
 */
export function flexibleServerSkuProblem(service: FlexibleService, tier: FlexibleTier, skuName: string): string | undefined {
  const { name, source, tiers } = FLEXIBLE[service];
  if (flexibleServerSkus(service, tier).includes(skuName)) return undefined;
  const allowed = `${tier} sizes ${name} offers: ${describe(tiers[tier])} (${source})`;
  const otherTier = TIERS.find((candidate) => flexibleServerSkus(service, candidate).includes(skuName));
  if (otherTier) return `is a ${otherTier} size, not ${tier}: set tier: ${otherTier}, or pick one of the ${allowed}`;
  const elsewhere = TIERS.some((candidate) => flexibleServerSkus(other(service), candidate).includes(skuName));
  const hint = elsewhere ? `; ${skuName} is a size of ${FLEXIBLE[other(service)].name} only` : "";
  return `must be one of the ${allowed}${hint}`;
}

/** Why a new Managed Instance for Apache Cassandra data center would refuse `skuName`, or undefined. */
export function managedCassandraSkuProblem(skuName: string): string | undefined {
  if (managedCassandraSkus().includes(skuName)) return undefined;
  return `must be one of the VM sizes ${MANAGED_CASSANDRA.name} offers for a new data center: ${managedCassandraSkus().join(", ")} (${MANAGED_CASSANDRA.source})`;
}
