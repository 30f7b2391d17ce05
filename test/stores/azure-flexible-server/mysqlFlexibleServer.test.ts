import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { AZURE_DATABASE_ROOT_CAS, azureDatabaseCaBundle } from "../../../components/stores/azure-flexible-server/databaseCaBundle";
import { MysqlFlexibleServer, MysqlFlexibleServerArgs, mysqlServerParameters } from "../../../components/stores/azure-flexible-server/mysqlFlexibleServer";
import { type Recording, type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";

const AZURE = {
  server: "azure-native:dbformysql:Server",
  configuration: "azure-native:dbformysql:Configuration",
  database: "azure-native:dbformysql:Database",
  firewallRule: "azure-native:dbformysql:FirewallRule",
  zone: "azure-native:privatedns:PrivateZone",
  link: "azure-native:privatedns:VirtualNetworkLink",
  password: "random:index/randomPassword:RandomPassword",
} as const;

const tags = { "temporal-kit:environment": "test", "managed-by": "pulumi" };
const vnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-temporal/providers/Microsoft.Network/virtualNetworks/vnet";
/** An existing AKS cluster's network, peered with the server's. */
const clusterVnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/platform-rg/providers/Microsoft.Network/virtualNetworks/platform-vnet";
const base: MysqlFlexibleServerArgs = {
  resourceGroupName: "rg-temporal",
  location: "westeurope",
  vnetId,
  delegatedSubnetId: `${vnetId}/subnets/mysql`,
  skuName: "Standard_D4ds_v4",
  tier: "GeneralPurpose",
  version: "8.0.21",
  storageGb: 128,
  highAvailability: true,
  geoRedundantBackup: true,
  backupRetentionDays: 14,
  administratorLogin: "temporal",
  maxConnections: 640,
  databases: ["temporal", "temporal_visibility"],
  tags,
};
const cases = {
  /** Production-like: zone-redundant standby, geo-redundant backups; waits for a gate. */
  prd: base,
  /** Staging-like: Burstable, one zone, local backups, MySQL 8.4; reached from an existing cluster's network too. */
  stg: {
    ...base,
    clientVnetIds: [clusterVnetId],
    skuName: "Standard_B2ms",
    tier: "Burstable",
    version: "8.4",
    storageGb: 32,
    highAvailability: false,
    geoRedundantBackup: false,
    backupRetentionDays: 7,
    maxConnections: 300,
  },
} satisfies Record<string, MysqlFlexibleServerArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
const servers = {} as Record<Case, MysqlFlexibleServer>;

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  // Stands in for whatever the server must wait for; only the production server is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) servers[name] = new MysqlFlexibleServer(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  await settle();
});

const of = (name: Case, type: string) => records.filter((record) => record.type === type && record.name.startsWith(`${name}-`));
const only = (name: Case, type: string, nameIncludes = "") => {
  const matches = of(name, type).filter((record) => record.name.includes(nameIncludes));
  expect(matches, `${name}: ${type} *${nameIncludes}*`).toHaveLength(1);
  return matches[0];
};
const serverOf = (name: Case) => only(name, AZURE.server).inputs as Record<string, any>;
const componentOf = (name: Case) => records.find((record) => record.type === "temporal-kit:azure:MysqlFlexibleServer" && record.name === name)!;
const nameOf = (resource: pulumi.Resource) => (resource as unknown as { __name: string }).__name;

describe("azureDatabaseCaBundle", () => {
  const certificates = (bundle: string) => bundle.split(/(?<=-----END CERTIFICATE-----)\n/).map((pem) => new X509Certificate(pem));

  it("holds exactly DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017, with their published fingerprints", () => {
    const found = certificates(azureDatabaseCaBundle()).map((certificate) => [certificate.subject.split("\n").find((part) => part.startsWith("CN="))!.slice(3), certificate.fingerprint256]);
    expect(found).toEqual([
      ["DigiCert Global Root G2", "CB:3C:CB:B7:60:31:E5:E0:13:8F:8D:D3:9A:23:F9:DE:47:FF:C3:5E:43:C1:14:4C:EA:27:D4:6A:5A:B1:CB:5F"],
      ["Microsoft RSA Root Certificate Authority 2017", "C7:41:F7:0F:4B:2A:8D:88:BF:2E:71:C1:41:22:EF:53:EF:10:EB:A0:CF:A5:E6:4C:FA:20:F4:18:85:30:73:E0"],
    ]);
  });

  it("holds self-signed roots, valid for years yet", () => {
    for (const certificate of certificates(azureDatabaseCaBundle())) {
      expect(certificate.issuer).toBe(certificate.subject);
      expect(certificate.ca).toBe(true);
      expect(new Date(certificate.validTo).getFullYear()).toBeGreaterThanOrEqual(2038);
    }
  });

  it("fails by name when the root store lacks one of the roots", () => {
    const withoutMicrosoft = rootCertificates.filter((pem) => new X509Certificate(pem).fingerprint256 !== AZURE_DATABASE_ROOT_CAS["Microsoft RSA Root Certificate Authority 2017"]);
    expect(() => azureDatabaseCaBundle(withoutMicrosoft)).toThrow(`Node.js's root store has no "Microsoft RSA Root Certificate Authority 2017" with SHA-256 fingerprint`);
  });
});

