import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { azureDatabaseCaBundle } from "../../../components/stores/azure-flexible-server/databaseCaBundle";
import { PostgresFlexibleServer, PostgresFlexibleServerArgs, postgresServerParameters } from "../../../components/stores/azure-flexible-server/postgresFlexibleServer";
import { type Recording, type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { caseQueries } from "../../helpers/caseQueries";

const AZURE = {
  server: "azure-native:dbforpostgresql:Server",
  configuration: "azure-native:dbforpostgresql:Configuration",
  database: "azure-native:dbforpostgresql:Database",
  firewallRule: "azure-native:dbforpostgresql:FirewallRule",
  zone: "azure-native:privatedns:PrivateZone",
  link: "azure-native:privatedns:VirtualNetworkLink",
  password: "random:index/randomPassword:RandomPassword",
} as const;

const tags = { "temporal-kit:environment": "test", "managed-by": "pulumi" };
const vnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-temporal/providers/Microsoft.Network/virtualNetworks/vnet";
/** An existing AKS cluster's network, peered with the server's. */
const clusterVnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/platform-rg/providers/Microsoft.Network/virtualNetworks/platform-vnet";
const base: PostgresFlexibleServerArgs = {
  resourceGroupName: "rg-temporal",
  location: "westeurope",
  vnetId,
  delegatedSubnetId: `${vnetId}/subnets/postgres`,
  skuName: "Standard_D4ds_v5",
  tier: "GeneralPurpose",
  version: "16",
  storageGb: 256,
  highAvailability: true,
  geoRedundantBackup: true,
  backupRetentionDays: 35,
  administratorLogin: "temporal",
  maxConnections: 800,
  databases: ["temporal", "temporal_visibility"],
  tags,
};
const cases = {
  /** Production-like: zone-redundant standby, geo-redundant backups; waits for a gate. */
  prd: base,
  /** Staging-like: Burstable, one zone, local backups, an older major version, one database; reached from an existing cluster's network too. */
  stg: {
    ...base,
    clientVnetIds: [clusterVnetId],
    skuName: "Standard_B2s",
    tier: "Burstable",
    version: "14",
    storageGb: 32,
    highAvailability: false,
    geoRedundantBackup: false,
    backupRetentionDays: 7,
    maxConnections: 200,
    databases: ["temporal"],
  },
} satisfies Record<string, PostgresFlexibleServerArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
const servers = {} as Record<Case, PostgresFlexibleServer>;

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  // Stands in for whatever the server must wait for; only the production server is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) servers[name] = new PostgresFlexibleServer(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  await settle();
});

const { of, only } = caseQueries<Case>(() => records, "temporal-kit:azure:PostgresFlexibleServer");
const serverOf = (name: Case) => only(name, AZURE.server).inputs as Record<string, any>;
const componentOf = (name: Case) => records.find((record) => record.type === "temporal-kit:azure:PostgresFlexibleServer" && record.name === name)!;
const nameOf = (resource: pulumi.Resource) => (resource as unknown as { __name: string }).__name;
const parameterOf = (name: Case, parameter: string) => {
  const matches = of(name, AZURE.configuration).filter((record) => record.inputs.configurationName === parameter);
  expect(matches, parameter).toHaveLength(1);
  return matches[0].inputs;
};

describe("postgresServerParameters", () => {
  it("requires TLS, sets the connection limit and allow-lists btree_gin for Temporal's visibility schema", () => {
    expect(postgresServerParameters(800)).toEqual({ require_secure_transport: "on", max_connections: "800", "azure.extensions": "BTREE_GIN" });
  });
});

