import * as authorization from "@pulumi/azure-native/authorization";
import * as cosmosdb from "@pulumi/azure-native/cosmosdb";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { GLOBAL_NAME_RULES, globalNameOutput } from "../../azure/globalName";
import { azureTags } from "../../azure/tags";

export type CosmosThroughput = { mode: "manual"; ru: number } | { mode: "autoscale"; maxRu: number };

export interface CosmosCassandraArgs {
  resourceGroupName: pulumi.Input<string>;
  location: pulumi.Input<string>;
  /** The keyspace Temporal's schema goes into; the component provisions its throughput. */
  keyspace: string;
  /** Request units per second shared by every table of the keyspace, fixed or scaled between a tenth of the maximum and the maximum. */
  throughput: CosmosThroughput;
  /** Must be false: lightweight transactions, which Temporal relies on, only work with a single write region. */
  multiRegionWrites: false;
  /**
   * Subnets (with the Microsoft.AzureCosmosDB service endpoint) whose traffic the account's firewall
   * admits. Without any, public network access is off and only a private endpoint made elsewhere
   * reaches the account.
   */
  allowedSubnetIds: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/** Shown at every preview and update of a stack that uses Cosmos DB for Temporal. */
export const COSMOS_TEMPORAL_RISK =
  "Azure Cosmos DB for Apache Cassandra is not a proven store for Temporal: Temporal's Cassandra persistence relies on LOGGED batches " +
  "combined with lightweight transactions (conditional writes), which Cosmos DB's Cassandra API has been reported not to support, " +
  "and Temporal publishes no support statement for Cosmos DB. Expect failures under load or on upgrade, and test thoroughly before " +
  "trusting it with workflows; for production, Azure Managed Instance for Apache Cassandra (real Apache Cassandra) is recommended.";

export const MULTI_REGION_WRITES_REFUSED =
  "CosmosCassandra cannot enable multi-region writes: Temporal needs lightweight transactions, which Cosmos DB only offers with writes in a single region";

/** TLS only; the Cassandra API does not listen on 9042. */
const COSMOS_CQL_PORT = 10350;
/** Dedicated keyspace throughput: at least 400 RU/s, in steps of 100. */
const MIN_MANUAL_RU = 400;
/** Autoscale maximum: at least 1,000 RU/s, in steps of 1,000. */
const MIN_AUTOSCALE_RU = 1000;
/** A CQL identifier without quotes, which Cosmos DB keeps as given. */
const KEYSPACE_NAME = /^[a-z][a-z0-9_]{0,47}$/;

/** Checks the throughput against Cosmos DB's minimums and steps and returns the keyspace's create options. */
export function throughputOptions(throughput: CosmosThroughput): cosmosdb.CassandraResourceCassandraKeyspaceArgs["options"] {
  if (throughput.mode === "manual") {
    if (!Number.isInteger(throughput.ru) || throughput.ru < MIN_MANUAL_RU || throughput.ru % 100 !== 0) {
      throw new Error(`Manual throughput must be at least ${MIN_MANUAL_RU} RU/s in steps of 100; given ${throughput.ru}`);
    }
    return { throughput: throughput.ru };
  }
  if (!Number.isInteger(throughput.maxRu) || throughput.maxRu < MIN_AUTOSCALE_RU || throughput.maxRu % 1000 !== 0) {
    throw new Error(`Autoscale maximum throughput must be at least ${MIN_AUTOSCALE_RU} RU/s in steps of 1000; given ${throughput.maxRu}`);
  }
  return { autoscaleSettings: { maxThroughput: throughput.maxRu } };
}

/**
 * Azure Cosmos DB for Apache Cassandra for Temporal, with its risks stated at every deployment
 * (see {@link COSMOS_TEMPORAL_RISK}): one region taking writes at strong consistency, TLS 1.2 on
 * port 10350, a firewall that admits only the allowed subnets, and the account key (Cosmos DB's
 * Cassandra API authenticates with keys) published only as a Pulumi secret.
 */
export class CosmosCassandra extends pulumi.ComponentResource {
  readonly account: cosmosdb.DatabaseAccount;
  readonly keyspaceResource: cosmosdb.CassandraResourceCassandraKeyspace;
  /** `<account>.cassandra.cosmos.azure.com` (Azure public cloud). */
  readonly contactPoint: pulumi.Output<string>;
  readonly port: number;
  /** Cosmos DB's Cassandra user name is the account name. */
  readonly user: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
  readonly keyspace: string;
  /** What must exist before anything connects: the account and the provisioned keyspace. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: CosmosCassandraArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:azure:CosmosCassandra", name, {}, opts);
    // Typed false, but stack config and JavaScript callers reach here unchecked.
    if ((args.multiRegionWrites as boolean) !== false) throw new Error(MULTI_REGION_WRITES_REFUSED);
    if (!KEYSPACE_NAME.test(args.keyspace)) {
      throw new Error(`Keyspace name "${args.keyspace}" must be lower-case letters, digits and _, starting with a letter, at most 48 characters`);
    }
    const options = throughputOptions(args.throughput);
    const tags = azureTags(args.tags);
    pulumi.log.warn(COSMOS_TEMPORAL_RISK, this);
    this.port = COSMOS_CQL_PORT;
    this.keyspace = args.keyspace;
    const subnets = args.allowedSubnetIds;
    const subscriptionId = authorization.getClientConfigOutput({ parent: this }).subscriptionId;

    this.account = new cosmosdb.DatabaseAccount(
      `${name}-account`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        accountName: globalNameOutput(name, subscriptionId, args.resourceGroupName, GLOBAL_NAME_RULES.cosmosAccount),
        kind: "GlobalDocumentDB",
        capabilities: [{ name: "EnableCassandra" }],
        databaseAccountOfferType: "Standard",
        locations: [{ locationName: args.location, failoverPriority: 0 }],
        enableMultipleWriteLocations: false,
        // Cosmos DB maps every Cassandra write to the account's default consistency: Temporal needs it strong.
        consistencyPolicy: { defaultConsistencyLevel: "Strong" },
        minimalTlsVersion: "Tls12",
        // The Cassandra API authenticates with account keys; Entra-only access would lock Temporal out.
        disableLocalAuth: false,
        // Temporal's schema tool creates and alters tables over CQL with the key: key-based metadata writes stay on.
        disableKeyBasedMetadataWriteAccess: false,
        // Service-endpoint traffic arrives on the public endpoint: "Disabled" would refuse the allowed
        // subnets too (MicrosoftDocs/azure-docs#75578), so it is only "Enabled" when there are some.
        publicNetworkAccess: subnets.length > 0 ? "Enabled" : "Disabled",
        isVirtualNetworkFilterEnabled: subnets.length > 0,
        // Cosmos DB refuses rules while the filter is off, even an empty list.
        ...(subnets.length > 0 ? { virtualNetworkRules: subnets.map((id) => ({ id, ignoreMissingVNetServiceEndpoint: false })) } : {}),
        ipRules: [],
        networkAclBypass: "None",
        tags,
      },
      childOf(this, opts),
    );

    this.keyspaceResource = new cosmosdb.CassandraResourceCassandraKeyspace(
      `${name}-keyspace`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
        keyspaceName: args.keyspace,
        resource: { id: args.keyspace },
        options,
        tags,
      },
      childOf(this, opts),
    );
    this.ready = [this.account, this.keyspaceResource];

    this.contactPoint = pulumi.interpolate`${this.account.name}.cassandra.cosmos.azure.com`;
    this.user = this.account.name;
    const keys = cosmosdb.listDatabaseAccountKeysOutput({ accountName: this.account.name, resourceGroupName: args.resourceGroupName }, { parent: this });
    this.password = pulumi.secret(keys.primaryMasterKey);

    this.registerOutputs({ contactPoint: this.contactPoint, port: this.port, user: this.user, password: this.password, keyspace: this.keyspace });
  }
}
