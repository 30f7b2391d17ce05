import { parse } from "yaml";
import { describe, expect, inject, it } from "vitest";
import type { PodSpec } from "../helpers/mockRuntime";

interface EcsContainer {
  name: string;
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
}
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
  const ecs = () => output("production-ecs");
  const taskContainers = (family: RegExp) =>
    ecs()
      .resources.filter((record) => record.type === "aws:ecs/taskDefinition:TaskDefinition" && family.test(String(record.inputs.family)))
      .flatMap((record) => JSON.parse(String(record.inputs.containerDefinitions)) as EcsContainer[]);
  const tlsSecretArns = () =>
    ecs()
      .resources.filter((record) => record.type === "aws:secretsmanager/secret:Secret" && /-tls-(internode|frontend|client)$/.test(record.name))
      .map((record) => `arn:aws:secretsmanager:us-east-1:123456789012:${record.name}`);

  it("runs mutual TLS between the roles and at the frontend, with the files the roles' prelude writes", () => {
    const tls = globalOf(ecs()).tls as Record<string, any>;
    expect(tls.internode.server).toMatchObject({ requireClientAuth: true, certFile: "/tmp/tls/internode/tls.crt", clientCaFiles: ["/tmp/tls/internode/ca.crt"] });
    expect(tls.frontend.server).toMatchObject({ requireClientAuth: true, clientCaFiles: ["/tmp/tls/client/ca.crt"] });
    expect(tls.frontend.client.serverName).toBe("frontend.temporal.temporal.internal");
    expect(tls.internode.client.serverName).toBe("temporal-internode");
  });

  it("stores its three certificates in Secrets Manager as secrets that never reach the synth output", () => {
    expect(tlsSecretArns()).toHaveLength(3);
    const versions = ecs().resources.filter((record) => record.type === "aws:secretsmanager/secretVersion:SecretVersion" && /-tls-/.test(record.name));
    expect(versions.map((version) => version.inputs.secretString)).toEqual(["[secret]", "[secret]", "[secret]"]);
    expect(ecs().allText).not.toContain("PRIVATE KEY");
  });

  it("lets the execution role read the database password and exactly the certificate secrets", () => {
    const policy = ecs().resources.find((record) => record.type === "aws:iam/rolePolicy:RolePolicy" && record.name.endsWith("-execution-policy"))!;
    const statement = (JSON.parse(String(policy.inputs.policy)).Statement as { Sid: string; Resource: string[] }[]).find((candidate) => candidate.Sid === "Secrets")!;
    expect([...statement.Resource].sort()).toEqual(["arn:aws:secretsmanager:us-east-1:123456789012:temporal-ecs-db-password", ...tlsSecretArns()].sort());
  });

  it("gives every role, the namespace task, the console and the workers certificates only by reference", () => {
    const arns = tlsSecretArns();
    const byName = (containers: EcsContainer[]) => containers.flatMap((container) => (container.secrets ?? []).filter((secret) => arns.some((arn) => secret.valueFrom.startsWith(`${arn}:`))));
    expect(byName(taskContainers(/-(frontend|history|matching|worker)-task$/))).toHaveLength(4 * 9);
    expect(byName(taskContainers(/-namespaces$/)).map((secret) => secret.name)).toEqual(["TEMPORAL_KIT_TLS_CLIENT_CERT", "TEMPORAL_KIT_TLS_CLIENT_KEY", "TEMPORAL_KIT_TLS_CLIENT_CA"]);
    expect(byName(taskContainers(/-web-task$/)).map((secret) => secret.name)).toEqual(["TEMPORAL_TLS_CA_DATA", "TEMPORAL_TLS_CERT_DATA", "TEMPORAL_TLS_KEY_DATA"]);
    const namespaces = taskContainers(/-namespaces$/)[0];
    expect(namespaces.environment).toContainEqual({ name: "TEMPORAL_TLS_SERVER_NAME", value: "frontend.temporal.temporal.internal" });
    const web = taskContainers(/-web-task$/)[0];
    expect(web.environment).toContainEqual({ name: "TEMPORAL_TLS_ENABLE_HOST_VERIFICATION", value: "true" });
  });
});
