import { z } from "zod";
import type { Environment } from "../../config/schema";
import { VISIBILITY_INDEX, visibilityIndex } from "../search/config";
import type { ReportIssue, StoreRuleInput } from "../rules";

/** An Amazon OpenSearch Service domain in the stack's VPC. */
export const openSearch = z.strictObject({
  store: z.literal("opensearch").meta({ description: "An Amazon OpenSearch Service domain in the VPC, over HTTPS with fine-grained access control (aws-eks)." }),
  hosting: z.literal("aws").meta({ description: "The domain runs in Amazon OpenSearch Service, the only hosting for this store." }),
  engineVersion: z.string().regex(/^OpenSearch_2\.\d+$/, "must be an OpenSearch 2 engine version such as OpenSearch_2.19").meta({ description: "The domain's OpenSearch 2 engine version, such as OpenSearch_2.19." }),
  instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, "must be an OpenSearch instance type such as r6g.large.search").meta({ description: "The instance type of each data node, such as r6g.large.search." }),
  instanceCount: z.number().int().min(1).max(80).meta({ description: "How many data nodes the domain runs." }),
  dedicatedMasters: z.boolean().meta({ description: "Dedicated master nodes beside the data nodes." }),
  volumeSizeGb: z.number().int().min(10).max(16384).meta({ description: "The EBS volume of each data node, in GB." }),
  index: visibilityIndex,
  createServiceLinkedRole: z.boolean().meta({ description: "Create the account's OpenSearch service-linked role, which a fresh account lacks and an account that has it refuses twice." }),
});
export type OpenSearchConfig = z.infer<typeof openSearch>;

export const OPENSEARCH_PRESETS: Record<Environment, OpenSearchConfig> = {
  dev: { store: "opensearch", hosting: "aws", engineVersion: "OpenSearch_2.19", instanceType: "t3.medium.search", instanceCount: 1, dedicatedMasters: false, volumeSizeGb: 20, index: VISIBILITY_INDEX, createServiceLinkedRole: false },
  staging: { store: "opensearch", hosting: "aws", engineVersion: "OpenSearch_2.19", instanceType: "r6g.large.search", instanceCount: 2, dedicatedMasters: false, volumeSizeGb: 50, index: VISIBILITY_INDEX, createServiceLinkedRole: false },
  production: { store: "opensearch", hosting: "aws", engineVersion: "OpenSearch_2.19", instanceType: "r6g.large.search", instanceCount: 3, dedicatedMasters: true, volumeSizeGb: 200, index: VISIBILITY_INDEX, createServiceLinkedRole: false },
};

export function openSearchRules(config: StoreRuleInput, issue: ReportIssue): void {
  const platform = String(config.platform);
  if (platform !== "aws-eks") {
    issue(["visibility", "store"], "opensearch", `needs platform aws-eks: Amazon OpenSearch Service is an AWS service; this stack's platform is ${platform}`);
  }
}
