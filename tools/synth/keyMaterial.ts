import { X509Certificate as NodeCertificate, createECDH, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, webcrypto } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as X509 from "@peculiar/x509";
// Loaded up front although only x509's ASN.1 packages need it: the CommonJS build of tslib installs
// its 32 helpers as globals, and Pulumi's closure serialization awaits a few times per global name
// (addGlobalInfoAsync in addEntriesForWellKnownGlobalObjectsAsync, @pulumi/pulumi
// runtime/closure/createClosure.js) while other registrations move on. Were it loaded with x509,
// whether a certificate had been made before a dynamic provider is serialized would move that
// provider among the registrations.
import "tslib";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;
type EcKeyImportParams = webcrypto.EcKeyImportParams;
type RsaHashedImportParams = webcrypto.RsaHashedImportParams;

/**
 * Real keys and certificates for the `tls` provider's resources, made offline from the same inputs
 * and with the same rules as the provider (hashicorp/terraform-provider-tls, which @pulumi/tls
 * bridges: internal/provider/common_cert.go `createCertificate`, resource_self_signed_cert.go,
 * resource_locally_signed_cert.go, resource_cert_request.go, common_key.go):
 * - keys: `private_key_pem` is SEC 1 for ECDSA, PKCS #1 for RSA and PKCS #8 for Ed25519, and
 *   `private_key_pem_pkcs8` is always PKCS #8;
 * - certificates: basic constraints always present, CA only with `is_ca_certificate` (which also
 *   sets the subject key id), key usages and extended key usages from `allowed_uses`, a locally
 *   signed certificate takes its subject and SANs from the request and its authority key id from
 *   the CA's subject key id (Go's x509.CreateCertificate), and validity starts when it is made.
 *
 * Pulumi keeps what a provider made in the stack's state and makes it again only when inputs
 * change; the synth keeps the same promise with a state directory keyed by resource and inputs,
 * so re-synthesizing an unchanged stack hands the pods the very same Secrets.
 */

let x509Module: typeof X509 | undefined;
/**
 * @peculiar/x509 with what it loads (tsyringe and the ASN.1 schemas, some 200 modules and about
 * 0.15 s of a synth's CPU) is needed only to make a certificate or request, not to hand back one
 * the state directory remembers: on a machine that has synthesized the stack before, it is not
 * loaded at all. Required, not imported on demand, so that making one adds no turn to the mocks'
 * promises.
 */
function loadX509(): typeof X509 {
  if (!x509Module) {
    // @peculiar/x509 resolves its ASN.1 and WebCrypto services through tsyringe, which needs this first.
    require("reflect-metadata");
    x509Module = require("@peculiar/x509") as typeof X509;
    x509Module.cryptoProvider.set(webcrypto as unknown as Parameters<typeof X509.cryptoProvider.set>[0]);
  }
  return x509Module;
}

const STATE_DIR = process.env.TEMPORAL_KIT_SYNTH_STATE ?? join(homedir(), ".cache", "temporal-kit", "synth-state");
/** Bumped whenever this file changes what it makes, so no state made by older code is served again. */
const STATE_FORMAT = 2;

let salt: string | undefined;
/**
 * A secret of this machine's state directory, mixed into every derived key and value: without it,
 * every clone of the repository would derive the same keys and passwords from resource names.
 */
export function stateSalt(): string {
  if (salt) return salt;
  const file = join(STATE_DIR, "salt");
  try {
    salt = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, randomBytes(32).toString("hex"), { mode: 0o600 });
    try {
      // Linking is atomic and fails if the salt exists: the first writer wins, a parallel synth reads its salt.
      linkSync(temporary, file);
    } catch {
      // Already written by another process.
    }
    rmSync(temporary, { force: true });
    salt = readFileSync(file, "utf8").trim();
  }
  return salt;
}

type Inputs = Record<string, any>;

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest();

/** The provider's state for one resource: made once per resource name and inputs. */
async function remembered<T>(kind: string, name: string, inputs: Inputs, make: () => Promise<T>, stillValid: (value: T) => boolean = () => true): Promise<T> {
  // The provider updates early_renewal_hours in place; every other input replaces the resource.
  const { earlyRenewalHours: _inPlace, ...replacing } = inputs;
  const key = sha256(JSON.stringify([STATE_FORMAT, stateSalt(), kind, name, canonical(replacing)])).toString("hex");
  const file = join(STATE_DIR, `${key}.json`);
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as T;
    if (stillValid(value)) return value;
  } catch {
    // Not made yet.
  }
  const value = await make();
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value), { mode: 0o600 });
  renameSync(temporary, file);
  return value;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Inputs)[key])]));
  return value;
}

