import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sdkModulesOf } from "../../tools/bench/sdkModules";

const ROOT = join(__dirname, "..", "..");

describe("sdkModulesOf (the benchmark's floor)", () => {
  it("names each cloud's service module, the smaller providers whole, and always @pulumi/pulumi", () => {
    const types = [
      "pulumi:pulumi:Stack",
      "temporal-kit:index:TemporalCluster",
      "pulumi-nodejs:dynamic/temporal-kit:UpgradeGuard",
      "aws:s3/bucketV2:BucketV2",
      "aws:ec2/vpc:Vpc",
      "azure-native:storage:StorageAccount",
      "kubernetes:apps/v1:Deployment",
      "random:index/randomPassword:RandomPassword",
      "pulumi:providers:tls",
    ];
    expect(sdkModulesOf(types)).toEqual(["@pulumi/aws/ec2", "@pulumi/aws/s3", "@pulumi/azure-native/storage", "@pulumi/kubernetes", "@pulumi/pulumi", "@pulumi/random", "@pulumi/tls"]);
  });

  it("stops on a package it does not know rather than leave its load out of the floor", () => {
    expect(() => sdkModulesOf(["gcp:storage/bucket:Bucket"])).toThrow(/gcp:storage\/bucket:Bucket/);
  });

  it("names modules the installed SDKs have", () => {
    const types = ["aws:rds/instance:Instance", "azure-native:cosmosdb:DatabaseAccount", "kubernetes:core/v1:Service", "tls:index/privateKey:PrivateKey"];
    for (const module of sdkModulesOf(types)) expect(existsSync(join(ROOT, "node_modules", module)), module).toBe(true);
  });
});
