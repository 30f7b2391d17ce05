import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { TlsConfig } from "../config/securitySchema";
import type { TlsCertificateName } from "../temporal/tls";

const HOURS_PER_DAY = 24;
type CaName = "internode" | "frontend";

/** What each certificate is issued for: its subject's common name and the DNS names it carries. */
export type CertificateSubjects = Record<TlsCertificateName, { commonName: string; dnsNames: string[] }>;

/** One certificate as PEM: the certificate, its PKCS#8 key, and the CA certificate that signed it. */
export interface GeneratedCertificate {
  certPem: pulumi.Output<string>;
  keyPem: pulumi.Output<string>;
  caPem: pulumi.Output<string>;
}

/** Which CA signs each certificate, and what the certificate may be used for. */
const LEAVES: Record<TlsCertificateName, { ca: CaName; uses: string[] }> = {
  // Each role serves with it and presents it when calling another role.
  internode: { ca: "internode", uses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"] },
  frontend: { ca: "frontend", uses: ["digital_signature", "key_encipherment", "server_auth"] },
  client: { ca: "frontend", uses: ["digital_signature", "key_encipherment", "client_auth"] },
};

/**
 * The kit's own CAs and leaf certificates, made by the `tls` provider whatever the platform: keys
 * live only in the Pulumi state (encrypted as secrets) and wherever the platform hands them to
 * its workloads (Kubernetes Secrets, Secrets Manager).
 *
 * Resource names carry the rotation counters, so bumping `rotation` replaces the leaf keys and
 * certificates and bumping `caRotation` replaces the CAs (and, through their new CA, every leaf).
 * A leaf within `renewBeforeDays` of expiry is reissued by the next `pulumi up`.
 */
export function generatedCertificateSet(
  name: string,
  args: { clusterName: string; tls: TlsConfig; subjects: pulumi.Input<CertificateSubjects> },
  opts: pulumi.CustomResourceOptions,
): Record<TlsCertificateName, GeneratedCertificate> {
  const { tls: config } = args;
  const subjects = pulumi.output(args.subjects);

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
          subject: { commonName: `${args.clusterName} ${ca} CA`, organization: "temporal-kit" },
        },
        opts,
      );
      return [ca, { key, cert }];
    }),
  ) as Record<CaName, { key: tls.PrivateKey; cert: tls.SelfSignedCert }>;

  const leaves = (Object.keys(LEAVES) as TlsCertificateName[]).map((leaf): [TlsCertificateName, GeneratedCertificate] => {
    const { ca, uses } = LEAVES[leaf];
    const subject = subjects.apply((all) => all[leaf]);
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
    // PKCS#8: the one key encoding every Temporal SDK (Java's included) and the server read.
    return [leaf, { certPem: cert.certPem, keyPem: pulumi.secret(key.privateKeyPemPkcs8), caPem: cas[ca].cert.certPem }];
  });
  return Object.fromEntries(leaves) as Record<TlsCertificateName, GeneratedCertificate>;
}