const CURVES: Record<string, { node: string; web: string; hash: string; bytes: number }> = {
  P224: { node: "secp224r1", web: "P-224", hash: "SHA-256", bytes: 28 },
  P256: { node: "prime256v1", web: "P-256", hash: "SHA-256", bytes: 32 },
  P384: { node: "secp384r1", web: "P-384", hash: "SHA-384", bytes: 48 },
  P521: { node: "secp521r1", web: "P-521", hash: "SHA-512", bytes: 66 },
};

const b64url = (buffer: Buffer) => buffer.toString("base64url");

/** An EC key whose scalar comes from the resource's name: the same resource keeps its key. */
function ecKeyFrom(seed: string, curve: string): KeyObject {
  const spec = CURVES[curve];
  if (!spec) throw new Error(`tls.PrivateKey: ecdsaCurve ${curve} is not one the provider offers (P224, P256, P384, P521)`);
  for (let counter = 0; ; counter += 1) {
    let scalar = Buffer.concat([sha256(`${seed}:${counter}:a`), sha256(`${seed}:${counter}:b`), sha256(`${seed}:${counter}:c`)]).subarray(0, spec.bytes);
    if (spec.bytes === 66) scalar = Buffer.concat([Buffer.from([scalar[0] & 0x01]), scalar.subarray(1)]);
    try {
      const ecdh = createECDH(spec.node);
      ecdh.setPrivateKey(scalar);
      const point = ecdh.getPublicKey();
      const half = (point.length - 1) / 2;
      return createPrivateKey({
        format: "jwk",
        key: { kty: "EC", crv: spec.web, d: b64url(scalar), x: b64url(point.subarray(1, 1 + half)), y: b64url(point.subarray(1 + half)) },
      });
    } catch {
      // The scalar fell outside the curve's order; draw the next one.
    }
  }
}

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface PrivateKeyState {
  privateKeyPem: string;
  privateKeyPemPkcs8: string;
  publicKeyPem: string;
}

export async function privateKey(name: string, inputs: Inputs): Promise<PrivateKeyState> {
  const algorithm = String(inputs.algorithm ?? "RSA");
  const pems = (key: KeyObject, legacy: "sec1" | "pkcs1" | "pkcs8"): PrivateKeyState => ({
    privateKeyPem: key.export({ type: legacy, format: "pem" }).toString(),
    privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: createPublicKey(key).export({ type: "spki", format: "pem" }).toString(),
  });
  switch (algorithm) {
    case "ECDSA":
      return pems(ecKeyFrom(`${stateSalt()}:tls-key:${name}`, String(inputs.ecdsaCurve ?? "P224")), "sec1");
    case "ED25519":
      return pems(createPrivateKey({ format: "der", type: "pkcs8", key: Buffer.concat([ED25519_PKCS8_PREFIX, sha256(`${stateSalt()}:tls-key:${name}`)]) }), "pkcs8");
    case "RSA":
      // RSA keys cannot be derived from a seed with Node's crypto; they are remembered instead.
      return remembered("PrivateKey", name, inputs, async () => pems(generateKeyPairSync("rsa", { modulusLength: Number(inputs.rsaBits ?? 2048) }).privateKey, "pkcs1"));
    default:
      throw new Error(`tls.PrivateKey: algorithm ${algorithm} is not one the provider offers (RSA, ECDSA, ED25519)`);
  }
}

/** The key as WebCrypto sees it, with the signature algorithm Go's x509 picks for it. */
async function webKeys(privateKeyPem: string): Promise<{ keys: CryptoKeyPair; signing: Algorithm | EcdsaParams }> {
  const key = createPrivateKey(privateKeyPem);
  const pkcs8 = key.export({ type: "pkcs8", format: "der" });
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  let algorithm: Algorithm | EcKeyImportParams | RsaHashedImportParams;
  let signing: Algorithm | EcdsaParams;
  if (key.asymmetricKeyType === "ec") {
    const curve = Object.values(CURVES).find((spec) => spec.web === key.export({ format: "jwk" }).crv)!;
    algorithm = { name: "ECDSA", namedCurve: curve.web };
    signing = { name: "ECDSA", hash: curve.hash } as EcdsaParams;
  } else if (key.asymmetricKeyType === "rsa") {
    algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as RsaHashedImportParams;
    signing = { name: "RSASSA-PKCS1-v1_5" };
  } else if (key.asymmetricKeyType === "ed25519") {
    algorithm = { name: "Ed25519" };
    signing = { name: "Ed25519" };
  } else {
    throw new Error(`tls: unsupported key type ${key.asymmetricKeyType}`);
  }
  const subtle = webcrypto.subtle;
  return {
    keys: { privateKey: await subtle.importKey("pkcs8", pkcs8, algorithm, true, ["sign"]), publicKey: await subtle.importKey("spki", spki, algorithm, true, ["verify"]) } as CryptoKeyPair,
    signing,
  };
}

