import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, inject, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import { KubernetesObject, SynthOutput, SynthRun, readSynthOutput } from "../helpers/synthRuns";
import type { Container, PodSpec } from "../helpers/mockRuntime";

const runs = inject("synthRuns");
const run = (label: string): SynthRun => runs.find((candidate) => candidate.label === label)!;
const succeeded = runs.filter((candidate) => !candidate.label.endsWith("invalid"));
const shipped = succeeded.filter((candidate) => !candidate.label.startsWith("fixture:"));
/** Stacks whose Temporal runs on Kubernetes (plain or EKS); the ECS ones are covered in awsStacks.test.ts. */
const environmentOf = (candidate: SynthRun) => readSynthOutput(candidate).outputs.environment;
const onKubernetes = (candidate: SynthRun) => readSynthOutput(candidate).outputs.kubernetesNamespace !== undefined;

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "Job"]);
const ROLES = ["frontend", "history", "matching", "worker"];

const podSpec = (object: KubernetesObject) => (object.spec as { template: { spec: PodSpec } }).template.spec;
const containersOf = (object: KubernetesObject): Container[] => [...(podSpec(object).initContainers ?? []), ...podSpec(object).containers];
const named = (output: SynthOutput, kind: string, name: string) =>
  output.objects.find((object) => object.kind === kind && object.metadata.name === name);
const urnOf = (output: SynthOutput, type: string, nameSuffix: string) =>
  output.resources.find((record) => record.type === type && record.name.endsWith(nameSuffix))!.urn;

