import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as pulumi from "@pulumi/pulumi";
import { AZURE_DATABASE_CA_SOURCE, azureDatabaseCaBundle } from "./databaseCaBundle";
import { oneAtATime } from "../../azure/dependencies";
import { childAfter } from "../../childOptions";
import { administratorPassword, commonServerInputs, FlexibleServerArgs, privateDnsZone, validateFlexibleServer } from "./flexibleServer";
import { azureTags } from "../../azure/tags";

export interface MysqlFlexibleServerArgs extends FlexibleServerArgs {
  version: "8.0.21" | "8.4";
}

export const MYSQL_PORT = 3306;
/** MySQL Flexible Server keeps backups for 1 to 35 days. */
const RETENTION_DAYS: [number, number] = [1, 35];
const MIN_STORAGE_GB = 20;
const MAX_STORAGE_GB = 16384;

/**
 * The server parameters the kit owns: TLS required for every connection (dynamic on Azure, so it
 * holds from the first connection) and the connection limit from Temporal's connection budget.
 */
export function mysqlServerParameters(maxConnections: number): Record<string, string> {
  return { require_secure_transport: "ON", max_connections: String(maxConnections) };
}

/**
 * A MySQL Flexible Server for Temporal, reachable only inside the network: it lives in its own
 * delegated subnet, has no public endpoint, and clients find it through a private DNS zone linked
 * to the network. TLS is required, and the generated administrator password only ever travels as a
 * Pulumi secret.
 */
export class MysqlFlexibleServer extends pulumi.ComponentResource {
  readonly server: dbformysql.Server;
  readonly serverName: pulumi.Output<string>;
  /** The server's name in the private zone; clients must use it to verify the certificate. */
  readonly host: pulumi.Output<string>;
  readonly port = MYSQL_PORT;
  readonly password: pulumi.Output<string>;
  /** The server, its parameters and its databases: what Temporal must wait for before connecting. */
  readonly ready: pulumi.Resource[];
  /** The public root CAs the server's certificate chains to, as PEM. */
  readonly caBundle: string;
  readonly caBundleSource = AZURE_DATABASE_CA_SOURCE;

  constructor(name: string, args: MysqlFlexibleServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:MysqlFlexibleServer", name, {}, opts);
    validateFlexibleServer("MySQL", name, args, RETENTION_DAYS);
    if (!Number.isInteger(args.storageGb) || args.storageGb < MIN_STORAGE_GB || args.storageGb > MAX_STORAGE_GB) {
      throw new Error(`MySQL Flexible Server storage must be a whole number of GB from ${MIN_STORAGE_GB} to ${MAX_STORAGE_GB}; given ${args.storageGb}`);
    }
    const tags = azureTags(args.tags);
    this.caBundle = azureDatabaseCaBundle();
    this.password = administratorPassword(this, name, opts);
    const { zone, links } = privateDnsZone(this, name, "mysql.database.azure.com", args, tags, opts);

    this.server = new dbformysql.Server(
      `${name}-server`,
      {
        ...commonServerInputs(args, this.password),
        version: args.version,
        network: {
          delegatedSubnetResourceId: args.delegatedSubnetId,
          privateDnsZoneResourceId: zone.id,
          publicNetworkAccess: "Disabled",
        },
        tags,
      },
      // The server registers its name in the zone as it starts; clients in a network only see it once the zone is linked there.
      childAfter(this, opts, links),
    );
    this.serverName = this.server.name;
    this.host = this.server.fullyQualifiedDomainName;

    const parameters = Object.entries(mysqlServerParameters(args.maxConnections)).map(
      ([parameter, value]) => (options: pulumi.CustomResourceOptions) =>
        new dbformysql.Configuration(
          `${name}-${parameter.replace(/_/g, "-")}`,
          { resourceGroupName: args.resourceGroupName, serverName: this.server.name, configurationName: parameter, value, source: "user-override" },
          options,
        ),
    );
    const databases = args.databases.map(
      (database) => (options: pulumi.CustomResourceOptions) =>
        new dbformysql.Database(
          `${name}-db-${database}`,
          // MySQL 8's defaults, spelled out so a server default changed later does not change new databases.
          { resourceGroupName: args.resourceGroupName, serverName: this.server.name, databaseName: database, charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci" },
          options,
        ),
    );
    const children = oneAtATime<pulumi.CustomResource>(this, opts, [this.server], [...parameters, ...databases]);
    this.ready = [this.server, ...children];

    this.registerOutputs({ serverName: this.serverName, host: this.host, port: this.port });
  }
}