/** Go's pkix.Name.ToRDNSequence order, with the provider's subject fields. */
function subjectName(subject: Inputs | undefined): X509.JsonName {
  const s = subject ?? {};
  const rdn = (type: string, values: unknown) => {
    const list = (Array.isArray(values) ? values : values === undefined || values === null || values === "" ? [] : [values]).map(String);
    return list.length ? [{ [type]: list }] : [];
  };
  return [
    ...rdn("C", s.country),
    ...rdn("ST", s.province),
    ...rdn("L", s.locality),
    ...rdn("2.5.4.9", s.streetAddresses),
    ...rdn("2.5.4.17", s.postalCode),
    ...rdn("O", s.organization),
    ...rdn("OU", s.organizationalUnit),
    ...rdn("CN", s.commonName),
    ...rdn("2.5.4.5", s.serialNumber),
  ];
}

function alternativeNames(inputs: Inputs): X509.SubjectAlternativeNameExtension[] {
  const x509 = loadX509();
  const names: X509.JsonGeneralName[] = [
    ...((inputs.dnsNames as string[] | undefined) ?? []).map((value) => ({ type: "dns" as const, value })),
    ...((inputs.ipAddresses as string[] | undefined) ?? []).map((value) => ({ type: "ip" as const, value })),
    ...((inputs.uris as string[] | undefined) ?? []).map((value) => ({ type: "url" as const, value })),
  ];
  return names.length ? [new x509.SubjectAlternativeNameExtension(names, false)] : [];
}

export async function certRequest(name: string, inputs: Inputs): Promise<{ certRequestPem: string }> {
  return remembered("CertRequest", name, inputs, async () => {
    const x509 = loadX509();
    const { keys, signing } = await webKeys(String(inputs.privateKeyPem));
    const request = await x509.Pkcs10CertificateRequestGenerator.create({ name: subjectName(inputs.subject), keys, signingAlgorithm: signing, extensions: alternativeNames(inputs) });
    return { certRequestPem: request.toString("pem") + "\n" };
  });
}

const KEY_USAGES: Record<string, keyof typeof X509.KeyUsageFlags> = {
  digital_signature: "digitalSignature",
  content_commitment: "nonRepudiation",
  key_encipherment: "keyEncipherment",
  data_encipherment: "dataEncipherment",
  key_agreement: "keyAgreement",
  cert_signing: "keyCertSign",
  crl_signing: "cRLSign",
  encipher_only: "encipherOnly",
  decipher_only: "decipherOnly",
};

