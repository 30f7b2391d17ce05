import type * as pulumi from "@pulumi/pulumi";
import type { AzureStorePlacement } from "../azureStoreArgs";
import type { ManagedStore } from "../contract";
import type { AzureMysqlConfig, AzurePostgresConfig } from "./config";
import { MysqlFlexibleServer } from "./mysqlFlexibleServer";
import { PostgresFlexibleServer } from "./postgresFlexibleServer";

/** A Flexible Server for the default store or for visibility beside Cassandra, as the Kubernetes side consumes it. */
export function flexibleServerOnAzure(
  name: string,
  placement: AzureStorePlacement,
  server: AzureMysqlConfig | AzurePostgresConfig,
  maxConnections: number,
  opts: pulumi.ComponentResourceOptions,
): ManagedStore & { kind: "sql" } {
  const common = {
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    vnetId: placement.network.vnetId,
    clientVnetIds: placement.clusterVnetIds,
    skuName: server.skuName,
    tier: server.tier,
    storageGb: server.storageGb,
    highAvailability: server.highAvailability,
    geoRedundantBackup: server.geoRedundantBackup,
    backupRetentionDays: server.backupRetentionDays,
    administratorLogin: server.user,
    maxConnections,
    databases: [server.database, server.visibilityDatabase],
    tags: placement.tags,
  };
  const instance =
    server.hosting === "azure-mysql"
      ? new MysqlFlexibleServer(name, { ...common, version: server.version, delegatedSubnetId: placement.network.subnetIds.mysql }, opts)
      : new PostgresFlexibleServer(name, { ...common, version: server.version, delegatedSubnetId: placement.network.subnetIds.postgres }, opts);
  return { kind: "sql", engine: server.engine, host: instance.host, port: instance.port, password: instance.password, caBundle: instance.caBundle, ready: [...instance.ready, ...placement.peered] };
}
