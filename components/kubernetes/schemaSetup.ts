import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { SchemaStep, StoreKind, schemaPlan } from "../temporal/schemaSteps";
import type { DefaultStoreSpec, VisibilityStoreSpec } from "../temporal/serverConfig";
import { plainEnv } from "./envVars";
import type { JobPodOverridesConfig } from "../config/podSchema";
import { retryingJob } from "./retryingJob";
import { ClusterNames, imageTag } from "./names";
import { IMAGE_USERS, hardenedPod, restrictedContainerSecurity, scratchTmp } from "./podDefaults";
import { storeCaVolume } from "./managedStoreCredentials";
import type { SecretKeyRef } from "./secretRef";

export interface SchemaSetupArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  adminToolsImage: string;
  defaultStore: pulumi.Input<DefaultStoreSpec>;
  visibilityStore: pulumi.Input<VisibilityStoreSpec>;
  defaultStorePassword: SecretKeyRef;
  /** Absent for a visibility store without authentication (the dev Elasticsearch). */
  visibilityStorePassword?: SecretKeyRef;
  /** ConfigMap with the database's CA bundle, when the store is reached over verified TLS. */
  storeCaConfigMapName?: pulumi.Input<string>;
  /** temporal.adminToolsPod: where the Job schedules and what pulls the admin-tools image. */
  adminToolsPod?: JobPodOverridesConfig;
}

const jobResources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };

/**
 * Creates the default store (SQL database or Cassandra keyspace) and the visibility store (SQL
 * database or Elasticsearch index) and brings both schemas to the version the admin-tools image
 * ships. It runs as init containers, one step after another, so a failed step
 * stops the rest; every server role waits for this Job to complete. Its name carries the image
 * tag: an upgrade is a new Job that runs before any role rolls.
 */
export class SchemaSetup extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;

  constructor(name: string, args: SchemaSetupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:SchemaSetup", name, {}, opts);
    const { names } = args;
    const labels = names.labels("schema");
    const storeCa = args.storeCaConfigMapName ? storeCaVolume(args.storeCaConfigMapName) : undefined;

    const stepsFor = (kind: StoreKind, store: pulumi.Input<DefaultStoreSpec | VisibilityStoreSpec>, password: SecretKeyRef | undefined) =>
      pulumi.output(store).apply((spec) => {
        const plan = schemaPlan(kind, spec);
        const passwordEnv = plan.passwordEnv && password ? [{ name: plan.passwordEnv, valueFrom: { secretKeyRef: password } }] : [];
        return plan.steps.map((step: SchemaStep) => ({
          name: step.name,
          image: args.adminToolsImage,
          imagePullPolicy: "IfNotPresent",
          command: step.command,
          env: [...plainEnv(plan.env), ...passwordEnv],
          resources: jobResources,
          securityContext: restrictedContainerSecurity,
          volumeMounts: [...(storeCa ? [storeCa.mount] : []), scratchTmp.mount],
        }));
      });

    const defaultSteps = stepsFor("default", args.defaultStore, args.defaultStorePassword);
    const visibilitySteps = stepsFor("visibility", args.visibilityStore, args.visibilityStorePassword);

    this.job = retryingJob(
      `${name}-job`,
      {
        name: names.schemaJob(imageTag(args.adminToolsImage)),
        namespace: args.namespace,
        labels,
        ...(args.adminToolsPod ? { podOverrides: args.adminToolsPod } : {}),
        pod: {
          ...hardenedPod(IMAGE_USERS.temporal),
          initContainers: pulumi.all([defaultSteps, visibilitySteps]).apply(([d, v]) => [...d, ...v]),
          volumes: [...(storeCa ? [storeCa.volume] : []), scratchTmp.volume],
          containers: [
            {
              name: "done",
              image: args.adminToolsImage,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", "echo schema is current"],
              resources: jobResources,
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
