import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { childAfter, childOf } from "../childOptions";
import type { TlsConfig } from "../config/securitySchema";
import type { TlsCertificateName } from "../temporal/tls";
import type { CertificateSubjects } from "./clusterCertificates";
import type { ClusterNames } from "./names";

const API_VERSION = "cert-manager.io/v1";
const ECDSA_P256_PKCS8 = { algorithm: "ECDSA", size: 256, encoding: "PKCS8", rotationPolicy: "Always" };

const USAGES: Record<TlsCertificateName, string[]> = {
  internode: ["digital signature", "key encipherment", "server auth", "client auth"],
  frontend: ["digital signature", "key encipherment", "server auth"],
  client: ["digital signature", "key encipherment", "client auth"],
};

/**
 * The same three Secrets as the generated mode, issued and renewed by cert-manager. The frontend
 * and client certificates come from the stack's issuer; the internode certificate comes from a CA
 * of the cluster's own (a self-signed Issuer makes it), so that no certificate the organisation's
 * issuer signs for anyone else can call history, matching or the internal frontend.
 *
 * The pods read `ca.crt` from each Secret: the stack's issuer must be one that fills it (a CA or
 * Vault issuer does; ACME issuers do not).
 */
export function certManagerCertificates(
  name: string,
  args: { names: ClusterNames; namespace: pulumi.Input<string>; tls: TlsConfig; subjects: pulumi.Output<CertificateSubjects> },
  parent: pulumi.Resource,
  parentOpts?: pulumi.ComponentResourceOptions,
): k8s.apiextensions.CustomResource[] {
  const opts = childOf(parent, parentOpts);
  const after = (resource: pulumi.Resource) => childAfter(parent, parentOpts, [resource]);
  const { names, tls: config } = args;
  if (!config.issuer) throw new Error("cert-manager certificates need security.tls.issuer");
  const labels = names.labels("tls");
  const metadata = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels });
  const duration = (days: number) => `${days * 24}h`;

  const selfSigned = new k8s.apiextensions.CustomResource(
    `${name}-selfsigned-issuer`,
    { apiVersion: API_VERSION, kind: "Issuer", metadata: metadata(names.tlsSelfSignedIssuer), spec: { selfSigned: {} } },
    opts,
  );
  const internodeCa = new k8s.apiextensions.CustomResource(
    `${name}-internode-ca`,
    {
      apiVersion: API_VERSION,
      kind: "Certificate",
      metadata: metadata(names.tlsInternodeCa),
      spec: {
        isCA: true,
        commonName: `${names.cluster} internode CA`,
        secretName: names.tlsInternodeCa,
        duration: duration(config.caValidityDays),
        privateKey: ECDSA_P256_PKCS8,
        issuerRef: { group: "cert-manager.io", kind: "Issuer", name: names.tlsSelfSignedIssuer },
      },
    },
    after(selfSigned),
  );
  const internodeIssuer = new k8s.apiextensions.CustomResource(
    `${name}-internode-issuer`,
    { apiVersion: API_VERSION, kind: "Issuer", metadata: metadata(names.tlsInternodeCa), spec: { ca: { secretName: names.tlsInternodeCa } } },
    after(internodeCa),
  );

  const issuers: Record<TlsCertificateName, { group: string; kind: string; name: string }> = {
    internode: { group: "cert-manager.io", kind: "Issuer", name: names.tlsInternodeCa },
    frontend: { group: "cert-manager.io", ...config.issuer },
    client: { group: "cert-manager.io", ...config.issuer },
  };
  const leaves = (Object.keys(USAGES) as TlsCertificateName[]).map(
    (leaf) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${leaf}-certificate`,
        {
          apiVersion: API_VERSION,
          kind: "Certificate",
          metadata: metadata(names.tlsSecret(leaf)),
          spec: {
            secretName: names.tlsSecret(leaf),
            commonName: args.subjects.apply((subjects) => subjects[leaf].commonName),
            dnsNames: args.subjects.apply((subjects) => (subjects[leaf].dnsNames.length > 0 ? subjects[leaf].dnsNames : undefined)),
            usages: USAGES[leaf],
            duration: duration(config.certificateValidityDays),
            renewBefore: duration(config.renewBeforeDays),
            privateKey: ECDSA_P256_PKCS8,
            secretTemplate: { labels },
            issuerRef: issuers[leaf],
          },
        },
        leaf === "internode" ? after(internodeIssuer) : opts,
      ),
  );
  return [selfSigned, internodeCa, internodeIssuer, ...leaves];
}