describe("PostgresFlexibleServer argument checks", () => {
  let attempt = 0;
  // A fresh name each time: the component registers before its checks run.
  const refuse = (changes: Partial<PostgresFlexibleServerArgs>, message: string, name = `bad${++attempt}`) =>
    expect(() => new PostgresFlexibleServer(name, { ...base, ...changes })).toThrow(message);

  it("refuses a zone-redundant standby on the Burstable tier, which has none", () => {
    refuse({ skuName: "Standard_B2s", tier: "Burstable" }, "PostgreSQL Flexible Server has no zone-redundant standby on the Burstable tier");
  });

  it("refuses backup retention below PostgreSQL's seven days", () => {
    refuse({ backupRetentionDays: 6 }, "PostgreSQL Flexible Server keeps backups for 7 to 35 days; given 6");
  });

  it("refuses storage that is not one of the disk sizes PostgreSQL takes", () => {
    refuse({ storageGb: 100 }, "PostgreSQL Flexible Server storage comes in fixed sizes (32, 64, 128, 256, 512, 1024, 2048, 4095, 4096, 8192, 16384, 32767 GB); given 100");
  });

  it("refuses a version older than Temporal's postgres12 plugin supports", () => {
    refuse({ version: "11" as PostgresFlexibleServerArgs["version"] }, 'PostgreSQL version "11" must be a major version, 12 or newer, such as 16');
    refuse({ version: "16.4" as PostgresFlexibleServerArgs["version"] }, 'PostgreSQL version "16.4" must be a major version');
  });

  it("refuses administrator logins PostgreSQL reserves", () => {
    refuse({ administratorLogin: "azure_pg_admin" }, 'administrator login "azure_pg_admin" is reserved by Azure');
    refuse({ administratorLogin: "pg_temporal" }, 'administrator login "pg_temporal" is reserved by Azure');
  });
});

