import { z } from "zod";
import { sqlIdentifier, sqlPool } from "../../config/primitives";
import type { Environment } from "../../config/schema";
import { SQL_ACCOUNT } from "../sql/config";

/** Premium SSD disk sizes, the only sizes PostgreSQL Flexible Server takes (4 TiB is also accepted as 4095, which keeps scaling online). */
export const POSTGRES_STORAGE_SIZES_GB = [32, 64, 128, 256, 512, 1024, 2048, 4095, 4096, 8192, 16384, 32767];

const flexibleServer = {
  skuName: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, "must be a Flexible Server SKU such as Standard_D4ads_v5").meta({ description: "The server's compute size, such as Standard_D4ads_v5; it must be a size the service offers on the chosen tier." }),
  tier: z.enum(["Burstable", "GeneralPurpose", "MemoryOptimized"]).meta({ description: "The Flexible Server pricing tier that skuName belongs to: Burstable in the dev and staging presets, GeneralPurpose in production." }),
  storageGb: z.number().int().min(20).max(16384).meta({ description: "The server's storage, in GB; PostgreSQL takes only the Premium SSD disk sizes." }),
  /** Zone-redundant standby. */
  highAvailability: z.boolean().meta({ description: "A zone-redundant standby server; on in the production preset." }),
  geoRedundantBackup: z.boolean().meta({ description: "Geo-redundant backups for the server; on in the production preset." }),
  backupRetentionDays: z.number().int().min(1).max(35).meta({ description: "Days of automated backups the service keeps." }),
  user: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, "must be an administrator login (letters, digits, _)").meta({ description: "The server's administrator login, which Temporal connects as." }),
  database: sqlIdentifier.meta({ description: "The database holding Temporal's state." }),
  visibilityDatabase: sqlIdentifier.meta({ description: "The database holding the visibility records, on the same server." }),
  pool: sqlPool,
};

export const azureMysql = z.strictObject({
  hosting: z.literal("azure-mysql").meta({ description: "Azure Database for MySQL Flexible Server (azure-aks)." }),
  engine: z.literal("mysql8").meta({ description: "Temporal's MySQL 8 plugin, the only one for this store." }),
  version: z.enum(["8.0.21", "8.4"]).meta({ description: "The MySQL version the server runs; the presets use 8.0.21, the version the Flexible Server API lists." }),
  ...flexibleServer,
});

export const azurePostgres = z.strictObject({
  hosting: z.literal("azure-postgres").meta({ description: "Azure Database for PostgreSQL Flexible Server (azure-aks)." }),
  engine: z.literal("postgres12").meta({ description: "Temporal's PostgreSQL plugin (postgres12), the only one for this store." }),
  version: z.enum(["14", "15", "16", "17"]).meta({ description: "The PostgreSQL major version the server runs." }),
  ...flexibleServer,
});
export type AzureMysqlConfig = z.infer<typeof azureMysql>;
export type AzurePostgresConfig = z.infer<typeof azurePostgres>;

/**
 * Sized like RDS (production 4 vCPU / 16 GiB General Purpose, zone-redundant, geo backups). Every
 * size is one the service offers (azureSkus.ts): MySQL's General Purpose tier has
 * Standard_D4ads_v5 but not PostgreSQL's Standard_D4ds_v5.
 */
type Flexible = "azure-mysql" | "azure-postgres";
const flexible = (hosting: Flexible, skuName: string, tier: "Burstable" | "GeneralPurpose", storageGb: number, production: boolean): AzureMysqlConfig | AzurePostgresConfig =>
  ({
    hosting,
    // 8.0.21 is the MySQL version the Flexible Server API lists; 8.4 is not in the SDK's enum yet.
    ...(hosting === "azure-mysql" ? { engine: "mysql8", version: "8.0.21" } : { engine: "postgres12", version: "16" }),
    skuName,
    tier,
    storageGb,
    highAvailability: production,
    geoRedundantBackup: production,
    backupRetentionDays: production ? 14 : 7,
    ...SQL_ACCOUNT,
  }) as AzureMysqlConfig | AzurePostgresConfig;

export const AZURE_MYSQL_PRESETS = {
  dev: flexible("azure-mysql", "Standard_B1ms", "Burstable", 32, false) as AzureMysqlConfig,
  staging: flexible("azure-mysql", "Standard_B2ms", "Burstable", 64, false) as AzureMysqlConfig,
  production: flexible("azure-mysql", "Standard_D4ads_v5", "GeneralPurpose", 256, true) as AzureMysqlConfig,
} satisfies Record<Environment, AzureMysqlConfig>;

export const AZURE_POSTGRES_PRESETS = {
  dev: flexible("azure-postgres", "Standard_B1ms", "Burstable", 32, false) as AzurePostgresConfig,
  staging: flexible("azure-postgres", "Standard_B2ms", "Burstable", 64, false) as AzurePostgresConfig,
  production: flexible("azure-postgres", "Standard_D4ds_v5", "GeneralPurpose", 256, true) as AzurePostgresConfig,
} satisfies Record<Environment, AzurePostgresConfig>;