const EXTENDED_KEY_USAGES: Record<string, string> = {
  any_extended: "2.5.29.37.0",
  server_auth: "1.3.6.1.5.5.7.3.1",
  client_auth: "1.3.6.1.5.5.7.3.2",
  code_signing: "1.3.6.1.5.5.7.3.3",
  email_protection: "1.3.6.1.5.5.7.3.4",
  ipsec_end_system: "1.3.6.1.5.5.7.3.5",
  ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7",
  timestamping: "1.3.6.1.5.5.7.3.8",
  ocsp_signing: "1.3.6.1.5.5.7.3.9",
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
  netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
  microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

export interface CertificateState {
  certPem: string;
  validityStartTime: string;
  validityEndTime: string;
}

const HOUR_MS = 3_600_000;

/** Extensions in the order and with the criticality Go's x509.CreateCertificate writes them. */
async function certificateExtensions(inputs: Inputs, publicKey: CryptoKey | X509.PublicKey, isCa: boolean, authorityKeyId?: string): Promise<X509.Extension[]> {
  const x509 = loadX509();
  const uses = ((inputs.allowedUses as string[] | undefined) ?? []).map(String);
  const unknown = uses.filter((use) => KEY_USAGES[use] === undefined && EXTENDED_KEY_USAGES[use] === undefined);
  if (unknown.length) throw new Error(`tls: allowedUses ${unknown.join(", ")} are not uses the provider knows`);
  const keyUsage = uses.reduce((flags, use) => {
    const flag = KEY_USAGES[use];
    return flag === undefined ? flags : flags | x509.KeyUsageFlags[flag];
  }, 0);
  const extended = uses.map((use) => EXTENDED_KEY_USAGES[use]).filter((oid): oid is string => oid !== undefined);
  return [
    ...(keyUsage ? [new x509.KeyUsagesExtension(keyUsage, true)] : []),
    ...(extended.length ? [new x509.ExtendedKeyUsageExtension(extended, false)] : []),
    new x509.BasicConstraintsExtension(isCa, undefined, true),
    ...(isCa ? [await x509.SubjectKeyIdentifierExtension.create(publicKey, false)] : []),
    ...(authorityKeyId ? [new x509.AuthorityKeyIdentifierExtension(authorityKeyId, false)] : []),
    ...alternativeNames(inputs),
  ];
}

function serialFor(name: string, inputs: Inputs): string {
  const bytes = sha256(JSON.stringify([name, canonical(inputs), Date.now()])).subarray(0, 16);
  bytes[0] &= 0x7f;
  return bytes.toString("hex");
}

/** Like the provider's plan, a certificate within its early-renewal window is made again. */
const renewable = (inputs: Inputs) => (state: CertificateState) =>
  Date.parse(state.validityEndTime) - Number(inputs.earlyRenewalHours ?? 0) * HOUR_MS > Date.now();

function validity(inputs: Inputs): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + Number(inputs.validityPeriodHours) * HOUR_MS) };
}

const stateOf = (certificate: X509.X509Certificate): CertificateState => ({
  certPem: certificate.toString("pem") + "\n",
  validityStartTime: certificate.notBefore.toISOString().replace(/\.\d{3}Z$/, "Z"),
  validityEndTime: certificate.notAfter.toISOString().replace(/\.\d{3}Z$/, "Z"),
});

export async function selfSignedCert(name: string, inputs: Inputs): Promise<CertificateState> {
  return remembered(
    "SelfSignedCert",
    name,
    inputs,
    async () => {
      const x509 = loadX509();
      const { keys, signing } = await webKeys(String(inputs.privateKeyPem));
      const isCa = inputs.isCaCertificate === true;
      const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serialFor(name, inputs),
        name: subjectName(inputs.subject),
        ...validity(inputs),
        signingAlgorithm: signing,
        keys,
        extensions: await certificateExtensions(inputs, keys.publicKey, isCa),
      });
      return stateOf(certificate);
    },
    renewable(inputs),
  );
}

export async function locallySignedCert(name: string, inputs: Inputs): Promise<CertificateState> {
  return remembered(
    "LocallySignedCert",
    name,
    inputs,
    async () => {
      const x509 = loadX509();
      const request = new x509.Pkcs10CertificateRequest(String(inputs.certRequestPem));
      if (!(await request.verify())) throw new Error(`tls.LocallySignedCert ${name}: the certificate request's signature does not verify`);
      const ca = new x509.X509Certificate(String(inputs.caCertPem));
      const { keys: caKeys, signing } = await webKeys(String(inputs.caPrivateKeyPem));
      if (!new NodeCertificate(String(inputs.caCertPem)).checkPrivateKey(createPrivateKey(String(inputs.caPrivateKeyPem)))) {
        throw new Error(`tls.LocallySignedCert ${name}: caPrivateKeyPem is not the key of caCertPem`);
      }
      const requested = request.getExtension("2.5.29.17") as X509.SubjectAlternativeNameExtension | null;
      const sans: X509.JsonGeneralName[] = requested?.names.toJSON() ?? [];
      const fromRequest = {
        ...inputs,
        dnsNames: sans.filter((entry) => entry.type === "dns").map((entry) => entry.value),
        ipAddresses: sans.filter((entry) => entry.type === "ip").map((entry) => entry.value),
        uris: sans.filter((entry) => entry.type === "url").map((entry) => entry.value),
      };
      const isCa = inputs.isCaCertificate === true;
      const caKeyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: serialFor(name, inputs),
        subject: request.subjectName,
        issuer: ca.subjectName,
        ...validity(inputs),
        signingAlgorithm: signing,
        publicKey: request.publicKey,
        signingKey: caKeys.privateKey,
        extensions: await certificateExtensions(fromRequest, request.publicKey, isCa, caKeyId),
      });
      return stateOf(certificate);
    },
    renewable(inputs),
  );
}
