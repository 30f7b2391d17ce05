import { describe, expect, inject, it } from "vitest";
import { mockId } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import type { Container, PodSpec } from "../helpers/mockRuntime";
import { KubernetesObject, SynthRun, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const run = (label: string): SynthRun => runs.find((candidate) => candidate.label === label)!;
const onKubernetes = runs.filter((candidate) => candidate.status === 0 && readSynthOutput(candidate).outputs.kubernetesNamespace !== undefined);

type HardenedPod = PodSpec & { automountServiceAccountToken?: boolean; securityContext?: Record<string, unknown> };
type HardenedContainer = Container & { securityContext?: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] }; readOnlyRootFilesystem?: boolean } };
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "Job"]);
/** Their entrypoints edit files of the image itself (see inClusterCassandra.ts, inClusterElasticsearch.ts). */
const WRITABLE_ROOT_CONTAINERS = new Set(["cassandra", "elasticsearch"]);

const podOf = (object: KubernetesObject) => (object.spec as { template: { spec: HardenedPod } }).template.spec;
const containersOf = (object: KubernetesObject) => [...(podOf(object).initContainers ?? []), ...podOf(object).containers] as HardenedContainer[];
const workloadsOf = (candidate: SynthRun) => readSynthOutput(candidate).objects.filter((object) => WORKLOAD_KINDS.has(object.kind));

describe.each(onKubernetes.map((candidate) => candidate.label))("pods of %s", (label) => {
  const workloads = () => workloadsOf(run(label));

  it("never run as root, use the runtime's seccomp profile and get no Kubernetes API token", () => {
    expect(workloads().length).toBeGreaterThan(5);
    for (const workload of workloads()) {
      const pod = podOf(workload);
      expect(pod.automountServiceAccountToken, workload.metadata.name).toBe(false);
      expect(pod.securityContext, workload.metadata.name).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      // Only a worker's user is the image author's to choose; the kit knows every other image's.
      if (!workload.metadata.name.includes("-worker-")) expect(pod.securityContext?.runAsUser, workload.metadata.name).toBeGreaterThan(0);
    }
  });

  it("run every container without privilege escalation or capabilities, on a read-only root where the image allows", () => {
    for (const workload of workloads()) {
      for (const container of containersOf(workload)) {
        const where = `${workload.metadata.name}/${container.name}`;
        expect(container.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
        expect(container.securityContext?.readOnlyRootFilesystem, where).toBe(!WRITABLE_ROOT_CONTAINERS.has(container.name));
        if (container.securityContext?.readOnlyRootFilesystem) expect(container.volumeMounts?.map((mount) => mount.mountPath), where).toContain("/tmp");
      }
    }
  });
});

describe("network policies of the shipped stacks", () => {
  const policies = (label: string) => readSynthOutput(run(label)).objects.filter((object) => object.kind === "NetworkPolicy");

  it.each(["staging", "production", "production-azure"])("%s denies ingress and egress by default and gives every role an egress policy", (label) => {
    const names = policies(label).map((policy) => policy.metadata.name);
    const defaultDeny = policies(label).find((policy) => policy.metadata.name.endsWith("-default-deny"))!;
    expect((defaultDeny.spec as { policyTypes: string[] }).policyTypes).toEqual(["Ingress", "Egress"]);
    for (const role of ["frontend", "history", "matching", "worker"]) expect(names.some((name) => name.endsWith(`-${role}-egress`)), role).toBe(true);
  });

  it("admits kind's node network to every pod of the local stack, whose workloads all carry probes kubelet sends from the node", () => {
    const output = readSynthOutput(run("local"));
    const nodeIngress = policies("local").find((policy) => policy.metadata.name.endsWith("-node-ingress"))!;
    const spec = nodeIngress.spec as { podSelector: { matchLabels: Record<string, string> }; ingress: { from: { ipBlock: { cidr: string } }[]; ports?: unknown }[] };
    expect(spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: "172.18.0.0/16" } }] }]);
    const probed = workloadsOf(run("local")).filter((workload) => containersOf(workload).some((container) => container.readinessProbe || container.livenessProbe));
    expect(probed.length).toBeGreaterThan(4);
    for (const workload of probed) {
      const labels = (workload.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
      expect(labels, workload.metadata.name).toMatchObject(spec.podSelector.matchLabels);
    }
    expect(output.objects.filter((object) => object.kind === "NetworkPolicy" && object.metadata.name.endsWith("-node-ingress"))).toHaveLength(1);
  });

  it("leaves dev without NetworkPolicies, so it stays easy to poke at", () => {
    expect(policies("dev")).toHaveLength(0);
  });

  it("lets the production roles reach RDS, which lives outside the cluster, on its port only", () => {
    const history = policies("production").find((policy) => policy.metadata.name.endsWith("-history-egress"))!;
    const outside = (history.spec as { egress: { to: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[] }).egress.filter((rule) => rule.to.some((peer) => peer.ipBlock));
    expect(outside.map((rule) => rule.ports.map((port) => port.port))).toEqual([[3306]]);
  });
});

