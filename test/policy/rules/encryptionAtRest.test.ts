import { describe, expect, it } from "vitest";
import { encryptionAtRest } from "../../../policy/rules/encryptionAtRest";
import { messagesOf, record } from "../harness";

describe("encryption-at-rest", () => {
  it("reports unencrypted RDS, OpenSearch, EBS and EKS secrets", async () => {
    const messages = await messagesOf(encryptionAtRest, [
      record("aws:rds/instance:Instance", "db", { storageEncrypted: false }),
      record("aws:opensearch/domain:Domain", "search", { encryptAtRest: { enabled: false } }),
      record("aws:ebs/volume:Volume", "data", {}),
      record("aws:eks/cluster:Cluster", "eks", {}),
    ]);
    expect(messages).toEqual([
      "RDS instance does not set storageEncrypted.",
      "OpenSearch domain does not enable encryptAtRest.",
      "EBS volume is not encrypted.",
      "EKS cluster does not encrypt Kubernetes secrets with KMS (encryptionConfig).",
    ]);
  });

  it("accepts encrypted stores", async () => {
    const messages = await messagesOf(encryptionAtRest, [
      record("aws:rds/instance:Instance", "db", { storageEncrypted: true }),
      record("aws:opensearch/domain:Domain", "search", { encryptAtRest: { enabled: true } }),
      record("aws:ebs/volume:Volume", "data", { encrypted: true }),
      record("aws:eks/cluster:Cluster", "eks", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn" } } }),
    ]);
    expect(messages).toEqual([]);
  });
});
