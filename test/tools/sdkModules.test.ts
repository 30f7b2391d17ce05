import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { floorScript, sdkUseOf } from "../../tools/bench/sdkModules";

const ROOT = join(__dirname, "..", "..");

describe("the benchmark's floor (tools/bench/sdkModules.ts)", () => {
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
      "pulumi:providers:aws",
    ];
    expect(sdkUseOf(types).map((use) => use.module)).toEqual(["@pulumi/aws/ec2", "@pulumi/aws/provider", "@pulumi/aws/s3", "@pulumi/azure-native/storage", "@pulumi/kubernetes", "@pulumi/pulumi", "@pulumi/random", "@pulumi/tls"]);
  });

  it("reads each resource class, a Kubernetes kind under its group and version, a custom resource as CustomResource", () => {
    const kubernetes = sdkUseOf(["kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"]).find(
      (use) => use.module === "@pulumi/kubernetes",
    );
    expect(kubernetes?.classes).toEqual([["apiextensions", "CustomResource"], ["core", "v1", "Service"], ["networking", "v1", "NetworkPolicy"]]);
  });

  it("stops on a package it does not know rather than leave its load out of the floor", () => {
    expect(() => sdkUseOf(["gcp:storage/bucket:Bucket"])).toThrow(/gcp:storage\/bucket:Bucket/);
  });

  it("loads what it names from the installed SDKs, and fails on a class they lack", () => {
    const run = (types: string[]) => execFileSync(process.execPath, ["--eval", floorScript(sdkUseOf(types))], { cwd: ROOT, stdio: "pipe" });
    expect(() => run(["aws:ec2/vpc:Vpc", "kubernetes:apps/v1:Deployment", "kubernetes:networking.k8s.io/v1:Ingress", "tls:index/privateKey:PrivateKey", "pulumi:providers:kubernetes", "pulumi:providers:aws"])).not.toThrow();
    expect(() => run(["aws:ec2/vpc:NoSuchThing"])).toThrow(/@pulumi\/aws\/ec2 has no NoSuchThing/);
  });
});
