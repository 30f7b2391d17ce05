import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitMocks } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { mockSecretValues, plaintextLeaks, plaintextStackValues, readOutputFiles } from "./plaintextSecrets";

const password: ResourceRecord = {
  urn: "urn:pulumi:test::temporal-kit::random:index/randomPassword:RandomPassword::db-password",
  type: "random:index/randomPassword:RandomPassword",
  name: "db-password",
  parent: null,
  custom: true,
  dependsOn: [],
  provider: null,
  inputs: { length: 32, special: false },
};
const generated = async () => String(((await kitMocks.newResource({ type: password.type, name: password.name, inputs: password.inputs })) as unknown as { state: { result: string } }).state.result);

describe("plaintext secret detection", () => {
  it("recomputes the password the mocks generate for a RandomPassword", async () => {
    expect(await mockSecretValues([password])).toEqual([{ source: "db-password.result", value: await generated() }]);
  });

  it("catches a planted password in a synth output file, plain or base64, and nowhere else", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "plaintext-"));
    mkdirSync(join(outDir, "temporal"));
    writeFileSync(join(outDir, "resources.json"), JSON.stringify([{ inputs: { password: "[secret]" } }]));
    writeFileSync(join(outDir, "temporal", "temporal.yaml"), `password: ${await generated()}\n`);
    writeFileSync(join(outDir, "kubernetes.yaml"), `data:\n  password: ${Buffer.from(await generated()).toString("base64")}\n`);
    expect(plaintextLeaks(readOutputFiles(outDir), await mockSecretValues([password]))).toEqual([
      { file: "kubernetes.yaml", source: "db-password.result" },
      { file: join("temporal", "temporal.yaml"), source: "db-password.result" },
    ]);
  });

  it("flags secret-looking stack file values that are not secure, and private keys under any name", () => {
    const stackFile = [
      "config:",
      "  temporal-kit:database:",
      "    host: db.example.com",
      "    password: hunter2",
      "    adminPassword:",
      "      secure: v1:abc",
      "  temporal-kit:clientSecret: s3cret",
      "  temporal-kit:apiToken:",
      "    secure: v1:def",
      "  temporal-kit:tls:",
      '    ca: "-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----"',
      "  temporal-kit:keyspace: temporal",
    ].join("\n");
    expect(plaintextStackValues(stackFile)).toEqual(["temporal-kit:database.password", "temporal-kit:clientSecret", "temporal-kit:tls.ca"]);
  });
});
