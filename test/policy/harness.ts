import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Environment } from "../../policy/environment";
import { OfflineReport, Violation, runPolicyPack } from "../../policy/offline";
import type { ResourceRecord } from "../../tools/synth/recorder";

const URN_PREFIX = "urn:pulumi:test::temporal-kit::";

/** A registered resource as resources.json holds it. */
export function record(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<ResourceRecord> = {}): ResourceRecord {
  return { urn: `${URN_PREFIX}${type}::${name}`, type, name, parent: null, custom: true, dependsOn: [], provider: null, inputs, ...extra };
}

export const stackRecord = (): ResourceRecord => record("pulumi:pulumi:Stack", "temporal-kit-test", {}, { custom: false });

/** Runs one rule over the records, in a stack whose `environment` output is the one given. */
export async function reportOf(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  records: ResourceRecord[],
  environment: Environment = "production",
): Promise<OfflineReport> {
  return runPolicyPack([policy], { resources: [stackRecord(), ...records], outputs: { environment } }, { enforcementLevel: "mandatory" });
}

export async function violationsOf(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  records: ResourceRecord[],
  environment: Environment = "production",
): Promise<Violation[]> {
  return (await reportOf(policy, records, environment)).violations;
}

export const messagesOf = async (...args: Parameters<typeof violationsOf>) => (await violationsOf(...args)).map((violation) => violation.message);


/** A container that every Kubernetes rule accepts. */
export function compliantContainer(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    name: "app",
    image: "temporalio/server:1.31.2",
    env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "credentials", key: "password" } } }],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
    readinessProbe: { tcpSocket: { port: 7233 } },
    livenessProbe: { tcpSocket: { port: 7233 } },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    ...overrides,
  };
}

export const POD_LABELS = { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/component": "app" };

/** A Deployment (or StatefulSet, Job) whose pod spec every rule accepts unless overridden. */
export function workload(
  name: string,
  options: { kind?: "Deployment" | "StatefulSet" | "Job"; replicas?: number; containers?: Record<string, any>[]; pod?: Record<string, unknown>; namespace?: string; labels?: Record<string, string> } = {},
): ResourceRecord {
  const kind = options.kind ?? "Deployment";
  const apiVersion = kind === "Job" ? "batch/v1" : "apps/v1";
  const labels = options.labels ?? POD_LABELS;
  return record(`kubernetes:${apiVersion}:${kind}`, name, {
    apiVersion,
    kind,
    metadata: { name, namespace: options.namespace ?? "temporal" },
    spec: {
      ...(kind === "Job" ? {} : { replicas: options.replicas ?? 2, selector: { matchLabels: labels } }),
      template: {
        metadata: { labels },
        spec: { automountServiceAccountToken: false, containers: options.containers ?? [compliantContainer()], ...options.pod },
      },
    },
  });
}

export function kubernetesObject(type: string, name: string, body: Record<string, unknown>, namespace = "temporal"): ResourceRecord {
  const [apiVersion, kind] = type.replace(/^kubernetes:/, "").split(":");
  return record(type, name, { apiVersion: apiVersion.replace(/^core\//, ""), kind, metadata: { name, namespace }, ...body });
}

/** An ECS task definition with its container definitions as the provider takes them: one JSON string. */
export function taskDefinition(family: string, containers: Record<string, unknown>[], extra: Record<string, unknown> = {}): ResourceRecord {
  return record("aws:ecs/taskDefinition:TaskDefinition", family, { family, cpu: "256", memory: "512", containerDefinitions: JSON.stringify(containers), ...extra });
}
