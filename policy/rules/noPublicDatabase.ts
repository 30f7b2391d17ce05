import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isKubernetesType, objectName } from "../kubernetes";

/** Ports of the data stores the kit runs in-cluster: MySQL, PostgreSQL, Cassandra, Elasticsearch. */
export const DATABASE_PORTS = new Set([3306, 5432, 9042, 7000, 9200, 9300]);
const EXPOSING_SERVICE_TYPES = new Set(["LoadBalancer", "NodePort"]);

type Check = (props: Record<string, any>) => string | undefined;

const CHECKS: Record<string, Check> = {
  "aws:rds/instance:Instance": (props) => (props.publiclyAccessible === true ? "RDS instance is publiclyAccessible" : undefined),
  "aws:rds/clusterInstance:ClusterInstance": (props) => (props.publiclyAccessible === true ? "RDS cluster instance is publiclyAccessible" : undefined),
  "aws:opensearch/domain:Domain": (props) => (props.vpcOptions?.subnetIds?.length ? undefined : "OpenSearch domain is not inside a VPC (no vpcOptions.subnetIds)"),
  "azure-native:dbforpostgresql:Server": (props) => flexibleServer(props),
  "azure-native:dbformysql:Server": (props) => flexibleServer(props),
  "azure-native:cosmosdb:DatabaseAccount": (props) =>
    props.publicNetworkAccess === "Disabled" ? undefined : `Cosmos DB account has publicNetworkAccess ${props.publicNetworkAccess ?? "Enabled (the default)"}`,
  "azure-native:cosmosdb:CassandraCluster": (props) =>
    props.properties?.delegatedManagementSubnetId ? undefined : "managed Cassandra cluster is not in a delegated subnet",
};

function flexibleServer(props: Record<string, any>): string | undefined {
  const access = props.network?.publicNetworkAccess;
  if (access === "Disabled") return undefined;
  if (access === undefined && props.network?.delegatedSubnetResourceId) return undefined;
  return `Flexible Server has publicNetworkAccess ${access ?? "Enabled (no delegated subnet)"}`;
}

function exposedDatabaseService(props: Record<string, any>): string | undefined {
  const type = props.spec?.type;
  if (!EXPOSING_SERVICE_TYPES.has(type)) return undefined;
  const ports = (props.spec?.ports ?? []).map((port: { port: number }) => Number(port.port)).filter((port: number) => DATABASE_PORTS.has(port));
  return ports.length ? `Service ${objectName(props)} of type ${type} exposes database port ${ports.join(", ")}` : undefined;
}

export const noPublicDatabase: ResourceValidationPolicy = {
  name: "no-public-database",
  description:
    "No data store is reachable from outside its network: RDS not publicly accessible, Azure Flexible Server and Cosmos DB without public network access, OpenSearch inside a VPC, no LoadBalancer/NodePort Service in front of an in-cluster database.",
  validateResource: (args, reportViolation) => {
    const check = CHECKS[args.type] ?? (isKubernetesType(args.type, "core/v1:Service") ? exposedDatabaseService : undefined);
    if (!check) return args.notApplicable("not a data store");
    const problem = check(args.props);
    if (problem) reportViolation(`${problem}.`);
  },
};