describe.each(succeeded.map((candidate) => candidate.label))("stack %s", (label) => {
  const synth = run(label);
  const output = () => readSynthOutput(synth);

  it("synthesizes offline with exit status 0 and prints the component tree with counts", () => {
    expect(synth.stderr).not.toMatch(/error/i);
    expect(synth.status).toBe(0);
    expect(synth.stdout).toMatch(/^pulumi:pulumi:Stack temporal-kit-\S+ \(\d+ resources\)/);
    expect(synth.stdout).toMatch(/temporal-kit:index:TemporalCluster \S+ \(\d+ resources\)/);
  });

  it("writes resources.json in registration order, every record complete and every dependency known", () => {
    const { resources } = output();
    const index = new Map(resources.map((record, position) => [record.urn, position]));
    for (const record of resources) {
      const { protect, retainOnDelete, aliases, ...required } = record;
      expect(Object.keys(required).sort()).toEqual(["custom", "dependsOn", "inputs", "name", "parent", "provider", "type", "urn"]);
      // Marked only where a deploy may not delete the resource.
      for (const flag of [protect, retainOnDelete]) expect([undefined, true]).toContain(flag);
      // Listed only where the resource has some, each a URN.
      if (aliases !== undefined) {
        expect(aliases.length).toBeGreaterThan(0);
        for (const alias of aliases) expect(alias).toMatch(/^urn:pulumi:/);
      }
      expect(record.urn).toMatch(/^urn:pulumi:/);
      if (record.parent) expect(index.get(record.parent)).toBeLessThan(index.get(record.urn)!);
      for (const dependency of record.dependsOn) expect(index.has(dependency)).toBe(true);
    }
  });

  it("writes kubernetes.yaml with every Kubernetes resource, and the Temporal config files", () => {
    const { resources, objects, temporalFiles } = output();
    expect(objects).toHaveLength(resources.filter((record) => record.type.startsWith("kubernetes:")).length);
    expect(Object.keys(temporalFiles).sort()).toEqual(["dynamic_config.yaml", "temporal.yaml"]);
  });

  it("fits every ECS task's containers, with their hard memory limits, into its Fargate size", () => {
    const { resources } = output();
    for (const task of resources.filter((record) => record.type === "aws:ecs/taskDefinition:TaskDefinition")) {
      const containers = JSON.parse(String(task.inputs.containerDefinitions)) as { memory?: number }[];
      const hardLimits = containers.reduce((sum, container) => sum + (container.memory ?? 0), 0);
      expect(hardLimits, String(task.inputs.family)).toBeLessThanOrEqual(Number(task.inputs.memory));
    }
  });

  it("gives every subnet an Azure firewall admits the service endpoint that firewall needs", () => {
    const { resources } = output();
    // The mocks name a subnet's id after its resource name.
    const subnetById = new Map(resources.filter((record) => record.type === "azure-native:network:Subnet").map((record) => [`${record.name}-id`, record]));
    const admitted: [string, string, unknown[]][] = [];
    for (const record of resources) {
      const inputs = record.inputs as Record<string, any>;
      if (record.type === "azure-native:keyvault:Vault") admitted.push(["Microsoft.KeyVault", record.name, (inputs.properties?.networkAcls?.virtualNetworkRules ?? []).map((rule: any) => rule.id)]);
      if (record.type === "azure-native:cosmosdb:DatabaseAccount") admitted.push(["Microsoft.AzureCosmosDB", record.name, (inputs.virtualNetworkRules ?? []).map((rule: any) => rule.id)]);
      if (record.type === "azure-native:storage:StorageAccount") admitted.push(["Microsoft.Storage", record.name, (inputs.networkRuleSet?.virtualNetworkRules ?? []).map((rule: any) => rule.virtualNetworkResourceId)]);
    }
    // An existing cluster's subnets are not the kit's to change: it checks their endpoints at preview (ExistingClusterNetwork).
    const checksExistingSubnets = resources.some((record) => record.type === "temporal-kit:azure:ExistingClusterNetwork");
    for (const [service, firewall, subnetIds] of admitted) {
      for (const subnetId of subnetIds) {
        const subnet = subnetById.get(String(subnetId));
        if (!subnet && checksExistingSubnets && /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/.test(String(subnetId))) continue;
        expect(subnet, `${firewall}: subnet ${String(subnetId)}`).toBeDefined();
        expect((subnet!.inputs.serviceEndpoints as { service: string }[] | undefined) ?? [], `${firewall} admits ${subnet!.name}`).toContainEqual({ service });
      }
    }
  });

  it("never writes a secret in plain text", () => {
    const { resources, allText } = output();
    for (const record of resources.filter((candidate) => candidate.type === "random:index/randomPassword:RandomPassword")) {
      // The mock generates this value; it must not leak into any file.
      const generated = createHash("sha256").update(`mock-password:${record.name}`).digest("hex").slice(0, 32);
      expect(allText).not.toContain(generated);
    }
    for (const object of output().objects.filter((candidate) => WORKLOAD_KINDS.has(candidate.kind))) {
      for (const container of containersOf(object)) {
        for (const variable of container.env ?? []) {
          if (/PASSWORD|SECRET|TOKEN|PWD/.test(variable.name)) {
            expect(variable.value, `${object.metadata.name}/${container.name}: ${variable.name}`).toBeUndefined();
            expect(variable.valueFrom?.secretKeyRef).toBeDefined();
          }
        }
      }
    }
  });

});

