import { parse } from "yaml";
import { describe, expect, inject, it } from "vitest";
import type { PodSpec } from "../helpers/mockRuntime";
import { KubernetesObject, SynthOutput, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const output = (label: string): SynthOutput => readSynthOutput(runs.find((run) => run.label === label)!);
const globalOf = (out: SynthOutput) => (parse(out.temporalFiles["temporal.yaml"].replace(/\{\{[^}]*\}\}/g, "x")) as { global: Record<string, unknown> }).global;
const tlsSecrets = (out: SynthOutput) => out.objects.filter((object) => object.kind === "Secret" && object.type === "kubernetes.io/tls");
const podSpecs = (out: SynthOutput) =>
  out.objects
    .filter((object): object is KubernetesObject & { spec: { template: { spec: PodSpec } } } => object.kind === "Deployment")
    .map((object) => object.spec.template.spec);

describe.each(["staging", "production", "production-azure", "local"])("the %s stack", (label) => {
  it("runs mutual TLS between the roles and at the frontend", () => {
    const tls = globalOf(output(label)).tls as Record<string, { server?: { requireClientAuth?: boolean } }>;
    expect(tls.internode.server?.requireClientAuth).toBe(true);
    expect(tls.frontend.server?.requireClientAuth).toBe(true);
  });

  it("holds its certificates in three TLS Secrets whose values never reach the synth output", () => {
    const secrets = tlsSecrets(output(label));
    expect(secrets.map((secret) => secret.metadata.name.replace(/^.*-tls-/, "")).sort()).toEqual(["client", "frontend", "internode"]);
    for (const secret of secrets) expect(Object.values(secret.stringData as Record<string, string>)).toEqual(["[secret]", "[secret]", "[secret]"]);
    expect(output(label).allText).not.toContain("PRIVATE KEY");
  });

  it("uses no kubelet gRPC probe, which cannot speak TLS", () => {
    for (const pod of podSpecs(output(label))) {
      for (const container of pod.containers) expect(container.readinessProbe ?? {}).not.toHaveProperty("grpc");
    }
  });
});

describe.each(["dev", "dev-cassandra"])("the %s stack", (label) => {
  it("stays in plaintext with no certificates", () => {
    expect(globalOf(output(label)).tls).toBeUndefined();
    expect(tlsSecrets(output(label))).toEqual([]);
  });
});

describe("the production-ecs stack", () => {
  it("makes no certificates, since ECS tasks cannot take them yet", () => {
    expect(output("production-ecs").resources.filter((record) => record.type.startsWith("tls:"))).toEqual([]);
  });
});
