import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { DIAGRAMS_DOC, README_DIAGRAM_STACK, README_DOC, currentDiagrams, currentReadmeDiagram, withDiagrams, withReadmeDiagram } from "../../tools/synth/diagramsDoc";
import { KubernetesObject, PROJECT_ROOT, SynthRun, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const succeeded = runs.filter((run) => !run.label.endsWith("invalid"));
const shipped = succeeded.filter((run) => !run.label.startsWith("fixture:"));
const diagramOf = (run: SynthRun) => readFileSync(join(run.outDir, "diagram.mmd"), "utf8");
const onKubernetes = (run: SynthRun) => readSynthOutput(run).outputs.kubernetesNamespace !== undefined;

/** What the diagram must call each store the stack created, by the resource type that hosts it. */
const STORE_NAMES: [test: (types: Set<string>, objects: KubernetesObject[]) => boolean, name: string][] = [
  [(types) => types.has("aws:rds/instance:Instance"), "Amazon RDS for"],
  [(types) => types.has("aws:opensearch/domain:Domain"), "Amazon OpenSearch Service"],
  [(types) => types.has("azure-native:cosmosdb:CassandraCluster"), "Azure Managed Instance<br/>for Apache Cassandra"],
  [(types) => types.has("azure-native:dbforpostgresql:Server"), "Azure Database for PostgreSQL"],
  [(types) => types.has("azure-native:dbformysql:Server"), "Azure Database for MySQL"],
  [(_, objects) => objects.some((object) => object.kind === "StatefulSet" && object.metadata.labels?.["app.kubernetes.io/component"] === "mysql"), "MySQL 8 in the cluster"],
  [(_, objects) => objects.some((object) => object.kind === "StatefulSet" && object.metadata.labels?.["app.kubernetes.io/component"] === "cassandra"), "Apache Cassandra in the cluster"],
  [(_, objects) => objects.some((object) => object.kind === "StatefulSet" && object.metadata.labels?.["app.kubernetes.io/component"] === "postgres"), "PostgreSQL in the cluster"],
  [(_, objects) => objects.some((object) => object.kind === "StatefulSet" && object.metadata.labels?.["app.kubernetes.io/component"] === "elasticsearch"), "Elasticsearch in the cluster"],
];

describe.each(succeeded.map((run) => run.label))("the diagram of stack %s", (label) => {
  const run = runs.find((candidate) => candidate.label === label)!;

  it("is written beside the other artifacts and shows every role, the stores by hosting, and the links to them", () => {
    expect(existsSync(join(run.outDir, "diagram.mmd"))).toBe(true);
    const diagram = diagramOf(run);
    const { resources, objects } = readSynthOutput(run);
    expect(diagram.startsWith("flowchart LR\n")).toBe(true);
    for (const role of ["frontend", "history", "matching", "worker (system)"]) expect(diagram).toContain(`["${role} x`);
    const types = new Set(resources.map((record) => record.type));
    const hosted = STORE_NAMES.filter(([present]) => present(types, objects)).map(([, name]) => name);
    // A stack that creates no store points at one it was given: the diagram names it by its address.
    const expected = hosted.length > 0 ? hosted : [", external<br/>"];
    for (const name of expected) expect(diagram).toContain(name);
    expect(diagram).toMatch(/server -->\|default store( \+ visibility)?\| (store|default_store)/);
    expect(diagram).toContain("schema -.->|schema|");
  });
});

describe("the documented stack diagrams", () => {
  it("in docs/diagrams.md match what the synth of every shipped stack draws now (regenerate with npm run diagrams)", () => {
    expect(shipped.length).toBeGreaterThan(0);
    const doc = readFileSync(join(PROJECT_ROOT, DIAGRAMS_DOC), "utf8");
    const diagrams = shipped.map((run) => ({ stack: run.label, mermaid: diagramOf(run) }));
    expect(currentDiagrams(doc)).toBe(currentDiagrams(withDiagrams(doc, diagrams)));
    for (const run of shipped) expect(doc).toContain(`#### ${run.label}\n`);
  });

  it("in the README is the production stack's, as its synth draws it now (regenerate with npm run diagrams)", () => {
    const run = shipped.find((candidate) => candidate.label === README_DIAGRAM_STACK);
    expect(run, `the ${README_DIAGRAM_STACK} stack is synthesized`).toBeDefined();
    const readme = readFileSync(join(PROJECT_ROOT, README_DOC), "utf8");
    expect(currentReadmeDiagram(readme)).not.toBe("");
    expect(currentReadmeDiagram(readme)).toBe(currentReadmeDiagram(withReadmeDiagram(readme, diagramOf(run!))));
  });
});

type Selector = { matchLabels: Record<string, string> };
const selects = (selector: Selector, labels: Record<string, string> | undefined) =>
  Object.entries(selector.matchLabels).every(([key, value]) => labels?.[key] === value);

describe.each(succeeded.filter(onKubernetes).map((run) => run.label))("Kubernetes stack %s", (label) => {
  const output = () => readSynthOutput(runs.find((candidate) => candidate.label === label)!);

  it("budgets disruptions for every workload that runs or can scale to more than one pod, and for no single pod", () => {
    const { objects } = output();
    const budgets = objects.filter((object) => object.kind === "PodDisruptionBudget");
    const autoscalers = objects.filter((object) => object.kind === "HorizontalPodAutoscaler");
    for (const workload of objects.filter((object) => object.kind === "Deployment" || object.kind === "StatefulSet")) {
      const spec = workload.spec as { replicas?: number; template: { metadata: { labels: Record<string, string> } } };
      const scaler = autoscalers.find((object) => (object.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === workload.metadata.name);
      const most = Math.max(spec.replicas ?? 1, (scaler?.spec as { maxReplicas?: number } | undefined)?.maxReplicas ?? 0);
      const budget = budgets.filter((object) => selects((object.spec as { selector: Selector }).selector, spec.template.metadata.labels));
      expect(budget, `${workload.kind} ${workload.metadata.name}`).toHaveLength(most > 1 ? 1 : 0);
      if (most > 1) expect(budget[0].spec).toMatchObject({ maxUnavailable: 1 });
    }
  });

  it("autoscales no Temporal role but the frontend", () => {
    const targets = output()
      .objects.filter((object) => object.kind === "HorizontalPodAutoscaler")
      .map((object) => (object.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name);
    for (const role of ["history", "matching", "worker", "internal-frontend"]) expect(targets.some((name) => name.endsWith(`-${role}`))).toBe(false);
    const environment = output().outputs.environment;
    expect(targets.some((name) => name.endsWith("-frontend"))).toBe(environment !== "dev");
  });
});