describe("the Kubernetes fixture whose console signs people in behind an Ingress", () => {
  const output = () => readSynthOutput(run("fixture:with-workers"));

  it("publishes the console over TLS at its host and outputs the https URL", () => {
    const ingress = output().objects.find((object) => object.kind === "Ingress")!;
    expect(ingress.spec).toMatchObject({ ingressClassName: "nginx", tls: [{ hosts: ["temporal.example.com"], secretName: "temporal-web-tls" }] });
    expect(output().outputs.webConsoleUrl).toBe("https://temporal.example.com");
  });

  it("gives the console its OIDC settings and the client secret only by reference to a Secret", () => {
    const web = output().objects.find((object) => object.kind === "Deployment" && object.metadata.name.endsWith("-web"))!;
    const env = podOf(web).containers[0].env!;
    expect(env.find((variable) => variable.name === "TEMPORAL_AUTH_PROVIDER_URL")?.value).toBe("https://login.example.com/realms/ops");
    const secretRef = env.find((variable) => variable.name === "TEMPORAL_AUTH_CLIENT_SECRET")?.valueFrom?.secretKeyRef;
    const secret = output().objects.find((object) => object.kind === "Secret" && object.metadata.name === secretRef?.name)!;
    expect((secret as unknown as { stringData: Record<string, string> }).stringData).toEqual({ [secretRef!.key]: "[secret]" });
  });

  it("lets the console reach its identity provider and confines the frontend-only pool to the frontend", () => {
    const policy = (suffix: string) => output().objects.find((object) => object.kind === "NetworkPolicy" && object.metadata.name.endsWith(suffix))!;
    const webEgress = (policy("-web-egress").spec as { egress: { ports: { port: number }[] }[] }).egress;
    expect(webEgress.map((rule) => rule.ports.map((port) => port.port))).toEqual([[7233], [443]]);
    expect((policy("-worker-billing-egress").spec as { egress: unknown[] }).egress).toEqual([
      { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "tk", "app.kubernetes.io/component": "frontend" } } }], ports: [{ protocol: "TCP", port: 7233 }] },
    ]);
    expect((policy("-worker-orders-egress").spec as { egress: unknown[] }).egress).toEqual([{}]);
  });
});

