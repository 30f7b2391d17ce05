import { ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synthRuns";

/* The engine's side of the wire: Pulumi's own generated analyzer client and messages. */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const grpc = require("@grpc/grpc-js");
const protoDir = dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [protoDir] }));
const Empty = analyzerGrpc.AnalyzerService.getAnalyzerInfo.requestType;

let pack: ChildProcess;
let client: any;

/** Starts policy/index.ts the way the CLI's language host does: in the pack's folder, reading the port it prints. */
beforeAll(async () => {
  pack = spawn(join(PROJECT_ROOT, "node_modules", ".bin", "tsx"), ["index.ts"], { cwd: join(PROJECT_ROOT, "policy"), stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise<string>((resolve, reject) => {
    let output = "";
    pack.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /^(\d+)\s*$/m.exec(output);
      if (match) resolve(match[1]);
    });
    pack.stderr!.on("data", (chunk) => (output += chunk));
    pack.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${output}`)));
  });
  client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
  client?.close();
  pack?.kill();
});

const call = <T>(method: string, request: unknown) =>
  new Promise<T>((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));

function analyzerResource<T extends { setType(t: string): void }>(message: T, type: string, name: string, properties: Record<string, unknown>): T {
  const resource = message as any;
  resource.setType(type);
  resource.setName(name);
  resource.setUrn(`urn:pulumi:production::temporal-kit::${type}::${name}`);
  resource.setProperties(Struct.fromJavaScript(properties));
  resource.setOptions(new analyzerPb.AnalyzerResourceOptions());
  return message;
}

describe("policy/index.ts served to the Pulumi engine", () => {
  it("describes the pack and every rule", async () => {
    const info = await call<any>("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("temporal-kit");
    expect(info.getPoliciesList().map((policy: any) => policy.getName())).toContain("no-public-database");
  });

  it("reports a publicly accessible RDS instance from Analyze", async () => {
    const request = analyzerResource(new analyzerPb.AnalyzeRequest(), "aws:rds/instance:Instance", "db", { publiclyAccessible: true, storageEncrypted: true });
    const response = await call<any>("analyze", request);
    expect(response.getDiagnosticsList().map((diagnostic: any) => [diagnostic.getPolicyname(), diagnostic.getMessage()])).toEqual([
      ["no-public-database", expect.stringContaining("RDS instance is publiclyAccessible.")],
    ]);
  });

  it("reports a single-replica production Deployment from AnalyzeStack", async () => {
    const stack = analyzerResource(new analyzerPb.AnalyzerResource(), "pulumi:pulumi:Stack", "temporal-kit-production", { environment: "production" });
    const deployment = analyzerResource(new analyzerPb.AnalyzerResource(), "kubernetes:apps/v1:Deployment", "frontend", {
      kind: "Deployment",
      metadata: { name: "frontend", namespace: "temporal" },
      spec: { replicas: 1, template: { metadata: { labels: { app: "frontend" } }, spec: { containers: [] } } },
    });
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList([stack, deployment]);
    const response = await call<any>("analyzeStack", request);
    const reported = response.getDiagnosticsList().map((diagnostic: any) => diagnostic.getPolicyname());
    expect(reported).toContain("production-replicas");
  });
});
