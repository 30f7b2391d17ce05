import type { ResourceRecord } from "./recorder";
import { aliasCandidates, engineUrns } from "./urns";

/**
 * The resource types whose URN must survive any move of the kit's code (test/stacks/pinStatefulUrns.ts,
 * test/stacks/statefulUrns.test.ts): those a lost URN would replace with a new one, losing data, a
 * generated secret or key every client holds, or everything inside. A lost URN makes Pulumi create
 * the resource anew and delete the old one; an alias keeps it (docs/architecture.md, "URNs that survive a move").
 *
 * Left out on purpose: what a replace only recreates from the stack's config (Deployments, Services,
 * ConfigMaps, Jobs, IAM roles, security groups, load balancers, ECS services, Lambda functions,
 * NetworkPolicies), networks (a VPC or VNet cannot be deleted while the database is in it, so its
 * loss fails the deploy instead of losing data), derived objects whose inputs are all pinned here (a
 * Secrets Manager secret's version, a certificate request), and the kit's components, which hold
 * nothing; whatever is protected or retained is pinned anyway.
 */
export const STATEFUL_TYPES: Record<string, string> = {
  // Databases and their data.
  "aws:rds/instance:Instance": "the SQL database",
  // Bound to the instance by a fixed name: a new one clashes with the old, which AWS will not delete while the database uses it.
  "aws:rds/parameterGroup:ParameterGroup": "the database's parameters, bound to the instance",
  "aws:rds/subnetGroup:SubnetGroup": "the database's subnets, bound to the instance",
  "aws:opensearch/domain:Domain": "the visibility index",
  "azure-native:dbformysql:Server": "the SQL database server",
  "azure-native:dbformysql:Database": "a database and its tables",
  "azure-native:dbforpostgresql:Server": "the SQL database server",
  "azure-native:dbforpostgresql:Database": "a database and its tables",
  "azure-native:cosmosdb:DatabaseAccount": "the Cosmos DB account",
  "azure-native:cosmosdb:CassandraResourceCassandraKeyspace": "the Cassandra keyspace and its tables",
  "azure-native:cosmosdb:CassandraCluster": "the managed Cassandra cluster",
  "azure-native:cosmosdb:CassandraDataCenter": "the managed Cassandra data center and its nodes' data",
  // In-cluster stores: the StatefulSet owns the volume claims.
  "kubernetes:apps/v1:StatefulSet": "an in-cluster store and its volume claims",
  "kubernetes:core/v1:PersistentVolumeClaim": "a volume",
  // Deleting a namespace deletes everything in it, the stores' volume claims too.
  "kubernetes:core/v1:Namespace": "the namespace and everything in it",
  // Archives.
  "aws:s3/bucket:Bucket": "the archive",
  "azure-native:storage:StorageAccount": "the archive's account",
  "azure-native:storage:BlobContainer": "the archive",
  // Deleting a resource group deletes every resource in it.
  "azure-native:resources:ResourceGroup": "the resource group and every resource in it",
  // Clusters: a new one starts empty, without the in-cluster stores' volumes.
  "aws:eks/cluster:Cluster": "the Kubernetes cluster",
  "aws:eks/nodeGroup:NodeGroup": "the cluster's nodes",
  "azure-native:containerservice:ManagedCluster": "the Kubernetes cluster",
  "azure-native:containerservice:AgentPool": "the cluster's nodes",
  // Keys and generated secrets: a new value locks out whatever holds the old one.
  "aws:kms/key:Key": "a key; what it encrypted is lost with it",
  "aws:secretsmanager/secret:Secret": "a credential, named: a new one clashes with the old in its recovery window",
  "azure-native:keyvault:Vault": "the key vault",
  "azure-native:keyvault:Secret": "a credential",
  "kubernetes:core/v1:Secret": "credentials and keys, named: a new one's create and the old one's delete hit the same object",
  "random:index/randomPassword:RandomPassword": "a generated password",
  "random:index/randomString:RandomString": "a generated name",
  "random:index/randomId:RandomId": "a generated id",
  "tls:index/privateKey:PrivateKey": "a generated key",
  "tls:index/selfSignedCert:SelfSignedCert": "a certificate authority every client trusts",
  "tls:index/locallySignedCert:LocallySignedCert": "a certificate",
  // The record of what was deployed: a new one forgets the running release and shard count.
  "pulumi-nodejs:dynamic/temporal-kit:UpgradeGuard": "the deployed release and shard count",
};

/** Whether a resource's URN must be pinned: a stateful type, or protected, or kept on delete. */
export function isStateful(record: ResourceRecord): boolean {
  return record.type in STATEFUL_TYPES || record.protect === true || record.retainOnDelete === true;
}

/** The engine URNs of a stack's stateful resources (urns.ts: not the recorded ones), sorted. */
export function statefulUrnsOf(records: readonly ResourceRecord[]): string[] {
  const engine = engineUrns(records);
  return records.filter(isStateful).map((record) => engine.get(record.urn)!).sort();
}

/**
 * The pinned URNs a stack's synth no longer holds: neither a resource's engine URN, nor one of the
 * old URNs the engine would look a resource up under (its aliases, and those inherited from its
 * parent's).
 */
export function lostUrns(pinned: readonly string[], records: readonly ResourceRecord[]): string[] {
  const kept = new Set(engineUrns(records).values());
  for (const aliases of aliasCandidates(records).values()) for (const alias of aliases) kept.add(alias);
  return pinned.filter((urn) => !kept.has(urn));
}

/** The committed pins: by synth label (test/helpers/synthRuns.ts `synthTargets`), the stateful URNs. */
export const PINS_FILE = "test/stacks/stateful-urns.json";

export interface StatefulPins {
  about: string;
  stacks: Record<string, string[]>;
}
