import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { NAMESPACE_SCRIPT, NamespaceSpec, namespaceRegistrationEnv } from "../temporal/namespaceRegistration";
import { plainEnv } from "./envVars";
import type { PodTls } from "./podTls";
import type { JobPodOverridesConfig } from "../config/podSchema";
import { retryingJob } from "./retryingJob";
import type { ClusterNames } from "./names";
import { IMAGE_USERS, hardenedPod, restrictedContainerSecurity, scratchTmp } from "./podDefaults";

export interface NamespaceRegistrationArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  adminToolsImage: string;
  /** An output when it names the archive bucket. */
  temporalNamespace: pulumi.Input<NamespaceSpec>;
  frontendAddress: pulumi.Input<string>;
  /** The certificate the CLI presents, when the frontend it calls requires mutual TLS. */
  tls?: PodTls;
  /** temporal.adminToolsPod: where the Job schedules and what pulls the admin-tools image. */
  adminToolsPod?: JobPodOverridesConfig;
}

/**
 * Registers one Temporal namespace through the frontend, or updates its retention, description and
 * archival. The Job's name carries a hash of the namespace spec, so a change in stack config runs
 * it again. Dropping the namespace from config deletes only this Job: the script has no delete, so
 * the namespace and its workflows stay.
 */
export class NamespaceRegistration extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;

  constructor(name: string, args: NamespaceRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:NamespaceRegistration", name, {}, opts);
    const { names, temporalNamespace } = args;
    const labels = names.labels("namespace-registration");
    const spec = pulumi.output(temporalNamespace);

    this.job = retryingJob(
      `${name}-job`,
      {
        name: spec.apply((plain) => names.namespaceJob(plain.name, createHash("sha256").update(JSON.stringify(plain)).digest("hex"))),
        namespace: args.namespace,
        labels,
        ...(args.adminToolsPod ? { podOverrides: args.adminToolsPod } : {}),
        pod: {
          ...hardenedPod(IMAGE_USERS.temporal),
          volumes: [scratchTmp.volume, ...(args.tls?.volumes ?? [])],
          containers: [
            {
              name: "register",
              image: args.adminToolsImage,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", NAMESPACE_SCRIPT],
              env: pulumi
                .all([spec, args.frontendAddress])
                .apply(([plain, address]) => [...plainEnv(namespaceRegistrationEnv(plain, address)), ...(args.tls?.env ?? [])]),
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
              securityContext: restrictedContainerSecurity,
              volumeMounts: [scratchTmp.mount, ...(args.tls?.mounts ?? [])],
            },
          ],
        },
      },
      childOf(this, opts),
    );

    this.registerOutputs({ jobName: this.job.metadata.name });
  }
}
