import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it, vi } from "vitest";
import { certRequest, locallySignedCert, privateKey, selfSignedCert } from "../../tools/synth/keyMaterial";
import { randomText } from "../../tools/synth/randomValues";

// Vitest runs this before the imports: this file's certificates go to a state directory of its own.
const stateDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/temporal-kit-synth-state-test-${process.pid}`;
  process.env.TEMPORAL_KIT_SYNTH_STATE = dir;
  return dir;
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const unique = `test-${process.pid}-${Date.now()}`;

describe("the tls provider's keys, made for real", () => {
  it("writes private_key_pem the way the provider does per algorithm, and PKCS#8 beside it", async () => {
    const ec = await privateKey(`${unique}-ec`, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(ec.privateKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(ec.privateKeyPemPkcs8).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(ec.privateKeyPem).asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    const ed = await privateKey(`${unique}-ed`, { algorithm: "ED25519" });
    expect(ed.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPublicKey(ed.publicKeyPem).asymmetricKeyType).toBe("ed25519");
  });

  it("keeps a resource's key from one synth to the next, as Pulumi's state does, and gives another resource another key", async () => {
    const first = await privateKey("stable-key", { algorithm: "ECDSA", ecdsaCurve: "P384" });
    expect(await privateKey("stable-key", { algorithm: "ECDSA", ecdsaCurve: "P384" })).toEqual(first);
    expect((await privateKey("other-key", { algorithm: "ECDSA", ecdsaCurve: "P384" })).privateKeyPem).not.toBe(first.privateKeyPem);
  });

  it("refuses what the provider refuses", async () => {
    await expect(privateKey("x", { algorithm: "DSA" })).rejects.toThrow("algorithm DSA is not one the provider offers");
    await expect(privateKey("x", { algorithm: "ECDSA", ecdsaCurve: "P192" })).rejects.toThrow("ecdsaCurve P192");
  });
});

describe("the tls provider's certificates, made for real", () => {
  const chain = async () => {
    const caKey = await privateKey(`${unique}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const ca = await selfSignedCert(`${unique}-ca`, {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      validityPeriodHours: 48,
      subject: { commonName: "test CA", organization: "temporal-kit" },
    });
    const leafKey = await privateKey(`${unique}-leaf-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const request = await certRequest(`${unique}-csr`, { privateKeyPem: leafKey.privateKeyPem, dnsNames: ["svc.ns.svc", "svc"], ipAddresses: ["10.0.0.7"], subject: { commonName: "svc" } });
    const inputs = { certRequestPem: request.certRequestPem, caCertPem: ca.certPem, caPrivateKeyPem: caKey.privateKeyPem, allowedUses: ["digital_signature", "server_auth"], validityPeriodHours: 24, earlyRenewalHours: 2 };
    return { ca, leaf: await locallySignedCert(`${unique}-leaf`, inputs), leafKey, inputs };
  };

  it("signs a leaf with the CA, carrying the request's subject, SANs and the allowed uses", async () => {
    const { ca, leaf, leafKey } = await chain();
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe("O=temporal-kit\nCN=test CA");
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(leafKey.privateKeyPem))).toBe(true);
    expect(cert.subject).toBe("CN=svc");
    expect(cert.subjectAltName).toBe("DNS:svc.ns.svc, DNS:svc, IP Address:10.0.0.7");
    expect(cert.checkIP("10.0.0.7")).toBe("10.0.0.7");
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 3_600_000).toBe(24);
    expect(Date.parse(leaf.validityEndTime) - Date.parse(leaf.validityStartTime)).toBe(24 * 3_600_000);
  });

  it("makes a certificate once for the same inputs, and again once it is inside its early-renewal window", async () => {
    const { leaf, inputs } = await chain();
    expect(await locallySignedCert(`${unique}-leaf`, inputs)).toEqual(leaf);
    const renewed = await locallySignedCert(`${unique}-leaf`, { ...inputs, earlyRenewalHours: 25 });
    expect(renewed.certPem).not.toBe(leaf.certPem);
  });

  it("refuses a CA key that is not the CA certificate's", async () => {
    const { inputs } = await chain();
    const stranger = await privateKey(`${unique}-stranger`, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    await expect(locallySignedCert(`${unique}-forged`, { ...inputs, caPrivateKeyPem: stranger.privateKeyPem })).rejects.toThrow("caPrivateKeyPem is not the key of caCertPem");
  });
});

describe("the random provider's values", () => {
  it("has the requested length and only the classes asked for", () => {
    const password = randomText("p", { length: 32, special: false });
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(randomText("s", { length: 12, upper: false, special: false, numeric: false })).toMatch(/^[a-z]{12}$/);
  });

  it("draws each class's minimum and uses the provider's specials", () => {
    for (let seed = 0; seed < 20; seed += 1) {
      const value = randomText(`m${seed}`, { length: 8, minUpper: 2, minNumeric: 2, minSpecial: 1 });
      expect(value).toHaveLength(8);
      expect(value.replace(/[^A-Z]/g, "").length).toBeGreaterThanOrEqual(2);
      expect(value.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(2);
      expect(value.replace(/[A-Za-z0-9]/g, "")).toMatch(/^[!@#$%&*()\-_=+[\]{}<>:?]+$/);
    }
  });

  it("keeps a resource's value from one synth to the next", () => {
    expect(randomText("same", { length: 20 })).toBe(randomText("same", { length: 20 }));
    expect(randomText("same", { length: 20 })).not.toBe(randomText("other", { length: 20 }));
  });
});