describe.each(Object.keys(cases) as Case[])("PostgresFlexibleServer %s", (name) => {
  const args: PostgresFlexibleServerArgs = cases[name];

  it("places the server in the delegated subnet with public network access disabled and no firewall rules", () => {
    expect(serverOf(name).network).toEqual({
      delegatedSubnetResourceId: args.delegatedSubnetId,
      privateDnsZoneArmResourceId: `${only(name, AZURE.zone).name}-id`,
      publicNetworkAccess: "Disabled",
    });
    expect(of(name, AZURE.firewallRule)).toEqual([]);
  });

  it("registers the server in a private zone named apart from the server, as PostgreSQL requires", () => {
    expect(only(name, AZURE.zone).inputs).toEqual({ resourceGroupName: args.resourceGroupName, privateZoneName: `${name}.private.postgres.database.azure.com`, location: "global", tags });
  });

  it("links the zone to the network without letting virtual machines register in it, before the server starts", () => {
    const link = of(name, AZURE.link).find((record) => record.name === `${name}-dns-link`)!;
    expect(link.inputs).toMatchObject({ privateZoneName: `${name}.private.postgres.database.azure.com`, virtualNetwork: { id: vnetId }, registrationEnabled: false, location: "global" });
    expect(only(name, AZURE.server).dependsOn).toContain(link.urn);
  });

  it(args.clientVnetIds ? "links the zone to each client network too, before the server starts" : "links the zone to no other network", () => {
    const clients = of(name, AZURE.link).filter((record) => record.name !== `${name}-dns-link`);
    expect(clients.map((record) => record.inputs)).toEqual(
      (args.clientVnetIds ?? []).map((id) => ({
        resourceGroupName: args.resourceGroupName,
        privateZoneName: `${name}.private.postgres.database.azure.com`,
        location: "global",
        virtualNetwork: { id },
        registrationEnabled: false,
        tags,
      })),
    );
    for (const client of clients) expect(only(name, AZURE.server).dependsOn).toContain(client.urn);
  });

  it("runs the major version, SKU and tier given, signing in by password only", () => {
    expect(serverOf(name)).toMatchObject({
      version: args.version,
      sku: { name: args.skuName, tier: args.tier },
      storage: { storageSizeGB: args.storageGb, autoGrow: "Enabled" },
      administratorLogin: args.administratorLogin,
      authConfig: { passwordAuth: "Enabled", activeDirectoryAuth: "Disabled" },
      tags,
    });
  });

  it(args.highAvailability ? "keeps a zone-redundant standby" : "runs without a standby", () => {
    // The SDK sends an empty standby zone by default, which leaves the choice to Azure.
    expect(serverOf(name).highAvailability).toEqual({ mode: args.highAvailability ? "ZoneRedundant" : "Disabled", standbyAvailabilityZone: "" });
  });

  it(args.geoRedundantBackup ? "keeps geo-redundant backups for the days given" : "keeps backups in the region only, for the days given", () => {
    expect(serverOf(name).backup).toEqual({ backupRetentionDays: args.backupRetentionDays, geoRedundantBackup: args.geoRedundantBackup ? "Enabled" : "Disabled" });
  });

  it("requires TLS on this server, as a user override", () => {
    expect(parameterOf(name, "require_secure_transport")).toEqual({
      resourceGroupName: args.resourceGroupName,
      serverName: only(name, AZURE.server).name,
      configurationName: "require_secure_transport",
      value: "on",
      source: "user-override",
    });
  });

  it("sets the connection limit from the arguments", () => {
    expect(parameterOf(name, "max_connections").value).toBe(String(args.maxConnections));
  });

  it("allow-lists btree_gin before any database exists, so Temporal's schema can create it", () => {
    const extensions = of(name, AZURE.configuration).find((record) => record.inputs.configurationName === "azure.extensions")!;
    expect(extensions.inputs.value).toBe("BTREE_GIN");
    const firstDatabase = of(name, AZURE.database)[0];
    const chain = [...of(name, AZURE.configuration), ...of(name, AZURE.database)];
    expect(chain.indexOf(extensions)).toBeLessThan(chain.indexOf(firstDatabase));
  });

  it("creates Temporal's databases on this server in UTF8", () => {
    const serverName = only(name, AZURE.server).name;
    expect(of(name, AZURE.database).map((record) => record.inputs)).toEqual(
      args.databases.map((database) => ({ resourceGroupName: args.resourceGroupName, serverName, databaseName: database, charset: "UTF8", collation: "en_US.utf8" })),
    );
  });

  it("changes the server one parameter or database at a time, since Azure refuses concurrent changes", () => {
    const chain = [only(name, AZURE.server), ...of(name, AZURE.configuration), ...of(name, AZURE.database)];
    expect(chain).toHaveLength(1 + 3 + args.databases.length);
    chain.slice(1).forEach((current, index) => expect(current.dependsOn, current.name).toContain(chain[index].urn));
  });

  it("passes the password to Azure only as a secret and publishes it only as a secret", async () => {
    expect(serverOf(name).administratorLoginPassword).toBe(SECRET_PLACEHOLDER);
    expect(await pulumi.isSecret(servers[name].password)).toBe(true);
    const plaintext = await promiseOf(servers[name].password);
    expect(JSON.stringify(records)).not.toContain(plaintext);
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain(plaintext);
    expect(only(name, AZURE.password).inputs).toMatchObject({ length: 32, special: false, minUpper: 1, minLower: 1, minNumeric: 1 });
  });

  it("publishes the server's private name, port 5432 and the roots its certificate chains to", async () => {
    const server = servers[name];
    expect(await promiseOf(server.host)).toBe(`${only(name, AZURE.server).name}.postgres.database.azure.com`);
    expect(server.port).toBe(5432);
    expect(server.caBundle).toBe(azureDatabaseCaBundle());
  });

  it("hands out the server, its parameters and its databases as what Temporal must wait for", () => {
    expect(servers[name].ready.map(nameOf)).toEqual([only(name, AZURE.server), ...of(name, AZURE.configuration), ...of(name, AZURE.database)].map((record) => record.name));
  });

  it("parents every resource to the component", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children).toHaveLength(1 + 1 + 1 + 1 + (args.clientVnetIds?.length ?? 0) + 3 + args.databases.length);
    for (const child of children) expect(child.parent, child.name).toBe(componentOf(name).urn);
  });
});

describe("PostgresFlexibleServer options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children).toHaveLength(9);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});
