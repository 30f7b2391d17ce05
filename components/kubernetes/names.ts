import * as pulumi from "@pulumi/pulumi";
import type { RoleName } from "../temporal/roles";
import { internodeServerNameOf } from "../temporal/tls";

/**
 * Every Kubernetes object name and label of one Temporal cluster, computed here and nowhere else.
 */
export class ClusterNames {
  constructor(readonly cluster: string) {}

  role(role: RoleName): string {
    return `${this.cluster}-${role}`;
  }
  roleHeadless(role: RoleName): string {
    return `${this.cluster}-${role}-headless`;
  }
  get serverConfig(): string {
    return `${this.cluster}-server-config`;
  }
  get dynamicConfig(): string {
    return `${this.cluster}-dynamic-config`;
  }
  get storeCredentials(): string {
    return `${this.cluster}-store-credentials`;
  }
  get storeCa(): string {
    return `${this.cluster}-store-ca`;
  }
  get mysql(): string {
    return `${this.cluster}-mysql`;
  }
  get mysqlInit(): string {
    return `${this.cluster}-mysql-init`;
  }
  /** The PostgreSQL StatefulSet and its headless Service. */
  get postgres(): string {
    return `${this.cluster}-postgres`;
  }
  get postgresInit(): string {
    return `${this.cluster}-postgres-init`;
  }
  /** Its own Secret: a managed default store may hold the shared store credentials beside it. */
  get postgresCredentials(): string {
    return `${this.cluster}-postgres-credentials`;
  }
  /** The Cassandra StatefulSet, and the Service of its ready nodes that Temporal connects through. */
  get cassandra(): string {
    return `${this.cluster}-cassandra`;
  }
  /** Governs the Cassandra pods' DNS names, ready or not: the seeds must resolve while the ring forms. */
  get cassandraHeadless(): string {
    return `${this.cluster}-cassandra-headless`;
  }
  /** Its own Secret: a managed visibility store may hold the shared store credentials beside it. */
  get cassandraCredentials(): string {
    return `${this.cluster}-cassandra-credentials`;
  }
  /** Versioned by what it sets, so a change (such as auth replication for HA) runs a new Job. */
  cassandraAuthJob(specHash: string): string {
    return `${this.cluster}-cassandra-auth`.slice(0, 54).replace(/-+$/, "") + `-${specHash.slice(0, 8)}`;
  }
  get elasticsearch(): string {
    return `${this.cluster}-elasticsearch`;
  }
  /** Versioned by the admin-tools tag, so an upgrade runs a new schema job rather than reusing a finished one. */
  schemaJob(adminToolsTag: string): string {
    return `${this.cluster}-schema-${slug(adminToolsTag)}`.slice(0, 63).replace(/-+$/, "");
  }
  namespaceJob(namespace: string, specHash: string): string {
    return `${this.cluster}-ns-${slug(namespace)}`.slice(0, 54).replace(/-+$/, "") + `-${specHash.slice(0, 8)}`;
  }
  /** The Secret holding one certificate of the cluster's mutual TLS (tls.crt, tls.key, ca.crt). */
  tlsSecret(certificate: "internode" | "frontend" | "client"): string {
    return `${this.cluster}-tls-${certificate}`;
  }
  /** cert-manager mode: the internode CA's Secret, and the Issuers that make and use it. */
  get tlsInternodeCa(): string {
    return `${this.cluster}-tls-internode-ca`;
  }
  get tlsSelfSignedIssuer(): string {
    return `${this.cluster}-tls-selfsigned`;
  }
  /** The name every internode certificate carries, whichever pod IP a peer dials. */
  get internodeServerName(): string {
    return internodeServerNameOf(this.cluster);
  }
  /** Lets the namespace jobs reach the internal frontend when authorization sends them there. */
  get internalFrontendJobsPolicy(): string {
    return `${this.cluster}-internal-frontend-jobs`;
  }
  /** The CA certificates the frontend trusts for the JWKS fetch (security.authorization.jwksCaCertificates). */
  get jwksCa(): string {
    return `${this.cluster}-jwks-ca`;
  }
  get webConsole(): string {
    return `${this.cluster}-web`;
  }
  /** The identity of the server roles that reach the archive bucket (IRSA on EKS). */
  get serverServiceAccount(): string {
    return `${this.cluster}-server`;
  }
  /** The in-cluster S3 gateway to Blob Storage: its Deployment, Service and ServiceAccount. */
  get archiveGateway(): string {
    return `${this.cluster}-archive-gateway`;
  }
  /** The S3 key pair the archiving roles sign their requests to the gateway with. */
  get archiveGatewayCredentials(): string {
    return `${this.archiveGateway}-s3-key`;
  }
  /** The web console's OIDC client secret. */
  get webConsoleAuth(): string {
    return `${this.webConsole}-oidc`;
  }
  workerPool(pool: string): string {
    return `${this.cluster}-worker-${pool}`;
  }
  /** The ServiceMonitor and PrometheusRule of the cluster's roles, and its Grafana dashboards. */
  get metrics(): string {
    return `${this.cluster}-metrics`;
  }
  get alerts(): string {
    return `${this.cluster}-alerts`;
  }
  get dashboards(): string {
    return `${this.cluster}-dashboards`;
  }

  /** In-cluster DNS address of a role's gRPC endpoint. */
  roleAddress(role: RoleName, namespace: string, port: number): string {
    return `${this.role(role)}.${namespace}.svc.cluster.local:${port}`;
  }

  labels(component: string): Record<string, string> {
    return { ...this.selector(component), "app.kubernetes.io/part-of": "temporal-kit", "app.kubernetes.io/managed-by": "pulumi" };
  }
  /** Every object of this cluster, whatever its component. */
  get instanceSelector(): Record<string, string> {
    return { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": this.cluster };
  }
  selector(component: string): Record<string, string> {
    return { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": this.cluster, "app.kubernetes.io/component": component };
  }
}

export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

export function imageTag(image: string): string {
  const digest = image.split("@")[1];
  if (digest) return digest.replace("sha256:", "").slice(0, 12);
  return image.split("/").pop()!.split(":")[1] ?? "untagged";
}

/** A Service's in-cluster DNS name. */
export function serviceHost(serviceName: pulumi.Input<string>, namespace: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`${serviceName}.${namespace}.svc.cluster.local`;
}