describe("mysqlServerParameters", () => {
  it("requires TLS and sets the connection limit", () => {
    expect(mysqlServerParameters(640)).toEqual({ require_secure_transport: "ON", max_connections: "640" });
  });
});

describe("MysqlFlexibleServer argument checks", () => {
  let attempt = 0;
  // A fresh name each time: the component registers before its checks run.
  const refuse = (changes: Partial<MysqlFlexibleServerArgs>, message: string, name = `bad${++attempt}`) =>
    expect(() => new MysqlFlexibleServer(name, { ...base, ...changes })).toThrow(message);

  it("refuses a zone-redundant standby on the Burstable tier, which has none", () => {
    refuse({ skuName: "Standard_B2ms", tier: "Burstable" }, "MySQL Flexible Server has no zone-redundant standby on the Burstable tier; use GeneralPurpose or MemoryOptimized, or turn highAvailability off");
  });

  it("refuses a SKU from another tier", () => {
    refuse({ skuName: "Standard_B2ms" }, 'SKU "Standard_B2ms" does not belong to the GeneralPurpose tier');
    refuse({ tier: "Burstable", highAvailability: false }, 'SKU "Standard_D4ds_v4" does not belong to the Burstable tier');
  });

  it("refuses backup retention outside 1 to 35 days", () => {
    refuse({ backupRetentionDays: 0 }, "MySQL Flexible Server keeps backups for 1 to 35 days; given 0");
    refuse({ backupRetentionDays: 36 }, "MySQL Flexible Server keeps backups for 1 to 35 days; given 36");
  });

  it("refuses storage outside 20 GB to 16 TB", () => {
    refuse({ storageGb: 10 }, "MySQL Flexible Server storage must be a whole number of GB from 20 to 16384; given 10");
  });

  it("refuses administrator logins Azure reserves or cannot take", () => {
    refuse({ administratorLogin: "admin" }, 'administrator login "admin" is reserved by Azure; choose another, such as temporal');
    refuse({ administratorLogin: "Azure_Superuser" }, 'administrator login "Azure_Superuser" is reserved by Azure');
    refuse({ administratorLogin: "1temporal" }, 'administrator login "1temporal" must start with a letter and hold at most 32 letters, digits and underscores');
  });

  it("refuses a server without databases, with the same database twice, or with a name MySQL cannot take", () => {
    refuse({ databases: [] }, 'MySQL Flexible Server "no-databases" needs at least one database for Temporal', "no-databases");
    refuse({ databases: ["temporal", "temporal"] }, "database names must be distinct; given temporal, temporal");
    refuse({ databases: ["temporal-visibility"] }, 'database name "temporal-visibility" must be letters, digits and underscores, not starting with a digit');
  });

  it("refuses a connection limit that is not a positive whole number", () => {
    refuse({ maxConnections: 0 }, "maxConnections must be a positive whole number; given 0");
  });

  it("refuses a name that cannot name its private DNS zone", () => {
    refuse({}, '"Temporal_DB" cannot name a private DNS zone: use lowercase letters, digits and hyphens', "Temporal_DB");
  });
});

