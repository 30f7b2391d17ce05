import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { TlsConfig } from "../config/securitySchema";
import { TLS_FILES, TlsCertificateName } from "../temporal/tls";
import type { CertificateSubjects } from "./clusterCertificates";
import type { ClusterNames } from "./names";

const HOURS_PER_DAY = 24;
type CaName = "internode" | "frontend";

/** Which CA signs each certificate, and what the certificate may be used for. */
const LEAVES: Record<TlsCertificateName, { ca: CaName; uses: string[] }> = {
  // Each role serves with it and presents it when calling another role.
  internode: { ca: "internode", uses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"] },
  frontend: { ca: "frontend", uses: ["digital_signature", "key_encipherment", "server_auth"] },
  client: { ca: "frontend", uses: ["digital_signature", "key_encipherment", "client_auth"] },
};

/**
 * The kit's own CAs and leaf certificates, made by the `tls` provider: keys live only in the
 * Pulumi state (encrypted as secrets) and in the Kubernetes Secrets the pods mount.
 *
 * Resource names carry the rotation counters, so bumping `rotation` replaces the leaf keys and
 * certificates and bumping `caRotation` replaces the CAs (and, through their new CA, every leaf).
 * A leaf within `renewBeforeDays` of expiry is reissued by the next `pulumi up`.
 */
export function generatedCertificates(
  name: string,
  args: { names: ClusterNames; namespace: pulumi.Input<string>; tls: TlsConfig; subjects: pulumi.Output<CertificateSubjects> },
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret[] {
  const { names, tls: config } = args;
  const labels = names.labels("tls");

  const cas = Object.fromEntries(
    (["internode", "frontend"] as const).map((ca) => {
      const key = new tls.PrivateKey(`${name}-${ca}-ca-key-${config.caRotation}`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
      const cert = new tls.SelfSignedCert(
        `${name}-${ca}-ca-${config.caRotation}`,
        {
          privateKeyPem: key.privateKeyPem,
          isCaCertificate: true,
          allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
          validityPeriodHours: config.caValidityDays * HOURS_PER_DAY,
          subject: { commonName: `${names.cluster} ${ca} CA`, organization: "temporal-kit" },
        },
        opts,
      );
      return [ca, { key, cert }];
    }),
  ) as Record<CaName, { key: tls.PrivateKey; cert: tls.SelfSignedCert }>;

  return (Object.keys(LEAVES) as TlsCertificateName[]).map((leaf) => {
    const { ca, uses } = LEAVES[leaf];
    const subject = args.subjects.apply((subjects) => subjects[leaf]);
    const key = new tls.PrivateKey(`${name}-${leaf}-key-${config.rotation}`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
    const request = new tls.CertRequest(
      `${name}-${leaf}-csr-${config.rotation}`,
      {
        privateKeyPem: key.privateKeyPem,
        dnsNames: subject.dnsNames,
        subject: { commonName: subject.commonName, organization: "temporal-kit" },
      },
      opts,
    );
    const cert = new tls.LocallySignedCert(
      `${name}-${leaf}-cert-${config.rotation}`,
      {
        certRequestPem: request.certRequestPem,
        caCertPem: cas[ca].cert.certPem,
        caPrivateKeyPem: cas[ca].key.privateKeyPem,
        allowedUses: uses,
        validityPeriodHours: config.certificateValidityDays * HOURS_PER_DAY,
        earlyRenewalHours: config.renewBeforeDays * HOURS_PER_DAY,
      },
      opts,
    );
    return new k8s.core.v1.Secret(
      `${name}-${leaf}-secret`,
      {
        metadata: { name: names.tlsSecret(leaf), namespace: args.namespace, labels },
        type: "kubernetes.io/tls",
        // PKCS#8: the one key encoding every Temporal SDK (Java's included) and the server read.
        stringData: pulumi.secret({
          [TLS_FILES.cert]: cert.certPem,
          [TLS_FILES.key]: key.privateKeyPemPkcs8,
          [TLS_FILES.ca]: cas[ca].cert.certPem,
        }),
      },
      opts,
    );
  });
}
