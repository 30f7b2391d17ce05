import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  COSMOS_TEMPORAL_RISK,
  CosmosCassandra,
  CosmosCassandraArgs,
  MULTI_REGION_WRITES_REFUSED,
  throughputOptions,
} from "../../../components/stores/cosmos-cassandra/cosmosCassandra";
import { GLOBAL_NAME_RULES, globalName } from "../../../components/azure/globalName";
import { MOCK_AZURE_CLIENT } from "../../../tools/synth/mocks";
import type { Recording, ResourceRecord } from "../../../tools/synth/recorder";
import { promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";
import { caseQueries } from "../../helpers/caseQueries";

const AZ = {
  account: "azure-native:cosmosdb:DatabaseAccount",
  keyspace: "azure-native:cosmosdb:CassandraResourceCassandraKeyspace",
  table: "azure-native:cosmosdb:CassandraResourceCassandraTable",
} as const;
const SUBNET = (name: string) => `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/temporal/subnets/${name}`;

const base: CosmosCassandraArgs = {
  resourceGroupName: "temporal-prd",
  location: "westeurope",
  keyspace: "temporal",
  throughput: { mode: "autoscale", maxRu: 10000 },
  multiRegionWrites: false,
  allowedSubnetIds: [SUBNET("aks-nodes"), SUBNET("aks-pods")],
  tags: { "temporal-kit:environment": "test" },
};
const cases = {
  /** Autoscaling keyspace reached through service endpoints from two subnets. */
  prd: base,
  /** Fixed throughput, no subnet allowed: reachable only through a private endpoint made elsewhere. */
  stg: { ...base, resourceGroupName: "temporal-stg", keyspace: "temporal_stg", throughput: { mode: "manual", ru: 1200 }, allowedSubnetIds: [] },
} satisfies Record<string, CosmosCassandraArgs>;
type Case = keyof typeof cases;

let recording: Recording;
let records: ResourceRecord[];
const stores = {} as Record<Case, CosmosCassandra>;
const warn = vi.spyOn(pulumi.log, "warn").mockResolvedValue(undefined);

beforeAll(async () => {
  recording = await startMockRuntime();
  records = recording.resources;
  // Stands in for whatever the account must wait for; only production is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) {
    stores[name] = new CosmosCassandra(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  }
  await settle();
});

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:azure:CosmosCassandra");
const accountOf = (name: Case) => only(name, AZ.account).inputs as Record<string, any>;

describe("COSMOS_TEMPORAL_RISK", () => {
  it("names the features Temporal relies on, the missing support statement and the recommended alternative", () => {
    expect(COSMOS_TEMPORAL_RISK).toContain("LOGGED batches");
    expect(COSMOS_TEMPORAL_RISK).toContain("lightweight transactions");
    expect(COSMOS_TEMPORAL_RISK).toContain("reported not to support");
    expect(COSMOS_TEMPORAL_RISK).toContain("no support statement");
    expect(COSMOS_TEMPORAL_RISK).toContain("Azure Managed Instance for Apache Cassandra");
    expect(COSMOS_TEMPORAL_RISK).toMatch(/recommended\.$/);
    expect(COSMOS_TEMPORAL_RISK).not.toContain("\n");
  });
});

describe("throughputOptions", () => {
  it("provisions a fixed throughput in manual mode", () => {
    expect(throughputOptions({ mode: "manual", ru: 400 })).toEqual({ throughput: 400 });
  });

  it("provisions an autoscale maximum in autoscale mode", () => {
    expect(throughputOptions({ mode: "autoscale", maxRu: 4000 })).toEqual({ autoscaleSettings: { maxThroughput: 4000 } });
  });

  it("refuses a manual throughput below 400 RU/s or off the steps of 100", () => {
    for (const ru of [300, 450, 1000.5]) {
      expect(() => throughputOptions({ mode: "manual", ru })).toThrow(`Manual throughput must be at least 400 RU/s in steps of 100; given ${ru}`);
    }
  });

  it("refuses an autoscale maximum below 1000 RU/s or off the steps of 1000", () => {
    for (const maxRu of [400, 1500]) {
      expect(() => throughputOptions({ mode: "autoscale", maxRu })).toThrow(`Autoscale maximum throughput must be at least 1000 RU/s in steps of 1000; given ${maxRu}`);
    }
  });
});

describe("CosmosCassandra argument checks", () => {
  it("refuses multi-region writes with the reason", () => {
    expect(MULTI_REGION_WRITES_REFUSED).toBe(
      "CosmosCassandra cannot enable multi-region writes: Temporal needs lightweight transactions, which Cosmos DB only offers with writes in a single region",
    );
    const multiRegionWrites = true as unknown as false;
    expect(() => new CosmosCassandra("bad-writes", { ...base, multiRegionWrites })).toThrow(MULTI_REGION_WRITES_REFUSED);
  });

  it("refuses a keyspace name CQL would fold or reject", () => {
    for (const keyspace of ["Temporal", "1temporal", "temporal-prd", "a".repeat(49)]) {
      expect(() => new CosmosCassandra("bad-keyspace", { ...base, keyspace })).toThrow(
        `Keyspace name "${keyspace}" must be lower-case letters, digits and _, starting with a letter, at most 48 characters`,
      );
    }
  });

  it("refuses a throughput Cosmos DB cannot provision before warning or creating anything", () => {
    const before = warn.mock.calls.length;
    expect(() => new CosmosCassandra("bad-throughput", { ...base, throughput: { mode: "manual", ru: 250 } })).toThrow(
      "Manual throughput must be at least 400 RU/s in steps of 100; given 250",
    );
    expect(warn.mock.calls.length).toBe(before);
  });
});

describe.each(Object.keys(cases) as Case[])("CosmosCassandra %s", (name) => {
  const args: CosmosCassandraArgs = cases[name];
  const subnets = args.allowedSubnetIds;

  it("warns at preview and update that Temporal on Cosmos DB is a risk", () => {
    expect(warn).toHaveBeenCalledWith(COSMOS_TEMPORAL_RISK, stores[name]);
  });

  it("is a Cosmos DB account with the Cassandra API, in one region", () => {
    expect(accountOf(name)).toMatchObject({
      kind: "GlobalDocumentDB",
      capabilities: [{ name: "EnableCassandra" }],
      databaseAccountOfferType: "Standard",
      locations: [{ locationName: args.location, failoverPriority: 0 }],
      resourceGroupName: args.resourceGroupName,
      location: args.location,
    });
  });

  it("takes writes in a single region at strong consistency, as lightweight transactions need", () => {
    expect(accountOf(name)).toMatchObject({ enableMultipleWriteLocations: false, consistencyPolicy: { defaultConsistencyLevel: "Strong" } });
  });

  it("accepts TLS 1.2 or newer only", () => {
    expect(accountOf(name).minimalTlsVersion).toBe("Tls12");
  });

  it("keeps key authentication, which the Cassandra API needs, including the schema tool's table changes", () => {
    expect(accountOf(name)).toMatchObject({ disableLocalAuth: false, disableKeyBasedMetadataWriteAccess: false });
  });

  it("admits only the allowed subnets, with no IP rules and no bypass", () => {
    const account = accountOf(name);
    expect(account).toMatchObject({ ipRules: [], networkAclBypass: "None", isVirtualNetworkFilterEnabled: subnets.length > 0 });
    expect(account.virtualNetworkRules).toEqual(subnets.length > 0 ? subnets.map((id) => ({ id, ignoreMissingVNetServiceEndpoint: false })) : undefined);
    expect(JSON.stringify(account)).not.toContain("0.0.0.0");
  });

  it(
    subnets.length > 0
      ? "opens public network access only because service-endpoint traffic arrives there"
      : "turns public network access off when no subnet is allowed",
    () => {
      expect(accountOf(name).publicNetworkAccess).toBe(subnets.length > 0 ? "Enabled" : "Disabled");
    },
  );

  it("names the account within Cosmos DB's limits, from the component name and a hash of where it lives", () => {
    const accountName = String(accountOf(name).accountName);
    expect(accountName).toMatch(/^[a-z0-9][a-z0-9-]{1,42}[a-z0-9]$/);
    expect(accountName).toBe(globalName(name, `${MOCK_AZURE_CLIENT.subscriptionId}/${args.resourceGroupName}/${name}`, GLOBAL_NAME_RULES.cosmosAccount));
  });

  it(`provisions the keyspace with ${args.throughput.mode} throughput`, () => {
    const keyspace = only(name, AZ.keyspace);
    expect(keyspace.inputs).toMatchObject({ keyspaceName: args.keyspace, resource: { id: args.keyspace }, accountName: accountOf(name).accountName });
    expect(keyspace.inputs.options).toEqual(
      args.throughput.mode === "manual" ? { throughput: args.throughput.ru } : { autoscaleSettings: { maxThroughput: args.throughput.maxRu } },
    );
    expect(keyspace.dependsOn).toContain(only(name, AZ.account).urn);
    // Temporal's schema tool creates the tables; the kit does not.
    expect(of(name, AZ.table)).toEqual([]);
  });

  it("publishes the primary key only as a secret", async () => {
    const store = stores[name];
    expect(await pulumi.isSecret(store.password)).toBe(true);
    const key = await promiseOf(store.password);
    expect(key).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(JSON.stringify(records)).not.toContain(key);
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain(key);
  });

  it("publishes the contact point, the TLS port, the account name as user and the keyspace", async () => {
    const store = stores[name];
    const accountName = String(accountOf(name).accountName);
    expect(await promiseOf(store.contactPoint)).toBe(`${accountName}.cassandra.cosmos.azure.com`);
    expect(store.port).toBe(10350);
    expect(await promiseOf(store.user)).toBe(accountName);
    expect(store.keyspace).toBe(args.keyspace);
    expect(store.ready).toEqual([store.account, store.keyspaceResource]);
  });

  it("parents every resource to the component and tags them", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children).toHaveLength(2);
    for (const child of children) {
      expect(child.parent, child.name).toBe(componentOf(name).urn);
      expect(child.inputs.tags, child.name).toEqual(args.tags);
    }
  });
});

describe("CosmosCassandra options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("prd-") && record.custom);
    expect(children).toHaveLength(2);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});
