import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { NAMESPACE_SCRIPT, NamespaceSpec, namespaceRegistrationEnv } from "../temporal/namespaceRegistration";
import { plainEnv } from "./envVars";
import { retryingJob } from "./retryingJob";
import type { ClusterNames } from "./names";
import { IMAGE_USERS, hardenedPod, restrictedContainerSecurity, scratchTmp } from "./podDefaults";

export interface NamespaceRegistrationArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  adminToolsImage: string;
  temporalNamespace: NamespaceSpec;
  frontendAddress: pulumi.Input<string>;
}

/**
 * Registers one Temporal namespace through the frontend, or updates its retention and description.
 * The Job's name carries a hash of the namespace spec, so a change in stack config runs it again.
 * Dropping the namespace from config deletes only this Job: workflow data is never removed by it.
 */
export class NamespaceRegistration extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;

  constructor(name: string, args: NamespaceRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:NamespaceRegistration", name, {}, opts);
    const { names, temporalNamespace } = args;
    const labels = names.labels("namespace-registration");
    const specHash = createHash("sha256").update(JSON.stringify(temporalNamespace)).digest("hex");

    this.job = retryingJob(
      `${name}-job`,
      {
        name: names.namespaceJob(temporalNamespace.name, specHash),
        namespace: args.namespace,
        labels,
        pod: {
          ...hardenedPod(IMAGE_USERS.temporal),
          volumes: [scratchTmp.volume],
          containers: [
            {
              name: "register",
              image: args.adminToolsImage,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", NAMESPACE_SCRIPT],
              env: pulumi
                .output(args.frontendAddress)
                .apply((address) => plainEnv(namespaceRegistrationEnv(temporalNamespace, address))),
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
              securityContext: restrictedContainerSecurity,
              volumeMounts: [scratchTmp.mount],
            },
          ],
        },
      },
      childOf(this, opts),
    );

    this.registerOutputs({ jobName: this.job.metadata.name });
  }
}
