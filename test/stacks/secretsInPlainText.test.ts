import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { mockSecretValues, plaintextLeaks, plaintextStackValues, readOutputFiles } from "../helpers/plaintextSecrets";
import { PROJECT_ROOT, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const succeeded = runs.filter((run) => !run.label.endsWith("invalid"));
const stackFiles = readdirSync(join(PROJECT_ROOT, "stacks")).filter((file) => /^Pulumi\..+\.yaml$/.test(file));

describe.each(succeeded.map((run) => run.label))("stack %s", (label) => {
  const run = succeeded.find((candidate) => candidate.label === label)!;

  it("has generated secrets to look for", async () => {
    const passwords = readSynthOutput(run).resources.filter((record) => record.type === "random:index/randomPassword:RandomPassword");
    expect((await mockSecretValues(readSynthOutput(run).resources)).length).toBeGreaterThanOrEqual(passwords.length);
    if (!label.startsWith("fixture:")) expect(passwords.length, "every shipped stack generates a password").toBeGreaterThan(0);
  });

  it("writes none of the secrets the mock runtime generated into any synth output file, plain or base64, outside private/", async () => {
    const secrets = await mockSecretValues(readSynthOutput(run).resources);
    const files = readOutputFiles(run.outDir, { skip: ["private"] });
    expect(Object.keys(files)).toEqual(expect.arrayContaining(["resources.json", "kubernetes.yaml", "outputs.json"]));
    expect(plaintextLeaks(files, secrets)).toEqual([]);
  });

  it("keeps the revealed manifests for the local runner in private/, which only its owner may read", () => {
    const privateDir = join(run.outDir, "private");
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(privateDir)).toEqual(["kubernetes.yaml"]);
    expect(statSync(join(privateDir, "kubernetes.yaml")).mode & 0o777).toBe(0o600);
  });
});

describe("stack files", () => {
  it("finds the shipped stack files", () => {
    expect(stackFiles.length).toBeGreaterThanOrEqual(7);
  });

  it.each(stackFiles)("%s holds secrets only as secure: values", (file) => {
    expect(plaintextStackValues(readFileSync(join(PROJECT_ROOT, "stacks", file), "utf8"))).toEqual([]);
  });
});
