import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TlsConfig } from "../config/securitySchema";
import { TLS_FILES, TlsCertificateName } from "../temporal/tls";
import { CertificateSubjects, generatedCertificateSet } from "../tls/generatedCertificateSet";
import type { ClusterNames } from "./names";

/**
 * The kit's own CAs and leaf certificates (components/tls), handed to the pods as one
 * `kubernetes.io/tls` Secret per certificate.
 */
export function generatedCertificates(
  name: string,
  args: { names: ClusterNames; namespace: pulumi.Input<string>; tls: TlsConfig; subjects: pulumi.Output<CertificateSubjects> },
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret[] {
  const { names } = args;
  const labels = names.labels("tls");
  const certificates = generatedCertificateSet(name, { clusterName: names.cluster, tls: args.tls, subjects: args.subjects }, opts);

  return (Object.keys(certificates) as TlsCertificateName[]).map((leaf) => {
    const certificate = certificates[leaf];
    return new k8s.core.v1.Secret(
      `${name}-${leaf}-secret`,
      {
        metadata: { name: names.tlsSecret(leaf), namespace: args.namespace, labels },
        type: "kubernetes.io/tls",
        stringData: pulumi.secret({
          [TLS_FILES.cert]: certificate.certPem,
          [TLS_FILES.key]: certificate.keyPem,
          [TLS_FILES.ca]: certificate.caPem,
        }),
      },
      opts,
    );
  });
}
