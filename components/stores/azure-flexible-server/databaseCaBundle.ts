import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";

/**
 * The public root certificate authorities Azure Database for MySQL and for PostgreSQL Flexible
 * Server chain their server certificates to: DigiCert Global Root G2, which replaced the SHA-1
 * DigiCert Global Root CA, and Microsoft RSA Root Certificate Authority 2017, which Azure is moving
 * its services to. Clients that verify the server must trust both to keep connecting through the
 * rotation. Keyed by subject common name, with the SHA-256 fingerprints the CAs publish.
 */
export const AZURE_DATABASE_ROOT_CAS = {
  "DigiCert Global Root G2": "CB:3C:CB:B7:60:31:E5:E0:13:8F:8D:D3:9A:23:F9:DE:47:FF:C3:5E:43:C1:14:4C:EA:27:D4:6A:5A:B1:CB:5F",
  "Microsoft RSA Root Certificate Authority 2017": "C7:41:F7:0F:4B:2A:8D:88:BF:2E:71:C1:41:22:EF:53:EF:10:EB:A0:CF:A5:E6:4C:FA:20:F4:18:85:30:73:E0",
} as const;

/** Where the certificates come from, for whoever has to audit the bundle. */
export const AZURE_DATABASE_CA_SOURCE =
  "Node.js's bundled root store (Mozilla's CA list), selected by subject and checked against the published SHA-256 fingerprints";

/**
 * The bundle as PEM. The certificates come from the root store Node.js ships instead of bytes kept
 * in this repository; each one must match its published fingerprint, so a Node.js whose store lacks
 * or alters one fails here instead of producing a bundle that cannot verify the server.
 */
export function azureDatabaseCaBundle(store: readonly string[] = rootCertificates): string {
  return Object.entries(AZURE_DATABASE_ROOT_CAS)
    .map(([commonName, fingerprint]) => {
      const pem = store.find((candidate) => new X509Certificate(candidate).fingerprint256 === fingerprint);
      if (!pem) throw new Error(`Node.js's root store has no "${commonName}" with SHA-256 fingerprint ${fingerprint}`);
      const certificate = new X509Certificate(pem);
      if (!certificate.subject.split("\n").includes(`CN=${commonName}`)) {
        throw new Error(`the root certificate with fingerprint ${fingerprint} is not "${commonName}" but ${certificate.subject.replace(/\n/g, ", ")}`);
      }
      return pem.trim();
    })
    .join("\n");
}
