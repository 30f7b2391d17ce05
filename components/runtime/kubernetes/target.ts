import type * as pulumi from "@pulumi/pulumi";
import type { S3Credentials } from "../../kubernetes/secretRef";
import type { ClusterNames } from "../../kubernetes/names";
import type { ManagedStores } from "../../stores/contract";
import type { ArchivalSpec } from "../../temporal/archival";
import type { RoleName } from "../../temporal/roles";

/** Where the Kubernetes runtime deploys: what a platform (plain Kubernetes, EKS, AKS) hands it. */
export interface KubernetesTarget {
  /** The cluster this platform made or found; none means the program's own Kubernetes provider. */
  provider?: pulumi.ProviderResource;
  /** What in-cluster stores wait for before claiming volumes (a default StorageClass the platform made). */
  storageReady: pulumi.Resource[];
  /** The stores the platform provisioned outside the cluster, as the roles reach them. */
  managedStores: ManagedStores;
  /** Whether the roles that archive call an HTTPS endpoint outside the cluster (network policies open it). */
  archivesOverHttps: boolean;
  /** What the archiving roles need in the cluster, made when the deployment reaches that point; none when archival is off. */
  archiveAccess(context: ArchiveContext): ArchiveAccess | undefined;
  /** A cloud identity for a service account, with these permissions; none when the platform has no such thing. */
  workloadIdentity(name: string, subject: WorkloadSubject): WorkloadIdentity | undefined;
}

export interface ArchiveContext {
  name: string;
  names: ClusterNames;
  namespace: pulumi.Output<string>;
  /** The roles that archive. */
  clients: RoleName[];
  highAvailability: boolean;
  networkPolicies: boolean;
  /** Options of the Kubernetes objects: parent and provider. */
  onKubernetes: pulumi.ComponentResourceOptions;
}

export interface ArchiveAccess {
  spec: pulumi.Output<ArchivalSpec | undefined>;
  /** The service account the archiving roles run as, when the archive trusts one (IRSA). */
  serviceAccountName?: pulumi.Output<string>;
  /** Keys the archiving roles sign with, when the archive is reached through an in-cluster gateway. */
  credentials?: S3Credentials;
}

export interface WorkloadSubject {
  namespace: pulumi.Input<string>;
  serviceAccountName: string;
  /** Who the identity is for, as a person reading the cloud console would want it named. */
  workload: string;
  /** Cloud permissions (AWS policy ARNs) the identity is granted. */
  policyArns: pulumi.Input<string>[];
}

export interface WorkloadIdentity {
  /** What the service account carries so its pods act as the identity. */
  serviceAccountAnnotations: Record<string, pulumi.Input<string>>;
}
