import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childOf } from "../../childOptions";

/** What MySQL and PostgreSQL Flexible Servers have in common. */
export interface FlexibleServerArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /** The network whose workloads resolve the server's private name. */
  vnetId: pulumi.Input<string>;
  /**
   * Other networks, peered with that one, whose workloads connect too (an existing AKS cluster's):
   * the private zone is linked to each, as a client in another network only resolves the server then.
   */
  clientVnetIds?: pulumi.Input<string>[];
  /** A subnet delegated to this engine's Flexible Servers; the server's only address is there. */
  delegatedSubnetId: pulumi.Input<string>;
  /** Standard_B2ms, Standard_D4ads_v5, Standard_E4ds_v5, ...: a size the engine offers on `tier` (components/config/azureSkus.ts). */
  skuName: string;
  tier: "Burstable" | "GeneralPurpose" | "MemoryOptimized";
  storageGb: number;
  /** A standby in another zone of the region, which takes over if the primary's zone fails. */
  highAvailability: boolean;
  /** Backups copied to the paired region. Azure only accepts this when the server is created. */
  geoRedundantBackup: boolean;
  backupRetentionDays: number;
  administratorLogin: string;
  maxConnections: number;
  /** Created on the server, e.g. temporal and temporal_visibility. */
  databases: string[];
  tags: Record<string, string>;
}

export type FlexibleEngine = "MySQL" | "PostgreSQL";

const RESERVED_LOGINS = ["azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public"];
const MAX_LOGIN_LENGTH = { MySQL: 32, PostgreSQL: 63 } as const;
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Checks what Azure would only refuse once the deployment reaches the server. `retentionDays` is
 * the engine's backup retention range.
 */
export function validateFlexibleServer(engine: FlexibleEngine, name: string, args: FlexibleServerArgs, retentionDays: [number, number]): void {
  // The name also names the server's private DNS zone, a DNS label.
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    throw new Error(`"${name}" cannot name a private DNS zone: use lowercase letters, digits and hyphens, starting and ending with a letter or digit`);
  }
  const burstableSku = /^Standard_B/.test(args.skuName);
  if (!/^Standard_[A-Za-z0-9_]+$/.test(args.skuName) || burstableSku !== (args.tier === "Burstable")) {
    throw new Error(`SKU "${args.skuName}" does not belong to the ${args.tier} tier: Burstable sizes are Standard_B*, the other tiers' are not`);
  }
  if (args.highAvailability && args.tier === "Burstable") {
    throw new Error(`${engine} Flexible Server has no zone-redundant standby on the Burstable tier; use GeneralPurpose or MemoryOptimized, or turn highAvailability off`);
  }
  const [minDays, maxDays] = retentionDays;
  if (!Number.isInteger(args.backupRetentionDays) || args.backupRetentionDays < minDays || args.backupRetentionDays > maxDays) {
    throw new Error(`${engine} Flexible Server keeps backups for ${minDays} to ${maxDays} days; given ${args.backupRetentionDays}`);
  }
  const login = args.administratorLogin;
  if (!new RegExp(`^[a-zA-Z][a-zA-Z0-9_]{0,${MAX_LOGIN_LENGTH[engine] - 1}}$`).test(login)) {
    throw new Error(`administrator login "${login}" must start with a letter and hold at most ${MAX_LOGIN_LENGTH[engine]} letters, digits and underscores`);
  }
  if (RESERVED_LOGINS.includes(login.toLowerCase()) || (engine === "PostgreSQL" && login.toLowerCase().startsWith("pg_"))) {
    throw new Error(`administrator login "${login}" is reserved by Azure; choose another, such as temporal`);
  }
  if (!Number.isInteger(args.maxConnections) || args.maxConnections < 1) {
    throw new Error(`maxConnections must be a positive whole number; given ${args.maxConnections}`);
  }
  if (args.databases.length === 0) throw new Error(`${engine} Flexible Server "${name}" needs at least one database for Temporal`);
  for (const database of args.databases) {
    if (!DATABASE_NAME.test(database)) throw new Error(`database name "${database}" must be letters, digits and underscores, not starting with a digit`);
  }
  if (new Set(args.databases).size !== args.databases.length) throw new Error(`database names must be distinct; given ${args.databases.join(", ")}`);
}

/**
 * The administrator password: letters and digits only, because it travels through a DSN and a YAML
 * template, with at least one of each kind Azure's complexity rule counts (three of upper case,
 * lower case, digits and symbols). Wrapped as a secret so it stays one under the synth's mocks too.
 */
export function administratorPassword(parent: pulumi.Resource, name: string, opts?: pulumi.ComponentResourceOptions): pulumi.Output<string> {
  const password = new random.RandomPassword(
    `${name}-password`,
    { length: 32, special: false, upper: true, lower: true, numeric: true, minUpper: 1, minLower: 1, minNumeric: 1 },
    childOf(parent, opts),
  );
  return pulumi.secret(password.result);
}

/**
 * The private DNS zone the server registers its name in, linked to the server's network and to each
 * client network so clients there resolve it. Azure insists the zone name end in the engine's
 * domain; `<name>.private.` in front keeps it distinct from the server's own name, which PostgreSQL
 * requires.
 */
export function privateDnsZone(
  parent: pulumi.Resource,
  name: string,
  domain: string,
  args: Pick<FlexibleServerArgs, "resourceGroupName" | "vnetId" | "clientVnetIds">,
  tags: Record<string, string>,
  opts?: pulumi.ComponentResourceOptions,
): { zone: privatedns.PrivateZone; links: privatedns.VirtualNetworkLink[] } {
  const zone = new privatedns.PrivateZone(
    `${name}-dns`,
    // Private zones are global resources, whatever region their records point into.
    { resourceGroupName: args.resourceGroupName, privateZoneName: `${name}.private.${domain}`, location: "global", tags },
    childOf(parent, opts),
  );
  const link = (resourceName: string, vnetId: pulumi.Input<string>) =>
    new privatedns.VirtualNetworkLink(
      resourceName,
      {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: zone.name,
        location: "global",
        virtualNetwork: { id: vnetId },
        // The server writes its own record; virtual machines must not register theirs in its zone.
        registrationEnabled: false,
        tags,
      },
      childOf(parent, opts),
    );
  const clients = (args.clientVnetIds ?? []).map((vnetId, index) => link(`${name}-dns-client-link-${index}`, vnetId));
  return { zone, links: [link(`${name}-dns-link`, args.vnetId), ...clients] };
}

/**
 * The server settings both engines share: size, growth, backups, zone-redundant standby when asked,
 * and no public network access. The two APIs name the DNS zone field differently, so the caller
 * adds the network block.
 */
export function commonServerInputs(args: FlexibleServerArgs, password: pulumi.Input<string>) {
  return {
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    sku: { name: args.skuName, tier: args.tier },
    administratorLogin: args.administratorLogin,
    administratorLoginPassword: password,
    storage: { storageSizeGB: args.storageGb, autoGrow: "Enabled" },
    backup: { backupRetentionDays: args.backupRetentionDays, geoRedundantBackup: args.geoRedundantBackup ? "Enabled" : "Disabled" },
    highAvailability: { mode: args.highAvailability ? "ZoneRedundant" : "Disabled" },
  };
}
