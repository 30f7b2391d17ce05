import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REGENERATE_COMMAND, STACK_FILE_SCHEMA_PATH, stackFileSchemaText } from "../../tools/configSchema/stackFileSchema";

const PROJECT_ROOT = join(__dirname, "..", "..");
const committed = readFileSync(join(PROJECT_ROOT, STACK_FILE_SCHEMA_PATH), "utf8");
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(committed));

const stackFilesIn = (dir: string) =>
  readdirSync(join(PROJECT_ROOT, dir))
    .filter((file) => /^Pulumi\..+\.yaml$/.test(file))
    .map((file) => `${dir}/${file}`);
const shipped = [...stackFilesIn("stacks"), ...stackFilesIn("test/fixtures")];
const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), "utf8");

/** The schema's complaints about a stack file's text, as an editor would show them. */
function errorsOf(text: string): { instancePath: string; message?: string }[] {
  return validate(parse(text)) ? [] : validate.errors!.map(({ instancePath, message }) => ({ instancePath, message }));
}

describe("the stack files' editor schema", () => {
  it(`is committed as generated: run ${REGENERATE_COMMAND} after changing the config schema`, () => {
    expect(committed === stackFileSchemaText(), `${STACK_FILE_SCHEMA_PATH} is stale: run ${REGENERATE_COMMAND}`).toBe(true);
  });

  it("finds every shipped stack and fixture", () => {
    expect(shipped.length).toBeGreaterThanOrEqual(20);
  });

  it.each(shipped)("%s names the schema on its first line, for editors with YAML language support", (file) => {
    const relativePath = file.startsWith("stacks/") ? "stack-config.schema.json" : "../../stacks/stack-config.schema.json";
    expect(read(file).split("\n")[0]).toBe(`# yaml-language-server: $schema=${relativePath}`);
  });

  it.each(shipped.filter((file) => !file.endsWith("Pulumi.invalid.yaml")))("accepts %s", (file) => {
    expect(errorsOf(read(file))).toEqual([]);
  });

  // Its mistakes are a refinement (the latest tag) and cross-key rules (shards and replicas per
  // environment): zod's alone, so only the config check reports them.
  it("leaves the mistakes of test/fixtures/Pulumi.invalid.yaml to the config check", () => {
    expect(errorsOf(read("test/fixtures/Pulumi.invalid.yaml"))).toEqual([]);
  });

  it("accepts keys of other namespaces, which belong to their providers", () => {
    expect(errorsOf("config:\n  aws:region: us-east-1\n  azure-native:location: westeurope\n  temporal-kit:environment: dev\n")).toEqual([]);
  });

  it("accepts the web console's client secret only encrypted", () => {
    const withSecret = (value: string) => `config:\n  temporal-kit:environment: staging\n  temporal-kit:webConsoleClientSecret: ${value}\n`;
    expect(errorsOf(withSecret("{ secure: v1:AAAA:c2VjcmV0 }"))).toEqual([]);
    expect(errorsOf(withSecret("hunter2"))).toContainEqual({ instancePath: "/config/temporal-kit:webConsoleClientSecret", message: "must be object" });
  });

  it.each([
    ["a stack file without an environment", "config:\n  temporal-kit:platform: kubernetes\n", "/config", "must have required property 'temporal-kit:environment'"],
    ["an unknown temporal-kit key", "config:\n  temporal-kit:environment: dev\n  temporal-kit:enviroment: dev\n", "/config", "must NOT have additional properties"],
    ["an environment that is not one of the three", "config:\n  temporal-kit:environment: prod\n", "/config/temporal-kit:environment", "must be equal to one of the allowed values"],
    ["a misspelt key inside an object", "config:\n  temporal-kit:environment: dev\n  temporal-kit:roles:\n    history:\n      replica: 2\n", "/config/temporal-kit:roles/history", "must NOT have additional properties"],
    ["a replica count out of range", "config:\n  temporal-kit:environment: dev\n  temporal-kit:roles:\n    history:\n      replicas: 0\n", "/config/temporal-kit:roles/history/replicas", "must be >= 1"],
    ["a number where text belongs", "config:\n  temporal-kit:environment: dev\n  temporal-kit:persistence:\n    hosting: rds\n    engineVersion: 17\n", "/config/temporal-kit:persistence/engineVersion", "must be string"],
    ["an unknown data store hosting", "config:\n  temporal-kit:environment: dev\n  temporal-kit:persistence:\n    hosting: on-prem\n", "/config/temporal-kit:persistence", "must match a schema in anyOf"],
    ["a worker pool without its image, which no preset fills in", "config:\n  temporal-kit:environment: dev\n  temporal-kit:workers:\n    - { name: orders, replicas: 1, taskQueue: orders, namespace: default, env: {}, resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 128Mi } } }\n", "/config/temporal-kit:workers/0", "must have required property 'image'"],
  ])("flags %s", (_, text, instancePath, message) => {
    expect(errorsOf(text)).toContainEqual({ instancePath, message });
  });
});
