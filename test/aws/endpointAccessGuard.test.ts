import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { clusterVpcProblem } from "../../components/platforms/aws/awsPlatform";
import { EndpointAccessFacts, EndpointAccessGuard, endpointAccessFailures, endpointAccessGuardProvider } from "../../components/aws/endpointAccessGuard";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { settle, startMockRuntime } from "../helpers/mockRuntime";

const publicFirst: EndpointAccessFacts = { vpcCidrBlock: "10.42.0.0/16", privateOnly: false };
const closed: EndpointAccessFacts = { ...publicFirst, privateOnly: true };

describe("the endpoint access guard's check", () => {
  it("lets the first deployment of a VPC reach its cluster through the public endpoint", () => {
    expect(endpointAccessFailures({}, publicFirst)).toEqual([]);
  });

  it("refuses a private-only endpoint on the deployment that creates the VPC, saying how to get there", () => {
    const [failure, ...others] = endpointAccessFailures({}, closed);
    expect(others).toEqual([]);
    expect(failure.property).toBe("privateOnly");
    expect(failure.reason).toContain("this deployment creates the VPC (aws.network.mode: create, 10.42.0.0/16)");
    expect(failure.reason).toContain("no network is routed to it yet");
    expect(failure.reason).toContain("Deploy with endpointPublicAccess: true and publicAccessCidrs");
    expect(failure.reason).toContain("set endpointPublicAccess: false and deploy again");
  });

  it("lets a later deployment close the public endpoint of the VPC an earlier one created", () => {
    expect(endpointAccessFailures(publicFirst, closed)).toEqual([]);
    expect(endpointAccessFailures(closed, closed)).toEqual([]);
  });

  it("lets a stack deployed private-only before the guard existed keep its endpoint: its VPC's id is known from the state", () => {
    expect(endpointAccessFailures({}, { ...closed, vpcId: "vpc-0a1b2c3d4e5f60718" })).toEqual([]);
    // A VPC still to be made has no id at preview; the engine passes it as unknown.
    expect(endpointAccessFailures({}, { ...closed, vpcId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })).toHaveLength(1);
  });

  it("refuses a private-only endpoint when a new block replaces the VPC", () => {
    const [failure] = endpointAccessFailures(closed, { vpcCidrBlock: "10.52.0.0/16", privateOnly: true });
    expect(failure.reason).toContain("aws.network.cidrBlock changes from 10.42.0.0/16 to 10.52.0.0/16, which replaces the VPC");
  });

  it("lets a public endpoint follow the VPC anywhere", () => {
    expect(endpointAccessFailures(closed, { vpcCidrBlock: "10.52.0.0/16", privateOnly: false })).toEqual([]);
  });
});

describe("the endpoint access guard's provider", () => {
  it("fails the preview with the check's failures and keeps the stack's facts as inputs", async () => {
    const result = await endpointAccessGuardProvider.check!({}, closed);
    expect(result.inputs).toEqual(closed);
    expect(result.failures).toEqual(endpointAccessFailures({}, closed));
  });

  it("records a change of either fact, and never replaces itself", async () => {
    expect(await endpointAccessGuardProvider.diff!("id", publicFirst, publicFirst)).toMatchObject({ changes: false });
    expect(await endpointAccessGuardProvider.diff!("id", publicFirst, closed)).toMatchObject({ changes: true, replaces: [] });
    expect((await endpointAccessGuardProvider.update!("id", publicFirst, closed)).outs).toEqual(closed);
  });
});

describe("the provider as Pulumi stores it in the state", () => {
  let record: ResourceRecord;
  beforeAll(async () => {
    const records = (await startMockRuntime()).resources;
    new EndpointAccessGuard("network-guard", { ...closed, vpcId: "vpc-0a1b2c3d4e5f60718" });
    await settle();
    record = records.find((candidate) => candidate.type === "pulumi-nodejs:dynamic/temporal-kit:EndpointAccessGuard")!;
  });

  it("records the VPC's block and id, and whether the endpoint is private-only", () => {
    const { __provider, ...facts } = record.inputs;
    expect(facts).toEqual({ ...closed, vpcId: "vpc-0a1b2c3d4e5f60718" });
    expect(typeof __provider).toBe("string");
  });

  // The engine runs the serialized text in a separate process: it must work without this module.
  it("runs on its own and still refuses a private-only endpoint on a VPC no deployment created", async () => {
    const module = { exports: {} as { handler: () => pulumi.dynamic.ResourceProvider } };
    new Function("exports", "require", "module", record.inputs.__provider as string)(module.exports, require, module);
    const provider = module.exports.handler();
    expect((await provider.check!({}, closed)).failures?.[0].reason).toContain("this deployment creates the VPC");
    expect((await provider.check!(publicFirst, closed)).failures).toEqual([]);
  });
});

describe("an existing cluster's network", () => {
  it("is the one aws.network names", () => {
    expect(clusterVpcProblem("platform-shared", "vpc-0e5c0a1b2c3d4e5f6", "vpc-0e5c0a1b2c3d4e5f6")).toBeUndefined();
  });

  it("refuses another VPC, naming both", () => {
    expect(clusterVpcProblem("platform-shared", "vpc-0e5c0a1b2c3d4e5f6", "vpc-0123456789abcdef0")).toMatch(
      /^aws\.network\.vpcId is vpc-0123456789abcdef0, but EKS cluster platform-shared runs in vpc-0e5c0a1b2c3d4e5f6: /,
    );
  });
});