describe.each(succeeded.filter(onKubernetes).map((candidate) => candidate.label))("Kubernetes stack %s", (label) => {
  const output = () => readSynthOutput(run(label));

  it("gives every long-running container resources and probes, and every job container resources", () => {
    for (const object of output().objects.filter((candidate) => WORKLOAD_KINDS.has(candidate.kind))) {
      for (const container of containersOf(object)) {
        const where = `${object.kind} ${object.metadata.name}/${container.name}`;
        expect(container.resources?.requests?.cpu, where).toBeDefined();
        expect(container.resources?.requests?.memory, where).toBeDefined();
        expect(container.resources?.limits?.memory, where).toBeDefined();
        if (object.kind !== "Job") {
          expect(container.readinessProbe, where).toBeDefined();
          expect(container.livenessProbe, where).toBeDefined();
        }
      }
    }
  });

  it("pins every image to a tag or digest, never latest", () => {
    for (const object of output().objects.filter((candidate) => WORKLOAD_KINDS.has(candidate.kind))) {
      for (const container of containersOf(object)) {
        expect(container.image).toMatch(/(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
        expect(container.image).not.toMatch(/:latest$/);
      }
    }
  });

  it("gives every role the one server config, so numHistoryShards is the same everywhere", () => {
    const { objects, temporalFiles } = output();
    const roleDeployments = objects.filter(
      (object) => object.kind === "Deployment" && object.metadata.labels?.["app.kubernetes.io/component"] && ROLES.includes(object.metadata.labels["app.kubernetes.io/component"]),
    );
    expect(roleDeployments.map((object) => object.metadata.labels!["app.kubernetes.io/component"]).sort()).toEqual([...ROLES].sort());
    const configMaps = new Set(roleDeployments.map((object) => podSpec(object).volumes?.find((volume) => volume.name === "server-config")?.configMap?.name));
    expect(configMaps.size).toBe(1);
    const shards = (parse(temporalFiles["temporal.yaml"].replace(/\{\{[^}]*\}\}/g, "x")) as { persistence: { numHistoryShards: number } })
      .persistence.numHistoryShards;
    expect(shards).toBeGreaterThanOrEqual(4);
    if (environmentOf(run(label)) !== "dev") expect(shards).toBe(512);
  });

  it("runs the schema job before any role and registers namespaces after every role", () => {
    const out = output();
    const schemaJob = out.resources.find((record) => record.type === "kubernetes:batch/v1:Job" && record.name.endsWith("-schema-job"))!;
    const roleDeployments = out.resources.filter(
      (record) => record.type === "kubernetes:apps/v1:Deployment" && /-(frontend|history|matching|worker)-deployment$/.test(record.name),
    );
    expect(roleDeployments.length).toBeGreaterThanOrEqual(4);
    for (const deployment of roleDeployments) expect(deployment.dependsOn).toContain(schemaJob.urn);
    const namespaceJobs = out.resources.filter((record) => record.type === "kubernetes:batch/v1:Job" && /-ns-.+-job$/.test(record.name));
    expect(namespaceJobs.length).toBeGreaterThan(0);
    for (const job of namespaceJobs) {
      for (const deployment of roleDeployments) expect(job.dependsOn).toContain(deployment.urn);
    }
  });

  it("points the web console and every worker at the frontend service", () => {
    const out = output();
    const frontend = out.objects.find((object) => object.kind === "Service" && object.metadata.name.endsWith("-frontend"))!;
    const address = `${frontend.metadata.name}.${frontend.metadata.namespace}.svc.cluster.local:7233`;
    expect(out.outputs.frontendAddress).toBe(address);
    const clients = out.objects.filter(
      (object) => object.kind === "Deployment" && /^(web|worker-)/.test(object.metadata.labels?.["app.kubernetes.io/component"] ?? ""),
    );
    expect(clients.length).toBeGreaterThan(0);
    for (const client of clients) {
      expect(podSpec(client).containers[0].env?.find((variable) => variable.name === "TEMPORAL_ADDRESS")?.value).toBe(address);
    }
  });

  it("outputs the frontend and console addresses, the Kubernetes namespace and the Temporal namespaces", () => {
    const { outputs } = output();
    expect(outputs).toMatchObject({
      frontendAddress: expect.stringMatching(/:7233$/),
      // A port-forward, or the Ingress's host where the stack publishes the console.
      webConsoleUrl: expect.stringMatching(/^(http:\/\/localhost:8080|https:\/\/[a-z0-9.-]+)$/),
      webConsoleAccess: expect.stringMatching(/^kubectl port-forward -n \S+ svc\/\S+-web 8080:8080$/),
      kubernetesNamespace: expect.any(String),
      temporalNamespaces: expect.any(Array),
    });
  });
});

describe.each(shipped.filter((candidate) => environmentOf(candidate) !== "dev" && onKubernetes(candidate)).map((candidate) => candidate.label))(
  "production-grade stack %s",
  (label) => {
    const output = () => readSynthOutput(run(label));

    it("has a disruption budget and zone/node spread for every role", () => {
      const out = output();
      for (const role of ROLES) {
        const deployment = named(out, "Deployment", `temporal-${role}`)!;
        expect(podSpec(deployment).topologySpreadConstraints).toHaveLength(2);
        expect(named(out, "PodDisruptionBudget", `temporal-${role}`)).toBeDefined();
      }
    });

    it("denies ingress to its pods by default and opens only the paths Temporal uses", () => {
      const policies = output().objects.filter((object) => object.kind === "NetworkPolicy").map((object) => object.metadata.name);
      expect(policies).toContain("temporal-default-deny");
      for (const role of ROLES) expect(policies).toContain(`temporal-${role}-ingress`);
    });

    it("runs at least two replicas of every role", () => {
      const out = output();
      for (const role of ROLES) {
        expect((named(out, "Deployment", `temporal-${role}`)!.spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(
          environmentOf(run(label)) === "production" ? 2 : PRESETS.staging.roles[role as "frontend"].replicas,
        );
      }
    });
  },
);

it("leaves dev without NetworkPolicies, so it stays easy to poke at", () => {
  expect(readSynthOutput(run("dev")).objects.filter((object) => object.kind === "NetworkPolicy")).toEqual([]);
});

describe("the fixture with worker pools", () => {
  const output = () => readSynthOutput(run("fixture:with-workers"));

  it("creates one Deployment per pool, after its namespace is registered", () => {
    const out = output();
    expect(named(out, "Deployment", "tk-worker-orders")).toBeDefined();
    expect(named(out, "Deployment", "tk-worker-billing")).toBeDefined();
    const worker = out.resources.find((record) => record.name === "tk-worker-billing-deployment")!;
    expect(worker.dependsOn).toContain(urnOf(out, "kubernetes:batch/v1:Job", "tk-ns-billing-job"));
  });

  it("deploys every Kubernetes object through a provider pinned to the configured context", () => {
    const out = output();
    const provider = out.resources.find((record) => record.type === "pulumi:providers:kubernetes")!;
    expect(provider.inputs.context).toBe("kind-temporal-kit");
    const kubernetesRecords = out.resources.filter((record) => record.custom && record.type.startsWith("kubernetes:"));
    expect(provider.urn).toBe("urn:pulumi:with-workers::temporal-kit::pulumi:providers:kubernetes::kubernetes");
    for (const record of kubernetesRecords) expect(record.provider?.startsWith(`${provider.urn}::`)).toBe(true);
  });

  it("uses an existing Kubernetes namespace when told not to create one", () => {
    const out = output();
    expect(out.objects.filter((object) => object.kind === "Namespace")).toEqual([]);
    expect(out.objects.every((object) => object.metadata.namespace === "temporal-workers")).toBe(true);
  });

  it("adds the internal frontend role and routes the server's own calls through it", () => {
    const out = output();
    expect(named(out, "Deployment", "tk-internal-frontend")).toBeDefined();
    expect(out.temporalFiles["temporal.yaml"]).toContain("internal-frontend:");
    expect(out.temporalFiles["temporal.yaml"]).not.toContain("publicClient");
  });
});

describe("an invalid stack file", () => {
  const synth = run("fixture:invalid");

  it("exits with status 1 and one message per problem, naming file, key, value and what is allowed", () => {
    expect(synth.status).toBe(1);
    const lines = synth.stderr.split("\n").filter((line) => line.includes("Pulumi.invalid.yaml: temporal-kit:"));
    expect(lines).toHaveLength(3);
    expect(synth.stderr).toContain(
      "test/fixtures/Pulumi.invalid.yaml: temporal-kit:temporal.numHistoryShards: given 100; must be a power of two from 128 to 16384 in production",
    );
    expect(synth.stderr).toContain("temporal-kit:roles.history.replicas: given 1;");
    expect(synth.stderr).toContain('temporal-kit:temporal.serverImage: given "temporalio/server:latest";');
  });

  it("prints no stack trace and writes nothing", () => {
    expect(synth.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(synth.outDir)).toBe(false);
  });
});
