import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import type { TlsConfig } from "../../config/securitySchema";
import { TLS_CERTIFICATES, TlsCertificateName } from "../../temporal/tls";
import { CertificateSubjects, generatedCertificateSet } from "../../tls/generatedCertificateSet";
import { awsTags } from "../tags";
import { CertificateSecretRef, CertificateSecretRefs, certificateSecretValue } from "./taskTls";

export interface EcsCertificatesArgs {
  clusterName: string;
  tls: TlsConfig;
  /** The name every internode certificate carries; roles dial each other's task IPs and verify it. */
  internodeServerName: string;
  /** The frontend's Cloud Map name, which the kit's own tasks dial and verify. */
  frontendServerName: string;
  /** The frontend load balancer's DNS name, so clients outside Cloud Map can verify the frontend too. */
  frontendLoadBalancerDnsName: pulumi.Input<string>;
  /** Production keeps a deleted secret recoverable for a week. */
  production: boolean;
  tags: Record<string, string>;
}

/** What each certificate is issued for on ECS. */
export function ecsCertificateSubjects(args: { clusterName: string; internodeServerName: string; frontendServerName: string; frontendLoadBalancerDnsName: string }): CertificateSubjects {
  return {
    internode: { commonName: args.internodeServerName, dnsNames: [args.internodeServerName] },
    frontend: { commonName: args.frontendServerName, dnsNames: [args.frontendServerName, args.frontendLoadBalancerDnsName] },
    client: { commonName: `${args.clusterName}-kit-client`, dnsNames: [] },
  };
}

/**
 * The cluster's generated mutual TLS certificates (components/tls) for ECS: one Secrets Manager
 * secret per certificate holding its PEMs as JSON (taskTls.ts), which tasks read through their
 * execution role. The secret values are Pulumi secrets; only ARNs and version ids leave here.
 */
export class EcsCertificates extends pulumi.ComponentResource {
  /** Each certificate's secret and current version, resolved once the value is stored. */
  readonly secrets: pulumi.Output<CertificateSecretRefs>;
  /** Every certificate secret's ARN, for the execution role. */
  readonly secretArns: pulumi.Output<string>[];
  readonly internodeServerName: string;
  readonly frontendServerName: string;

  constructor(name: string, args: EcsCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:EcsCertificates", name, {}, opts);
    if (args.tls.certificates !== "generated") throw new Error(`EcsCertificates makes generated certificates only, not ${args.tls.certificates} (checked by the stack config).`);
    this.internodeServerName = args.internodeServerName;
    this.frontendServerName = args.frontendServerName;
    const child = childOf(this, opts);

    const subjects = pulumi.output(args.frontendLoadBalancerDnsName).apply((dnsName) =>
      ecsCertificateSubjects({ clusterName: args.clusterName, internodeServerName: args.internodeServerName, frontendServerName: args.frontendServerName, frontendLoadBalancerDnsName: dnsName }),
    );
    const certificates = generatedCertificateSet(name, { clusterName: args.clusterName, tls: args.tls, subjects }, child);

    const refs = TLS_CERTIFICATES.map((certificate): [TlsCertificateName, pulumi.Output<CertificateSecretRef>] => {
      const secretName = `${name}-${certificate}`;
      const secret = new secretsmanager.Secret(
        secretName,
        { description: `Temporal ${certificate} TLS certificate, key and CA`, recoveryWindowInDays: args.production ? 7 : 0, tags: awsTags(args.tags, secretName) },
        child,
      );
      const { certPem, keyPem, caPem } = certificates[certificate];
      const version = new secretsmanager.SecretVersion(
        secretName,
        {
          secretId: secret.id,
          secretString: pulumi.secret(pulumi.all([certPem, keyPem, caPem]).apply(([cert, key, ca]) => certificateSecretValue({ cert, key, ca }))),
        },
        { ...child, additionalSecretOutputs: ["secretString"] },
      );
      return [certificate, pulumi.all([secret.arn, version.versionId]).apply(([arn, versionId]) => ({ arn, versionId }))];
    });
    this.secrets = pulumi.all(refs.map(([, ref]) => ref)).apply((resolved) => Object.fromEntries(refs.map(([certificate], index) => [certificate, resolved[index]])) as CertificateSecretRefs);
    this.secretArns = refs.map(([, ref]) => ref.apply((secret) => secret.arn));

    this.registerOutputs({ secretArns: this.secretArns });
  }
}
