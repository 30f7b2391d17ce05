import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { TlsConfig } from "../config/securitySchema";
import type { RoleName } from "../temporal/roles";
import type { CertificateSubjects } from "../tls/generatedCertificateSet";
import { TLS_CERTIFICATES, TlsCertificateName } from "../temporal/tls";
import { certManagerCertificates } from "./certManagerCertificates";
import { generatedCertificates } from "./generatedCertificates";
import type { ClusterNames } from "./names";

export interface ClusterCertificatesArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** The roles this cluster runs: each one's Service names go into the internode certificate. */
  roles: RoleName[];
  tls: TlsConfig;
}

export type { CertificateSubjects };

/** Every name a Service answers to inside the cluster. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

/** The frontend's in-cluster DNS name: the server name its clients verify. */
export function frontendServerName(names: ClusterNames, namespace: string): string {
  return `${names.role("frontend")}.${namespace}.svc.cluster.local`;
}

/**
 * What each certificate is issued for. Roles dial each other by pod IP and verify the one
 * internode server name; the role Service names are there too so tools can reach a role by name.
 */
export function certificateSubjects(names: ClusterNames, namespace: string, roles: RoleName[]): CertificateSubjects {
  return {
    internode: {
      commonName: names.internodeServerName,
      dnsNames: [
        names.internodeServerName,
        ...roles.flatMap((role) => [...serviceDnsNames(names.role(role), namespace), ...serviceDnsNames(names.roleHeadless(role), namespace)]),
      ],
    },
    frontend: {
      commonName: frontendServerName(names, namespace),
      dnsNames: [...serviceDnsNames(names.role("frontend"), namespace), ...serviceDnsNames(names.roleHeadless("frontend"), namespace)],
    },
    client: { commonName: `${names.cluster}-kit-client`, dnsNames: [] },
  };
}

/**
 * The cluster's mutual TLS certificates as the Kubernetes Secrets `names.tlsSecret(...)`: made by
 * the kit (`generated`) or requested from cert-manager (`cert-manager`). Either way the pods see
 * the same Secret names and files.
 */
export class ClusterCertificates extends pulumi.ComponentResource {
  /** Secret name per certificate. */
  readonly secretNames: Record<TlsCertificateName, string>;
  /** What a pod that mounts the Secrets must wait for. */
  readonly resources: pulumi.Resource[];
  readonly frontendServerName: pulumi.Output<string>;

  constructor(name: string, args: ClusterCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:ClusterCertificates", name, {}, opts);
    const { names, tls } = args;
    if (tls.certificates === "off") throw new Error("ClusterCertificates needs security.tls.certificates generated or cert-manager, not off.");
    if (!args.roles.includes("frontend")) throw new Error("ClusterCertificates needs the frontend among the roles.");

    const subjects = pulumi.output(args.namespace).apply((namespace) => certificateSubjects(names, namespace, args.roles));
    const made = { names, namespace: args.namespace, tls, subjects };
    this.resources =
      tls.certificates === "generated" ? generatedCertificates(name, made, childOf(this, opts)) : certManagerCertificates(name, made, this, opts);
    this.secretNames = Object.fromEntries(TLS_CERTIFICATES.map((certificate) => [certificate, names.tlsSecret(certificate)])) as Record<
      TlsCertificateName,
      string
    >;
    this.frontendServerName = pulumi.output(args.namespace).apply((namespace) => frontendServerName(names, namespace));

    this.registerOutputs({ secretNames: this.secretNames });
  }
}
