import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as pulumi from "@pulumi/pulumi";
import { AZURE_DATABASE_CA_SOURCE, azureDatabaseCaBundle } from "./databaseCaBundle";
import { oneAtATime } from "../../azure/dependencies";
import { childAfter } from "../../childOptions";
import { administratorPassword, commonServerInputs, FlexibleServerArgs, privateDnsZone, validateFlexibleServer } from "./flexibleServer";
import { azureTags } from "../../azure/tags";
import { POSTGRES_STORAGE_SIZES_GB } from "./config";

export interface PostgresFlexibleServerArgs extends FlexibleServerArgs {
  /** A major version; Temporal's postgres12 plugin works with 12 and newer. */
  version: "12" | "13" | "14" | "15" | "16" | "17" | "18";
}

export const POSTGRES_PORT = 5432;
/** PostgreSQL Flexible Server keeps backups for 7 to 35 days. */
const RETENTION_DAYS: [number, number] = [7, 35];
const MIN_MAJOR_VERSION = 12;
/** Extensions Temporal creates: its visibility schema runs CREATE EXTENSION btree_gin. */
export const POSTGRES_EXTENSIONS = ["BTREE_GIN"];

/**
 * The server parameters the kit owns: TLS required for every connection, the connection limit from
 * Temporal's connection budget, and the extensions Temporal's schema creates, which Azure refuses
 * unless they are allow-listed. `max_connections` is static: Azure applies it at the server's next
 * restart, and nothing here restarts the server.
 */
export function postgresServerParameters(maxConnections: number): Record<string, string> {
  return {
    require_secure_transport: "on",
    max_connections: String(maxConnections),
    "azure.extensions": POSTGRES_EXTENSIONS.join(","),
  };
}

/**
 * A PostgreSQL Flexible Server for Temporal, reachable only inside the network: it lives in its own
 * delegated subnet, has no public endpoint, and clients find it through a private DNS zone linked
 * to the network. TLS is required, and the generated administrator password only ever travels as a
 * Pulumi secret.
 */
export class PostgresFlexibleServer extends pulumi.ComponentResource {
  readonly server: dbforpostgresql.Server;
  readonly serverName: pulumi.Output<string>;
  /** The server's name in the private zone; clients must use it to verify the certificate. */
  readonly host: pulumi.Output<string>;
  readonly port = POSTGRES_PORT;
  readonly password: pulumi.Output<string>;
  /** The server, its parameters and its databases: what Temporal must wait for before connecting. */
  readonly ready: pulumi.Resource[];
  /** The public root CAs the server's certificate chains to, as PEM. */
  readonly caBundle: string;
  readonly caBundleSource = AZURE_DATABASE_CA_SOURCE;

  constructor(name: string, args: PostgresFlexibleServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:PostgresFlexibleServer", name, {}, opts);
    validateFlexibleServer("PostgreSQL", name, args, RETENTION_DAYS);
    if (!/^\d+$/.test(args.version) || Number(args.version) < MIN_MAJOR_VERSION) {
      throw new Error(`PostgreSQL version "${args.version}" must be a major version, ${MIN_MAJOR_VERSION} or newer, such as 16`);
    }
    if (!POSTGRES_STORAGE_SIZES_GB.includes(args.storageGb)) {
      throw new Error(`PostgreSQL Flexible Server storage comes in fixed sizes (${POSTGRES_STORAGE_SIZES_GB.join(", ")} GB); given ${args.storageGb}`);
    }
    const tags = azureTags(args.tags);
    this.caBundle = azureDatabaseCaBundle();
    this.password = administratorPassword(this, name, opts);
    const { zone, links } = privateDnsZone(this, name, "postgres.database.azure.com", args, tags, opts);

    this.server = new dbforpostgresql.Server(
      `${name}-server`,
      {
        ...commonServerInputs(args, this.password),
        version: args.version,
        // Temporal signs in with a password; Entra sign-in would need identities the kit does not manage.
        authConfig: { passwordAuth: "Enabled", activeDirectoryAuth: "Disabled" },
        network: {
          delegatedSubnetResourceId: args.delegatedSubnetId,
          privateDnsZoneArmResourceId: zone.id,
          publicNetworkAccess: "Disabled",
        },
        tags,
      },
      // The server registers its name in the zone as it starts; clients in a network only see it once the zone is linked there.
      childAfter(this, opts, links),
    );
    this.serverName = this.server.name;
    this.host = this.server.fullyQualifiedDomainName;

    const parameters = Object.entries(postgresServerParameters(args.maxConnections)).map(
      ([parameter, value]) => (options: pulumi.CustomResourceOptions) =>
        new dbforpostgresql.Configuration(
          `${name}-${parameter.replace(/[_.]/g, "-")}`,
          { resourceGroupName: args.resourceGroupName, serverName: this.server.name, configurationName: parameter, value, source: "user-override" },
          options,
        ),
    );
    const databases = args.databases.map(
      (database) => (options: pulumi.CustomResourceOptions) =>
        new dbforpostgresql.Database(
          `${name}-db-${database}`,
          // The server's defaults, spelled out so a default changed later does not change new databases.
          { resourceGroupName: args.resourceGroupName, serverName: this.server.name, databaseName: database, charset: "UTF8", collation: "en_US.utf8" },
          options,
        ),
    );
    // The extension allow-list is set before the databases exist, so Temporal's schema job never meets a refusal.
    const children = oneAtATime<pulumi.CustomResource>(this, opts, [this.server], [...parameters, ...databases]);
    this.ready = [this.server, ...children];

    this.registerOutputs({ serverName: this.serverName, host: this.host, port: this.port });
  }
}
