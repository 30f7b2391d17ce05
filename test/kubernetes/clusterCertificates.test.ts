import { X509Certificate, createPrivateKey } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import type { TlsConfig } from "../../components/config/securitySchema";
import { ClusterCertificates, certificateSubjects } from "../../components/kubernetes/clusterCertificates";
import { ClusterNames } from "../../components/kubernetes/names";
import type { RoleName } from "../../components/temporal/roles";
import { type ResourceRecord } from "../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../tools/synth/secretPlaceholder";
import { K8S, ofType, onlyOfType, promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const ROLE_NAMES: RoleName[] = ["frontend", "internal-frontend", "history", "matching", "worker"];
const generated: TlsConfig = { ...PRESETS.production.security.tls, rotation: 3 };
const certManager: TlsConfig = { ...generated, certificates: "cert-manager", issuer: { kind: "ClusterIssuer", name: "corp-ca" } };
const TLS = {
  key: "tls:index/privateKey:PrivateKey",
  ca: "tls:index/selfSignedCert:SelfSignedCert",
  csr: "tls:index/certRequest:CertRequest",
  cert: "tls:index/locallySignedCert:LocallySignedCert",
};
const CUSTOM = "kubernetes:cert-manager.io/v1:Certificate";
const ISSUER = "kubernetes:cert-manager.io/v1:Issuer";

let records: ResourceRecord[];
let revealed: WeakMap<ResourceRecord, Record<string, unknown>>;
let made: ClusterCertificates;

beforeAll(async () => {
  ({ resources: records, revealedInputs: revealed } = await startMockRuntime());
  const names = new ClusterNames("temporal");
  made = new ClusterCertificates("gen", { names, namespace: "temporal", roles: ROLE_NAMES, tls: generated });
  new ClusterCertificates("cm", { names: new ClusterNames("other"), namespace: "other-ns", roles: ROLE_NAMES, tls: certManager });
  await settle();
});

const generatedRecords = () => records.filter((record) => record.name.startsWith("gen-"));
/** What the tls provider made for a leaf, as the kubernetes.io/tls Secret hands it to pods. */
const issued = (leaf: string) => {
  const secret = ofType(generatedRecords(), K8S.secret).find((record) => (record.inputs.metadata as { name: string }).name === `temporal-tls-${leaf}`)!;
  const data = revealed.get(secret)!.stringData as Record<string, string>;
  return { cert: new X509Certificate(data["tls.crt"]), ca: new X509Certificate(data["ca.crt"]), key: data["tls.key"] };
};
/** The extensions as OpenSSL prints them, which is what TLS stacks check. */
const extension = (cert: X509Certificate, name: string) => cert.toLegacyObject()[name as keyof ReturnType<X509Certificate["toLegacyObject"]>];

describe("certificateSubjects", () => {
  const subjects = certificateSubjects(new ClusterNames("temporal"), "prod", ["frontend", "history"]);

  it("names the internode server name and every Service of every role in the internode certificate", () => {
    expect(subjects.internode.dnsNames).toEqual(
      expect.arrayContaining([
        "temporal-internode",
        "temporal-history",
        "temporal-history.prod.svc.cluster.local",
        "temporal-history-headless.prod.svc",
        "temporal-frontend.prod",
      ]),
    );
  });

  it("names the frontend Service in the frontend certificate and nothing of the other roles", () => {
    expect(subjects.frontend.dnsNames).toContain("temporal-frontend.prod.svc.cluster.local");
    expect(subjects.frontend.dnsNames.some((name) => name.includes("history"))).toBe(false);
  });
});

describe("ClusterCertificates, generated", () => {
  it("makes two CAs and three leaf certificates", () => {
    const ofKind = (type: string) => generatedRecords().filter((record) => record.type === type);
    expect(ofKind(TLS.ca).map((record) => record.inputs.isCaCertificate)).toEqual([true, true]);
    expect(ofKind(TLS.cert)).toHaveLength(3);
    expect(ofKind(TLS.key)).toHaveLength(5);
  });

  it("stores each certificate in a kubernetes.io/tls Secret whose values are all secret", () => {
    const secrets = ofType(generatedRecords(), K8S.secret);
    expect(secrets.map((secret) => (secret.inputs.metadata as { name: string }).name).sort()).toEqual([
      "temporal-tls-client",
      "temporal-tls-frontend",
      "temporal-tls-internode",
    ]);
    for (const secret of secrets) {
      expect(secret.inputs.type).toBe("kubernetes.io/tls");
      expect(secret.inputs.stringData).toEqual({ "tls.crt": SECRET_PLACEHOLDER, "tls.key": SECRET_PLACEHOLDER, "ca.crt": SECRET_PLACEHOLDER });
    }
  });

  it("puts every role's Service names into the internode certificate request", () => {
    const dnsNames = onlyOfType(generatedRecords(), TLS.csr, "internode").inputs.dnsNames as string[];
    for (const role of ROLE_NAMES) expect(dnsNames).toContain(`temporal-${role}.temporal.svc.cluster.local`);
    expect(dnsNames).toContain("temporal-internode");
  });

  it("signs the internode certificate with the internode CA and the frontend and client certificates with the frontend CA", () => {
    for (const [leaf, ca] of [["internode", "internode"], ["frontend", "frontend"], ["client", "frontend"]]) {
      const { cert, ca: caCert } = issued(leaf);
      expect(caCert.subject, leaf).toBe(`O=temporal-kit\nCN=temporal ${ca} CA`);
      expect(cert.checkIssued(caCert), leaf).toBe(true);
      expect(cert.verify(caCert.publicKey), leaf).toBe(true);
      expect(caCert.ca, leaf).toBe(true);
      expect(cert.ca, leaf).toBe(false);
    }
  });

  it("hands each pod a real PKCS#8 key that belongs to its certificate", () => {
    for (const leaf of ["internode", "frontend", "client"]) {
      const { cert, key } = issued(leaf);
      expect(key, leaf).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(cert.checkPrivateKey(createPrivateKey(key)), leaf).toBe(true);
    }
  });

  it("issues certificates whose names and uses are what the server and its clients check", () => {
    const internode = issued("internode").cert;
    for (const role of ROLE_NAMES) expect(internode.checkHost(`temporal-${role}.temporal.svc.cluster.local`), role).toBeDefined();
    expect(internode.checkHost("temporal-internode")).toBe("temporal-internode");
    expect(extension(internode, "ext_key_usage")).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    const frontend = issued("frontend").cert;
    expect(frontend.checkHost("temporal-frontend.temporal.svc.cluster.local")).toBe("temporal-frontend.temporal.svc.cluster.local");
    expect(frontend.checkHost("temporal-history.temporal.svc.cluster.local")).toBeUndefined();
    expect(extension(frontend, "ext_key_usage")).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(extension(issued("client").cert, "ext_key_usage")).toEqual(["1.3.6.1.5.5.7.3.2"]);
    const validDays = (Date.parse(frontend.validTo) - Date.parse(frontend.validFrom)) / 86_400_000;
    expect(validDays).toBe(365);
  });

  it("keeps the CA private keys secret in the engine's inputs", () => {
    for (const cert of ofType(generatedRecords(), TLS.cert)) expect(cert.inputs.caPrivateKeyPem).toBe(SECRET_PLACEHOLDER);
  });

  it("issues a client certificate good only for client authentication", () => {
    expect(onlyOfType(generatedRecords(), TLS.cert, "-client-cert").inputs.allowedUses).toEqual(["digital_signature", "key_encipherment", "client_auth"]);
  });

  it("lets the internode certificate serve and call, since roles do both", () => {
    expect(onlyOfType(generatedRecords(), TLS.cert, "-internode-cert").inputs.allowedUses).toEqual(
      expect.arrayContaining(["server_auth", "client_auth"]),
    );
  });

  it("names the leaf keys after the rotation counter, so bumping it issues new keys", () => {
    expect(ofType(generatedRecords(), TLS.key).map((record) => record.name).sort()).toEqual([
      "gen-client-key-3",
      "gen-frontend-ca-key-1",
      "gen-frontend-key-3",
      "gen-internode-ca-key-1",
      "gen-internode-key-3",
    ]);
  });

  it("renews a leaf within renewBeforeDays of its expiry", () => {
    const cert = onlyOfType(generatedRecords(), TLS.cert, "-frontend-cert").inputs;
    expect(cert.validityPeriodHours).toBe(365 * 24);
    expect(cert.earlyRenewalHours).toBe(30 * 24);
  });

  it("tells pods the frontend's DNS name to verify", async () => {
    expect(await promiseOf(made.frontendServerName)).toBe("temporal-frontend.temporal.svc.cluster.local");
  });
});

describe("ClusterCertificates, cert-manager", () => {
  const certificates = () => ofType(records, CUSTOM).filter((record) => record.name.startsWith("cm-"));
  const certificate = (name: string) => certificates().find((record) => (record.inputs.metadata as { name: string }).name === name)!.inputs.spec as Record<string, any>;

  it("creates no keys of its own and no Secrets: cert-manager writes them", () => {
    expect(records.filter((record) => record.name.startsWith("cm-") && (record.type.startsWith("tls:") || record.type === K8S.secret))).toEqual([]);
  });

  it("requests the frontend and client certificates from the stack's issuer into the Secrets pods mount", () => {
    for (const leaf of ["frontend", "client"]) {
      expect(certificate(`other-tls-${leaf}`)).toMatchObject({ secretName: `other-tls-${leaf}`, issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "corp-ca" } });
    }
  });

  it("issues the internode certificate from a CA of the cluster's own", () => {
    expect(certificate("other-tls-internode").issuerRef).toEqual({ group: "cert-manager.io", kind: "Issuer", name: "other-tls-internode-ca" });
    expect(certificate("other-tls-internode-ca")).toMatchObject({ isCA: true, issuerRef: { kind: "Issuer", name: "other-tls-selfsigned" } });
    const issuers = ofType(records, ISSUER).map((record) => record.inputs.spec);
    expect(issuers).toEqual(expect.arrayContaining([{ selfSigned: {} }, { ca: { secretName: "other-tls-internode-ca" } }]));
  });

  it("writes PKCS#8 keys and renews before expiry", () => {
    expect(certificate("other-tls-client")).toMatchObject({ privateKey: { encoding: "PKCS8" }, duration: "8760h", renewBefore: "720h", usages: ["digital signature", "key encipherment", "client auth"] });
  });

  it("puts every role's Service names into the internode certificate", () => {
    const dnsNames = certificate("other-tls-internode").dnsNames as string[];
    for (const role of ROLE_NAMES) expect(dnsNames).toContain(`other-${role}.other-ns.svc.cluster.local`);
  });
});

describe("ClusterCertificates arguments", () => {
  it("refuses TLS off", () => {
    expect(() => new ClusterCertificates("off", { names: new ClusterNames("x"), namespace: "x", roles: ROLE_NAMES, tls: { ...generated, certificates: "off" } })).toThrow(
      "ClusterCertificates needs security.tls.certificates generated or cert-manager, not off.",
    );
  });
});
