import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { PRESET_KUBERNETES_VERSION } from "../../components/config/kubernetesVersions";
import { PROMETHEUS_OPERATOR_API, validatePrometheusOperatorObject } from "../helpers/prometheusOperatorModels";
import { KubernetesObject, PROJECT_ROOT, readSynthOutput } from "../helpers/synthRuns";

/**
 * Validates every object the synth renders against Kubernetes' own OpenAPI schemas, compiled by
 * kubernetes-models for each API group and version; the Prometheus Operator's custom resources,
 * which kubernetes-models does not know, against the kit's own strict schemas of them.
 *
 * kubernetes-models takes its schemas from Kubernetes v1.36.0 since its 5.0.0 (its CHANGELOG:
 * "Update to Kubernetes v1.36.0"), the version the EKS and AKS presets create clusters on: an API a
 * newer cluster removed would pass here unnoticed, so the presets move only with the schemas.
 */
const SCHEMAS = { kubernetesVersion: "1.36", sinceMajor: 5 };
async function validate(object: KubernetesObject): Promise<void> {
  if (object.apiVersion === PROMETHEUS_OPERATOR_API) return validatePrometheusOperatorObject(object);
  const module = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<
    string,
    new (data: KubernetesObject) => { validate(): void }
  >;
  const Model = module[object.kind];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

// ECS stacks render no Kubernetes objects; their task definitions are checked in awsStacks.test.ts.
const runs = inject("synthRuns").filter((run) => run.status === 0 && readSynthOutput(run).outputs.kubernetesNamespace !== undefined);

describe.each(runs.map((run) => run.label))("kubernetes.yaml of %s", (label) => {
  const objects = readSynthOutput(runs.find((run) => run.label === label)!).objects;

  it("is not empty", () => {
    expect(objects.length).toBeGreaterThan(10);
  });

  it.each(objects.map((object) => [`${object.kind} ${object.metadata.name}`, object] as const))(
    "%s is valid against the Kubernetes schema",
    async (_, object) => {
      await expect(validate(object)).resolves.toBeUndefined();
    },
  );
});

describe("the schema check itself", () => {
  it("validates against the API of the Kubernetes version the EKS and AKS presets create", () => {
    const installed = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "kubernetes-models", "package.json"), "utf8")) as { version: string };
    expect(Number(installed.version.split(".")[0])).toBeGreaterThanOrEqual(SCHEMAS.sinceMajor);
    expect(PRESET_KUBERNETES_VERSION).toBe(SCHEMAS.kubernetesVersion);
  });

  it("rejects an object that breaks the Kubernetes schema", async () => {
    const broken = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "broken" },
      spec: { replicas: "two", selector: {}, template: { spec: { containers: [{ image: "x:1" }] } } },
    };
    await expect(validate(broken)).rejects.toThrow(/replicas must be integer|must have required property 'name'/);
  });

  it("rejects a ServiceMonitor with a misspelt field", async () => {
    const monitor = {
      apiVersion: PROMETHEUS_OPERATOR_API,
      kind: "ServiceMonitor",
      metadata: { name: "m", namespace: "temporal" },
      spec: { selector: { matchLabels: { app: "x" } }, endpoints: [{ port: "metrics", intervall: "30s" }] },
    };
    await expect(validate(monitor)).rejects.toThrow(/ServiceMonitor breaks its schema: spec\.endpoints\.0: Unrecognized key: "intervall"/);
  });

  it("rejects a PrometheusRule whose rule duration Prometheus cannot read", async () => {
    const rule = {
      apiVersion: PROMETHEUS_OPERATOR_API,
      kind: "PrometheusRule",
      metadata: { name: "r", namespace: "temporal" },
      spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "5 minutes" }] }] },
    };
    await expect(validate(rule)).rejects.toThrow(/PrometheusRule breaks its schema: spec\.groups\.0\.rules\.0\.for/);
  });

  it("refuses a Prometheus Operator kind it has no schema for", async () => {
    await expect(validate({ apiVersion: PROMETHEUS_OPERATOR_API, kind: "Probe", metadata: { name: "p" } })).rejects.toThrow(/no schema/);
  });

  it("refuses a kind it has no schema for, instead of passing it", async () => {
    await expect(validate({ apiVersion: "v1", kind: "Gadget", metadata: { name: "g" } })).rejects.toThrow(/no schema/);
  });
});
