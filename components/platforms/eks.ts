import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPlatform } from "./aws/awsPlatform";
import type { ArchivalBucket } from "../aws/archivalBucket";
import { archivalSpecOf } from "../aws/archivalSetup";
import { WorkloadIdentityRole } from "../aws/workloadIdentityRole";
import type { StackConfig } from "../config/schema";
import { awsOutputs } from "./awsOutputs";
import type { KubernetesPlatform, WorkloadSubject } from "./platform";

/** The annotation EKS's pod identity webhook reads to hand a pod an IAM role. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * EKS: the cluster, network and stores AwsPlatform made or found; service accounts act as IAM
 * roles through IRSA, and the roles that archive write to the S3 bucket as such a role.
 */
export function eksPlatform(config: StackConfig, aws: AwsPlatform, archive: ArchivalBucket | undefined, parent: pulumi.Resource): KubernetesPlatform {
  const eks = aws.eks!;
  const irsaRole = (name: string, subject: Omit<WorkloadSubject, "workload">, description: string) =>
    new WorkloadIdentityRole(
      name,
      {
        trust: { platform: "eks", oidcProviderArn: eks.oidcProviderArn, oidcIssuer: eks.oidcIssuer, namespace: subject.namespace, serviceAccountName: subject.serviceAccountName },
        description,
        policyArns: subject.policyArns,
        tags: aws.tags,
      },
      { parent },
    );
  return {
    runtime: "kubernetes",
    provider: eks.provider,
    // In-cluster stores claim their volumes from the default StorageClass, which a kit-made EKS cluster makes itself.
    storageReady: eks.defaultStorageClass ? [eks.defaultStorageClass] : [],
    managedStores: aws.managedStores,
    archivesOverHttps: archive !== undefined,
    archiveAccess: ({ name, names, namespace }) => {
      if (!archive) return undefined;
      const identity = irsaRole(
        `${name}-archival-identity`,
        { namespace, serviceAccountName: names.serverServiceAccount, policyArns: [archive.accessPolicyArn] },
        "Temporal server access to its archive bucket",
      );
      const account = new k8s.core.v1.ServiceAccount(
        `${name}-server-account`,
        { metadata: { name: names.serverServiceAccount, namespace, labels: names.labels("server"), annotations: { [IRSA_ROLE_ANNOTATION]: identity.arn } } },
        { parent, provider: eks.provider },
      );
      return { spec: archivalSpecOf(config, archive), serviceAccountName: account.metadata.name };
    },
    workloadIdentity: (name, subject) => {
      if (!subject.policyArns.length) return undefined;
      return { serviceAccountAnnotations: { [IRSA_ROLE_ANNOTATION]: irsaRole(name, subject, `AWS access of ${subject.workload}`).arn } };
    },
    outputs: { ...awsOutputs(aws), eksClusterName: eks.clusterName },
  };
}
