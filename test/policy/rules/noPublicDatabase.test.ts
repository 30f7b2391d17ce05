import { describe, expect, it } from "vitest";
import { noPublicDatabase } from "../../../policy/rules/noPublicDatabase";
import { kubernetesObject, messagesOf, record } from "../harness";

const privateServer = { network: { delegatedSubnetResourceId: "subnet-id", publicNetworkAccess: "Disabled" } };

describe("no-public-database", () => {
  it("reports a publicly accessible RDS instance", async () => {
    expect(await messagesOf(noPublicDatabase, [record("aws:rds/instance:Instance", "db", { publiclyAccessible: true })])).toEqual(["RDS instance is publiclyAccessible."]);
  });

  it("reports Azure Flexible Servers and Cosmos DB accounts open to public networks", async () => {
    const messages = await messagesOf(noPublicDatabase, [
      record("azure-native:dbforpostgresql:Server", "pg", { network: { publicNetworkAccess: "Enabled" } }),
      record("azure-native:dbformysql:Server", "mysql", {}),
      record("azure-native:cosmosdb:DatabaseAccount", "cosmos", {}),
    ]);
    expect(messages).toEqual([
      "Flexible Server has publicNetworkAccess Enabled.",
      "Flexible Server has publicNetworkAccess Enabled (no delegated subnet).",
      "Cosmos DB account has publicNetworkAccess Enabled (the default).",
    ]);
  });

  it("reports an OpenSearch domain outside a VPC", async () => {
    expect(await messagesOf(noPublicDatabase, [record("aws:opensearch/domain:Domain", "search", {})])).toEqual([
      "OpenSearch domain is not inside a VPC (no vpcOptions.subnetIds).",
    ]);
  });

  it("reports a LoadBalancer or NodePort Service in front of an in-cluster database", async () => {
    const messages = await messagesOf(noPublicDatabase, [
      kubernetesObject("kubernetes:core/v1:Service", "temporal-mysql", { spec: { type: "LoadBalancer", ports: [{ port: 3306 }] } }),
      kubernetesObject("kubernetes:core/v1:Service", "temporal-elasticsearch", { spec: { type: "NodePort", ports: [{ port: 9200 }] } }),
    ]);
    expect(messages).toEqual([
      "Service temporal/temporal-mysql of type LoadBalancer exposes database port 3306.",
      "Service temporal/temporal-elasticsearch of type NodePort exposes database port 9200.",
    ]);
  });

  it("accepts private databases and a ClusterIP database Service", async () => {
    const messages = await messagesOf(noPublicDatabase, [
      record("aws:rds/instance:Instance", "db", { publiclyAccessible: false }),
      record("azure-native:dbforpostgresql:Server", "pg", privateServer),
      record("azure-native:cosmosdb:DatabaseAccount", "cosmos", { publicNetworkAccess: "Disabled" }),
      record("azure-native:cosmosdb:CassandraCluster", "cassandra", { properties: { delegatedManagementSubnetId: "subnet-id" } }),
      record("aws:opensearch/domain:Domain", "search", { vpcOptions: { subnetIds: ["subnet-1"] } }),
      kubernetesObject("kubernetes:core/v1:Service", "temporal-mysql", { spec: { ports: [{ port: 3306 }] } }),
      kubernetesObject("kubernetes:core/v1:Service", "temporal-web", { spec: { type: "LoadBalancer", ports: [{ port: 8080 }] } }),
    ]);
    expect(messages).toEqual([]);
  });
});
