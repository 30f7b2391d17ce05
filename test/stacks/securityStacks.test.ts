import { parse } from "yaml";
import { describe, expect, inject, it } from "vitest";
import type { PodSpec } from "../helpers/mockRuntime";
import { mockId } from "../../tools/synth/mocks";

interface EcsContainer {
  name: string;
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
}
import { KubernetesObject, SynthOutput, readSynthOutput } from "../helpers/synthRuns";
import { renderAsServer } from "../helpers/serverTemplate";

const runs = inject("synthRuns");
const output = (label: string): SynthOutput => readSynthOutput(runs.find((run) => run.label === label)!);
// As the public frontend's process renders it: the JWKS URLs are its alone (components/temporal/tls.ts).
const globalOf = (out: SynthOutput) => (renderAsServer(out.temporalFiles["temporal.yaml"], { TEMPORAL_SERVICES: "frontend" }) as { global: Record<string, unknown> }).global;
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

describe.each(["dev", "dev-cassandra", "dev-postgres"])("the %s stack", (label) => {
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

describe("an ECS stack with JWT authorization (fixture ecs-authorization)", () => {
  const ecs = () => output("fixture:ecs-authorization");
  const ofType = (type: string) => ecs().resources.filter((record) => record.type === type);
  const taskContainers = (family: RegExp) =>
    ofType("aws:ecs/taskDefinition:TaskDefinition")
      .filter((record) => family.test(String(record.inputs.family)))
      .flatMap((record) => JSON.parse(String(record.inputs.containerDefinitions)) as EcsContainer[]);
  const envOf = (container: EcsContainer) => Object.fromEntries((container.environment ?? []).map((variable) => [variable.name, variable.value]));
  const secretArn = (certificate: string) => {
    const secret = ofType("aws:secretsmanager/secret:Secret").find((record) => record.name.endsWith(`-tls-${certificate}`))!;
    return `arn:aws:secretsmanager:us-east-1:123456789012:${secret.name}`;
  };

  it("renders Temporal's default JWT authorizer with the stack's JWKS URI beside mutual TLS", () => {
    const global = globalOf(ecs());
    expect(global.authorization).toEqual({
      jwtKeyProvider: { keySourceURIs: ["https://login.example.com/realms/ops/protocol/openid-connect/certs"], refreshInterval: "1m" },
      permissionsClaimName: "permissions",
      authorizer: "default",
      claimMapper: "default",
    });
    expect((global.tls as Record<string, any>).internode.server.requireClientAuth).toBe(true);
  });

  it("runs the internal frontend as its own service, found through Cloud Map, and routes the system worker there", () => {
    const discovery = ofType("aws:servicediscovery/service:Service").find((record) => record.inputs.name === "internal-frontend")!;
    expect(discovery).toBeDefined();
    const service = ofType("aws:ecs/service:Service").find((record) => record.name.endsWith("-internal-frontend-service"))!;
    expect(service.inputs.serviceRegistries).toEqual({ registryArn: `arn:aws:servicediscovery:us-east-1:123456789012:${discovery.name}` });
    const [container] = taskContainers(/-internal-frontend-task$/);
    expect(envOf(container).TEMPORAL_SERVICES).toBe("internal-frontend");
    expect((container.secrets ?? []).filter((secret) => secret.valueFrom.startsWith(`${secretArn("internode")}:`))).toHaveLength(3);
    const config = parse(ecs().temporalFiles["temporal.yaml"].replace(/\{\{[^}]*\}\}/g, "x")) as Record<string, unknown>;
    expect(Object.keys(config.services as object)).toContain("internal-frontend");
    expect(config.publicClient).toBeUndefined();
  });

  it("lets the tasks reach the internal frontend's gRPC, membership and HTTP ports from one another", () => {
    const ports = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((record) => record.inputs.fromPort);
    expect(ports).toEqual(expect.arrayContaining([7236, 6936, 7246]));
  });

  it("lets the namespace task, in the clients group, reach the internal frontend's gRPC port in the server group", () => {
    // The synth's mocks give a security group the id its name hashes to.
    const groupId = (suffix: string) => {
      const group = ofType("aws:ec2/securityGroup:SecurityGroup").find((record) => record.name.endsWith(suffix))!;
      return mockId({ type: group.type, name: group.name, inputs: group.inputs });
    };
    const [server, clients] = [groupId("-ecs-tasks"), groupId("-ecs-clients")];
    const invocation = ofType("aws:lambda/invocation:Invocation").find((record) => record.name.endsWith("-namespaces-run-invocation"))!;
    expect(JSON.parse(String(invocation.inputs.input)).securityGroups).toEqual([clients]);
    const internalGrpc = { fromPort: 7236, toPort: 7236 };
    expect(ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((record) => record.inputs)).toContainEqual(
      expect.objectContaining({ securityGroupId: clients, referencedSecurityGroupId: server, ...internalGrpc }),
    );
    expect(ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((record) => record.inputs)).toContainEqual(
      expect.objectContaining({ securityGroupId: server, referencedSecurityGroupId: clients, ...internalGrpc }),
    );
  });

  it("registers namespaces through the internal frontend with the internode certificate", () => {
    const [namespaces] = taskContainers(/-namespaces$/);
    expect(envOf(namespaces)).toMatchObject({
      TEMPORAL_ADDRESS: "internal-frontend.temporal.temporal.internal:7236",
      TEMPORAL_TLS_CLIENT_CERT_PATH: "/tmp/tls/internode/tls.crt",
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: "/tmp/tls/internode/ca.crt",
      TEMPORAL_TLS_SERVER_NAME: "temporal-internode",
    });
    const secrets = namespaces.secrets ?? [];
    expect(secrets.map((secret) => secret.name)).toEqual(["TEMPORAL_KIT_TLS_INTERNODE_CERT", "TEMPORAL_KIT_TLS_INTERNODE_KEY", "TEMPORAL_KIT_TLS_INTERNODE_CA"]);
    expect(secrets.every((secret) => secret.valueFrom.startsWith(`${secretArn("internode")}:`))).toBe(true);
  });

  it("keeps the web console and the public frontend's callers on the public frontend with the client certificate", () => {
    const [web] = taskContainers(/-web-task$/);
    expect(envOf(web)).toMatchObject({ TEMPORAL_ADDRESS: "frontend.temporal.temporal.internal:7233", TEMPORAL_TLS_SERVER_NAME: "frontend.temporal.temporal.internal" });
    expect((web.secrets ?? []).filter((secret) => secret.valueFrom.startsWith(`${secretArn("client")}:`))).toHaveLength(3);
  });
});

describe("an EKS stack with JWT authorization (fixture eks-authorization)", () => {
  const eks = () => output("fixture:eks-authorization");

  it("synthesizes: the objects made beside the components take the EKS provider, not the components' provider map", () => {
    expect(runs.find((run) => run.label === "fixture:eks-authorization")!.status).toBe(0);
  });

  it("deploys every Kubernetes object, the JWKS CA and the namespace jobs' policy included, onto the EKS cluster", () => {
    const { resources } = eks();
    const provider = resources.find((record) => record.type === "pulumi:providers:kubernetes")!;
    const kubernetesObjects = resources.filter((record) => record.custom && record.type.startsWith("kubernetes:"));
    for (const name of ["temporal-tls-jwks-ca", "temporal-tls-internal-frontend-jobs"]) expect(kubernetesObjects.map((record) => record.name)).toContain(name);
    for (const record of kubernetesObjects) expect(record.provider?.startsWith(`${provider.urn}::`), record.name).toBe(true);
  });
});