describe("the ECS fixture whose console signs people in", () => {
  const output = () => readSynthOutput(run("fixture:ecs-workers"));
  const ofType = (type: string): ResourceRecord[] => output().resources.filter((record) => record.type === type);

  it("keeps the client secret in Secrets Manager, which the execution role may read, and hands it to the console by reference", () => {
    const secret = ofType("aws:secretsmanager/secret:Secret").find((record) => record.name.endsWith("-web-oidc"))!;
    const version = ofType("aws:secretsmanager/secretVersion:SecretVersion").find((record) => record.name.endsWith("-web-oidc"))!;
    expect(version.inputs.secretString).toBe("[secret]");
    const web = ofType("aws:ecs/taskDefinition:TaskDefinition").find((record) => String(record.inputs.family).endsWith("-web-task"))!;
    const container = (JSON.parse(String(web.inputs.containerDefinitions)) as { environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[] }[])[0];
    expect(container.environment.find((variable) => variable.name === "TEMPORAL_AUTH_TYPE")?.value).toBe("oidc");
    // The rest are the console's client certificate (mutual TLS, docs/tls-and-authorization.md).
    expect(container.secrets.map((entry) => entry.name).filter((name) => !name.startsWith("TEMPORAL_TLS_"))).toEqual(["TEMPORAL_AUTH_CLIENT_SECRET"]);
    const policy = ofType("aws:iam/rolePolicy:RolePolicy").find((record) => record.name.includes("execution"))!;
    const statements = JSON.parse(String(policy.inputs.policy)).Statement as { Sid: string; Resource: string[] }[];
    // The database password, the OIDC client secret and the three certificates.
    expect(statements.find((statement) => statement.Sid === "Secrets")!.Resource).toHaveLength(5);
    expect(secret.urn).toBeDefined();
  });

  // The synth's mocks give a security group the id its name hashes to.
  const groupId = (suffix: string) => {
    const group = ofType("aws:ec2/securityGroup:SecurityGroup").find((record) => record.name.endsWith(suffix))!;
    return mockId({ type: group.type, name: group.name, inputs: group.inputs });
  };
  const servicesGroups = (suffix: string) => (ofType("aws:ecs/service:Service").find((record) => record.name.endsWith(suffix))!.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups;
  const taskGroups = (purpose: string) => {
    const invocation = ofType("aws:lambda/invocation:Invocation").find((record) => record.name.endsWith(`-${purpose}-run-invocation`))!;
    return (JSON.parse(String(invocation.inputs.input)) as { securityGroups: string[] }).securityGroups;
  };

  it("keeps the roles and the schema task in the server group alone", () => {
    const server = groupId("-ecs-tasks");
    for (const role of ["frontend", "history", "matching", "worker"]) expect(servicesGroups(`-ecs-${role}-service`), role).toEqual([server]);
    expect(taskGroups("schema")).toEqual([server]);
  });

  it("puts the console, the namespace task and the worker pools in the clients group, never the server group", () => {
    const server = groupId("-ecs-tasks");
    const clients = groupId("-ecs-clients");
    expect(clients).not.toBe(server);
    expect(servicesGroups("-web-service")).toEqual([clients]);
    expect(taskGroups("namespaces")).toEqual([clients]);
    // A pool with 'any' egress (the default) gets the open-egress group beside the clients group.
    expect(servicesGroups("-worker-orders-service")).toEqual([clients, groupId("-workers-egress")]);
  });

  it("lets the clients group reach the server group on 7233 and 7236 only, and HTTPS anywhere", () => {
    const server = groupId("-ecs-tasks");
    const clients = groupId("-ecs-clients");
    const egress = ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((record) => record.inputs.securityGroupId === clients);
    expect(egress.map((record) => [record.inputs.referencedSecurityGroupId ?? record.inputs.cidrIpv4, record.inputs.fromPort, record.inputs.toPort]).sort()).toEqual([
      ["0.0.0.0/0", 443, 443],
      [server, 7233, 7233],
      [server, 7236, 7236],
    ]);
    const admitted = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((record) => record.inputs.referencedSecurityGroupId === clients);
    expect(admitted.map((record) => [record.inputs.securityGroupId, record.inputs.fromPort, record.inputs.toPort]).sort()).toEqual([
      [server, 7233, 7233],
      [server, 7236, 7236],
    ]);
  });

  it("admits nothing into the clients group but the console's load balancer on the console port", () => {
    const clients = groupId("-ecs-clients");
    const webLb = groupId("-web-lb-sg");
    const ingress = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((record) => record.inputs.securityGroupId === clients);
    expect(ingress.map((record) => [record.inputs.referencedSecurityGroupId, record.inputs.fromPort])).toEqual([[webLb, 8080]]);
    const toTasks = ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((record) => record.inputs.securityGroupId === webLb && record.inputs.referencedSecurityGroupId !== undefined);
    expect(toTasks.map((record) => [record.inputs.referencedSecurityGroupId, record.inputs.fromPort])).toEqual([[clients, 8080]]);
  });

  it("keeps the frontend's load balancer paired with the server group", () => {
    const server = groupId("-ecs-tasks");
    const nlb = groupId("-frontend-lb-sg");
    const toTasks = ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((record) => record.inputs.securityGroupId === nlb);
    expect(toTasks.map((record) => [record.inputs.referencedSecurityGroupId, record.inputs.fromPort])).toEqual([[server, 7233]]);
    const fromNlb = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((record) => record.inputs.referencedSecurityGroupId === nlb);
    expect(fromNlb.map((record) => [record.inputs.securityGroupId, record.inputs.fromPort])).toEqual([[server, 7233]]);
  });

  it("opens no outbound path from the server group beyond Temporal's ports, the store's port in the VPC and HTTPS", () => {
    const egress = ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((record) => record.inputs.securityGroupId === groupId("-ecs-tasks"));
    expect(egress.map((record) => [record.inputs.fromPort, record.inputs.toPort]).sort()).toEqual([
      [443, 443],
      [5432, 5432],
      [6933, 7246],
    ]);
  });
});
