import type * as pulumi from "@pulumi/pulumi";
import type { EcsRuntimeTarget } from "../runtime/ecs/target";
import type { KubernetesTarget } from "../runtime/kubernetes/target";

export type { ArchiveAccess, ArchiveContext, WorkloadIdentity, WorkloadSubject } from "../runtime/kubernetes/target";

/**
 * What a platform gives the deployment: where the Kubernetes objects go, which stores it made and
 * how the roles reach them, cloud identities for service accounts, the archive, and the stack
 * outputs that are its own. TemporalCluster picks one (platforms/index.ts) and composes; it
 * never asks which cloud it is on.
 */
export type Platform = KubernetesPlatform | EcsPlatform;

interface PlatformBase {
  /** The stack outputs only this platform has (cluster names, the database endpoint). */
  outputs: Record<string, pulumi.Input<unknown>>;
}

/** A platform whose workloads run on Kubernetes (a cluster the program's provider reaches, EKS, AKS). */
export interface KubernetesPlatform extends PlatformBase, KubernetesTarget {
  runtime: "kubernetes";
}

/** A platform whose workloads run as ECS Fargate tasks. */
export interface EcsPlatform extends PlatformBase {
  runtime: "ecs";
  target: EcsRuntimeTarget;
}
