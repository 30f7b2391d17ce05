import type * as pulumi from "@pulumi/pulumi";
import type { AwsStorePlacement } from "../awsStoreArgs";
import type { ManagedStore } from "../contract";
import type { OpenSearchConfig } from "./config";
import { OpenSearchDomain } from "./openSearchDomain";

/** The OpenSearch domain for visibility beside Cassandra on EKS, as the Kubernetes side consumes it. */
export function openSearchOnAws(name: string, args: AwsStorePlacement & { config: OpenSearchConfig }, opts: pulumi.ComponentResourceOptions): { domain: OpenSearchDomain; managed: ManagedStore } {
  const { config } = args;
  const domain = new OpenSearchDomain(
    name,
    {
      engineVersion: config.engineVersion,
      instanceType: config.instanceType,
      instanceCount: config.instanceCount,
      dedicatedMasters: config.dedicatedMasters,
      volumeSizeGb: config.volumeSizeGb,
      vpcId: args.vpcId,
      subnetIds: args.subnetIds,
      clientSecurityGroupIds: args.clientSecurityGroupIds,
      createServiceLinkedRole: config.createServiceLinkedRole,
      tags: args.tags,
    },
    opts,
  );
  // OpenSearch 2 answers Temporal's Elasticsearch v7 client.
  return { domain, managed: { kind: "elasticsearch", version: "v7", host: domain.endpoint, username: domain.username, password: domain.password, ready: [domain] } };
}