describe.each(Object.keys(cases) as Case[])("MysqlFlexibleServer %s", (name) => {
  const args: MysqlFlexibleServerArgs = cases[name];

  it("places the server in the delegated subnet with public network access disabled and no firewall rules", () => {
    expect(serverOf(name).network).toEqual({
      delegatedSubnetResourceId: args.delegatedSubnetId,
      privateDnsZoneResourceId: `${only(name, AZURE.zone).name}-id`,
      publicNetworkAccess: "Disabled",
    });
    expect(of(name, AZURE.firewallRule)).toEqual([]);
  });

  it("registers the server in a private zone of its own, named as Azure requires", () => {
    expect(only(name, AZURE.zone).inputs).toEqual({ resourceGroupName: args.resourceGroupName, privateZoneName: `${name}.private.mysql.database.azure.com`, location: "global", tags });
  });

  it("links the zone to the network without letting virtual machines register in it, before the server starts", () => {
    const link = of(name, AZURE.link).find((record) => record.name === `${name}-dns-link`)!;
    expect(link.inputs).toEqual({
      resourceGroupName: args.resourceGroupName,
      privateZoneName: `${name}.private.mysql.database.azure.com`,
      location: "global",
      virtualNetwork: { id: vnetId },
      registrationEnabled: false,
      tags,
    });
    expect(link.dependsOn).toContain(only(name, AZURE.zone).urn);
    expect(only(name, AZURE.server).dependsOn).toContain(link.urn);
  });

  it(args.clientVnetIds ? "links the zone to each client network too, before the server starts" : "links the zone to no other network", () => {
    const clients = of(name, AZURE.link).filter((record) => record.name !== `${name}-dns-link`);
    expect(clients.map((record) => record.inputs)).toEqual(
      (args.clientVnetIds ?? []).map((id) => ({
        resourceGroupName: args.resourceGroupName,
        privateZoneName: `${name}.private.mysql.database.azure.com`,
        location: "global",
        virtualNetwork: { id },
        registrationEnabled: false,
        tags,
      })),
    );
    for (const client of clients) expect(only(name, AZURE.server).dependsOn).toContain(client.urn);
  });

  it("runs the MySQL version, SKU and tier given, with storage that grows on its own", () => {
    expect(serverOf(name)).toMatchObject({
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      version: args.version,
      sku: { name: args.skuName, tier: args.tier },
      storage: { storageSizeGB: args.storageGb, autoGrow: "Enabled" },
      administratorLogin: args.administratorLogin,
      tags,
    });
  });

  it(args.highAvailability ? "keeps a zone-redundant standby" : "runs without a standby", () => {
    expect(serverOf(name).highAvailability).toEqual({ mode: args.highAvailability ? "ZoneRedundant" : "Disabled" });
  });

  it(args.geoRedundantBackup ? "keeps geo-redundant backups for the days given" : "keeps backups in the region only, for the days given", () => {
    expect(serverOf(name).backup).toEqual({ backupRetentionDays: args.backupRetentionDays, geoRedundantBackup: args.geoRedundantBackup ? "Enabled" : "Disabled" });
  });

  it("requires TLS and sets the connection limit on this server, as user overrides", () => {
    const serverName = only(name, AZURE.server).name;
    const parameters = of(name, AZURE.configuration).map((record) => record.inputs);
    expect(parameters).toEqual([
      { resourceGroupName: args.resourceGroupName, serverName, configurationName: "require_secure_transport", value: "ON", source: "user-override" },
      { resourceGroupName: args.resourceGroupName, serverName, configurationName: "max_connections", value: String(args.maxConnections), source: "user-override" },
    ]);
  });

  it("creates Temporal's databases on this server in utf8mb4", () => {
    const serverName = only(name, AZURE.server).name;
    expect(of(name, AZURE.database).map((record) => record.inputs)).toEqual(
      args.databases.map((database) => ({ resourceGroupName: args.resourceGroupName, serverName, databaseName: database, charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci" })),
    );
  });

  it("changes the server one parameter or database at a time, since Azure refuses concurrent changes", () => {
    const chain = [only(name, AZURE.server), ...of(name, AZURE.configuration), ...of(name, AZURE.database)];
    expect(chain).toHaveLength(1 + 2 + args.databases.length);
    chain.slice(1).forEach((current, index) => expect(current.dependsOn, current.name).toContain(chain[index].urn));
  });

  it("passes the password to Azure only as a secret and publishes it only as a secret", async () => {
    expect(serverOf(name).administratorLoginPassword).toBe(SECRET_PLACEHOLDER);
    expect(await pulumi.isSecret(servers[name].password)).toBe(true);
    const plaintext = await promiseOf(servers[name].password);
    expect(plaintext).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(JSON.stringify(records)).not.toContain(plaintext);
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain(plaintext);
  });

  it("generates a 32-character password of letters and digits that meets Azure's complexity rule", () => {
    expect(only(name, AZURE.password).inputs).toMatchObject({ length: 32, special: false, upper: true, lower: true, numeric: true, minUpper: 1, minLower: 1, minNumeric: 1 });
  });

  it("publishes the server's private name, port 3306 and the roots its certificate chains to", async () => {
    const server = servers[name];
    expect(await promiseOf(server.host)).toBe(`${only(name, AZURE.server).name}.mysql.database.azure.com`);
    expect(await promiseOf(server.serverName)).toBe(only(name, AZURE.server).name);
    expect(server.port).toBe(3306);
    expect(server.caBundle).toBe(azureDatabaseCaBundle());
    expect(server.caBundleSource).toMatch(/root store/);
  });

  it("hands out the server, its parameters and its databases as what Temporal must wait for", () => {
    expect(servers[name].ready.map(nameOf)).toEqual([only(name, AZURE.server), ...of(name, AZURE.configuration), ...of(name, AZURE.database)].map((record) => record.name));
  });

  it("parents every resource to the component and tags everything Azure can tag", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children).toHaveLength(1 + 1 + 1 + 1 + (args.clientVnetIds?.length ?? 0) + 2 + args.databases.length);
    for (const child of children) expect(child.parent, child.name).toBe(componentOf(name).urn);
    for (const record of [only(name, AZURE.server), only(name, AZURE.zone), ...of(name, AZURE.link)]) expect(record.inputs.tags, record.name).toEqual(tags);
  });
});

describe("MysqlFlexibleServer options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children).toHaveLength(8);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});
