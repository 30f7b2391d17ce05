import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const PROJECT_ROOT = join(__dirname, "..", "..");
const TSX = join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");

/**
 * In a process of its own, so that nothing another test loaded counts: loads the synth's key
 * material, then makes a certificate request with it, and reports the globals and the functions on
 * Reflect that this added. Pulumi's closure serialization walks both, each global and each function
 * on it (createClosure.js addEntriesForWellKnownGlobalObjectsAsync in @pulumi/pulumi 3.270.0).
 */
const SCRIPT = `
// The globals, and the functions on Reflect: what tslib and reflect-metadata change.
const walked = () => [
  ...Object.getOwnPropertyNames(globalThis),
  ...Object.getOwnPropertyNames(Reflect).map((name) => "Reflect." + name),
];
const x509Loaded = () => Object.keys(require.cache).some((path) => path.includes("@peculiar/x509"));
const keyMaterial = require(${JSON.stringify(join(PROJECT_ROOT, "tools", "synth", "keyMaterial.ts"))});
const loadedOnImport = x509Loaded();
const before = new Set(walked());
(async () => {
  const key = await keyMaterial.privateKey("globals", { algorithm: "ECDSA", ecdsaCurve: "P256" });
  await keyMaterial.certRequest("globals", { privateKeyPem: key.privateKeyPem, subject: { commonName: "globals" } });
  console.log(JSON.stringify({ loadedOnImport, loadedToMake: x509Loaded(), added: walked().filter((name) => !before.has(name)) }));
})();
`;

describe("the synth's key material", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "temporal-kit-key-material-globals-"));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
  const output = execFileSync(process.execPath, [TSX, "--eval", SCRIPT], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, TEMPORAL_KIT_SYNTH_STATE: stateDir } });
  const result = JSON.parse(output) as { loadedOnImport: boolean; loadedToMake: boolean; added: string[] };

  it("loads @peculiar/x509 to make a certificate request, not on import", () => {
    expect(result).toMatchObject({ loadedOnImport: false, loadedToMake: true });
  });

  // Pulumi awaits once per name it walks while serializing a dynamic provider, and other
  // registrations move on in between: a name x509 brought along (tslib's global helpers,
  // reflect-metadata's functions on Reflect) would make a stack's registration order depend on
  // whether a certificate had been made before that provider.
  it("leaves what Pulumi's closure serialization walks as it was", () => {
    expect(result.added).toEqual([]);
  });
});
