import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synthRuns";

const TSX = join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");

/**
 * In a process of its own, so that nothing another test loaded counts: loads the synth's key
 * material, makes a certificate request with it, and reports the global names this added, read as
 * Pulumi's closure serialization reads them, along the global object's prototype chain
 * (addEntriesForWellKnownGlobalObjectsAsync in @pulumi/pulumi 3.270.0 runtime/closure/createClosure.js).
 */
const SCRIPT = `
const globalNames = () => {
  const names = [];
  for (let current = globalThis; current; current = Object.getPrototypeOf(current)) names.push(...Object.getOwnPropertyNames(current));
  return names;
};
const x509Loaded = () => Object.keys(require.cache).some((path) => path.includes("@peculiar/x509"));
const keyMaterial = require(${JSON.stringify(join(PROJECT_ROOT, "tools", "synth", "keyMaterial.ts"))});
const loadedOnImport = x509Loaded();
const before = new Set(globalNames());
(async () => {
  const key = await keyMaterial.privateKey("globals", { algorithm: "ECDSA", ecdsaCurve: "P256" });
  await keyMaterial.certRequest("globals", { privateKeyPem: key.privateKeyPem, subject: { commonName: "globals" } });
  console.log(JSON.stringify({ loadedOnImport, loadedToMake: x509Loaded(), added: globalNames().filter((name) => !before.has(name)) }));
})();
`;

describe("the synth's key material", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "temporal-kit-key-material-globals-"));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
  let result: { loadedOnImport: boolean; loadedToMake: boolean; added: string[] };
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [TSX, "--eval", SCRIPT], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TEMPORAL_KIT_SYNTH_STATE: stateDir },
      timeout: 60_000,
    });
    result = JSON.parse(stdout) as typeof result;
  });

  it("loads @peculiar/x509 to make a certificate request, not on import", () => {
    expect(result).toMatchObject({ loadedOnImport: false, loadedToMake: true });
  });

  // Pulumi awaits a few times per global name while it serializes a dynamic provider, and other
  // registrations move on in between: a global x509 brought along (tslib's helpers) would make a
  // stack's registration order depend on whether a certificate had been made before that provider.
  it("adds no global name, so what Pulumi's closure serialization awaits on stays the same", () => {
    expect(result.added).toEqual([]);
  });
});
