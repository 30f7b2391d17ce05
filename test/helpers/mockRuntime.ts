import * as pulumi from "@pulumi/pulumi";
import { kitMocks } from "../../tools/synth/mocks";
import { Recording, ResourceRecord, recordRegistrations } from "../../tools/synth/recorder";

/**
 * Pulumi's mock runtime with the synth's recorder attached, so unit tests see exactly what the
 * engine would receive: inputs with secrets masked, parents and dependencies.
 */
export async function startMockRuntime(stack = "unit"): Promise<Recording> {
  await pulumi.runtime.setMocks(kitMocks, "temporal-kit", stack, false);
  return recordRegistrations();
}

/** Waits until every registration the test has started has reached the (mock) engine. */
export async function settle(): Promise<void> {
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export function ofType(records: ResourceRecord[], type: string): ResourceRecord[] {
  return records.filter((record) => record.type === type);
}

export function onlyOfType(records: ResourceRecord[], type: string, nameIncludes = ""): ResourceRecord {
  const matches = ofType(records, type).filter((record) => record.name.includes(nameIncludes));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type}${nameIncludes ? ` named *${nameIncludes}*` : ""}, found ${matches.length}`);
  }
  return matches[0];
}

export const K8S = {
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  service: "kubernetes:core/v1:Service",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  job: "kubernetes:batch/v1:Job",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  namespace: "kubernetes:core/v1:Namespace",
} as const;

// Shapes of the Kubernetes inputs the tests read; loose on purpose, the schema test checks shape.
export interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
  securityContext?: { runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean };
}
export interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  initContainers?: Container[];
  topologySpreadConstraints?: unknown[];
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; configMap?: { name: string } }[];
}
export interface Workload {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    replicas?: number;
    strategy?: { rollingUpdate?: { maxSurge?: number; maxUnavailable?: number } };
    template: { metadata?: { annotations?: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: { spec: { resources: { requests: { storage: string } } } }[];
    backoffLimit?: number;
  };
}

export const podSpecOf = (record: ResourceRecord): PodSpec => (record.inputs as unknown as Workload).spec.template.spec;
export const workloadOf = (record: ResourceRecord): Workload => record.inputs as unknown as Workload;
export const envOf = (container: Container, name: string) => container.env?.find((variable) => variable.name === name);
