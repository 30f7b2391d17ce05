import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { looksSecret } from "../../policy/rules/noPlaintextSecretEnv";
import { kitMocks, mockAksKubeconfig } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";

/** One secret value the mock runtime handed the program, and where it came from. */
export interface KnownSecret {
  source: string;
  value: string;
}

/** Outputs of these resource types are secrets whatever the program does with them. */
const SECRET_OUTPUTS: Record<string, string[]> = {
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
  "tls:index/privateKey:PrivateKey": ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"],
};

const mockState = async (record: ResourceRecord) =>
  (await kitMocks.newResource({ type: record.type, name: record.name, inputs: record.inputs, custom: record.custom })) as { state: Record<string, unknown> };

const callMock = (token: string, inputs: Record<string, unknown>) =>
  kitMocks.call({ token, inputs }) as Record<string, unknown>;

/**
 * Every secret the mock runtime produced for this stack, recomputed from the same mocks the synth
 * ran with: generated passwords and keys, Cosmos DB account keys, AKS client keys.
 */
export async function mockSecretValues(resources: ResourceRecord[]): Promise<KnownSecret[]> {
  const secrets: KnownSecret[] = [];
  const add = (source: string, value: unknown) => {
    if (typeof value === "string" && value.length >= 8) secrets.push({ source, value });
  };
  for (const record of resources) {
    for (const output of SECRET_OUTPUTS[record.type] ?? []) add(`${record.name}.${output}`, (await mockState(record)).state[output]);
    if (record.type === "azure-native:cosmosdb:DatabaseAccount") {
      const accountName = (await mockState(record)).state.name;
      const keys = callMock("azure-native:cosmosdb:listDatabaseAccountKeys", { accountName, resourceGroupName: record.inputs.resourceGroupName });
      for (const [name, value] of Object.entries(keys)) add(`${record.name} ${name}`, value);
    }
    if (record.type === "azure-native:containerservice:ManagedCluster") {
      const kubeconfig = mockAksKubeconfig(String((await mockState(record)).state.name));
      add(`${record.name} kubeconfig`, kubeconfig);
      add(`${record.name} client key`, /client-key-data: (\S+)/.exec(kubeconfig)?.[1]);
    }
  }
  return secrets;
}

/** Every file a synth wrote, by path relative to its output folder. */
export function readOutputFiles(outDir: string, options: { skip?: string[] } = {}): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (options.skip?.includes(relative(outDir, path))) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(outDir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(outDir);
  return files;
}

/** Where a known secret shows in the files, as itself or base64 encoded (a Secret's `data`, an ECS file variable). */
export function plaintextLeaks(files: Record<string, string>, secrets: KnownSecret[]): { file: string; source: string }[] {
  const leaks: { file: string; source: string }[] = [];
  for (const secret of secrets) {
    const forms = [secret.value, Buffer.from(secret.value).toString("base64")];
    for (const [file, text] of Object.entries(files)) {
      if (forms.some((form) => text.includes(form))) leaks.push({ file, source: secret.source });
    }
  }
  return leaks;
}

const isSecure = (value: unknown) => value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).join() === "secure";
/** `temporal-kit:databasePassword` and `client-secret` read as DATABASE_PASSWORD and CLIENT_SECRET. */
const asVariableName = (key: string) => key.replace(/^.*:/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[-.]/g, "_").toUpperCase();
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Keys of a stack file that hold a secret in plain text: secret-looking names not `secure:`, and PEM private keys anywhere. */
export function plaintextStackValues(stackFileText: string): string[] {
  const document = (parse(stackFileText) ?? {}) as { config?: Record<string, unknown> };
  const found: string[] = [];
  const walk = (value: unknown, path: string, key: string) => {
    if (isSecure(value)) return;
    if (typeof value === "string" && PRIVATE_KEY.test(value)) found.push(path);
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`, key));
    else if (value !== null && typeof value === "object") for (const [child, item] of Object.entries(value)) walk(item, `${path}.${child}`, child);
    else if (value !== null && value !== undefined && value !== "" && looksSecret(asVariableName(key))) found.push(path);
  };
  for (const [key, value] of Object.entries(document.config ?? {})) walk(value, key, key);
  return found;
}
