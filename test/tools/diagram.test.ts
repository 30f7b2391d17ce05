import { describe, expect, it } from "vitest";
import { renderDiagram } from "../../tools/synth/diagram";
import { DIAGRAMS_END, DIAGRAMS_START, README_DIAGRAM_END, README_DIAGRAM_START, currentDiagrams, currentReadmeDiagram, withDiagrams, withReadmeDiagram } from "../../tools/synth/diagramsDoc";
import type { ResourceRecord } from "../../tools/synth/recorder";

let counter = 0;
function record(type: string, name: string, inputs: Record<string, unknown>, parent: string | null = null): ResourceRecord {
  counter += 1;
  return { urn: `urn:pulumi:t::p::${type}::${name}-${counter}`, type, name, parent, custom: true, dependsOn: [], provider: null, inputs };
}
const component = (name: string) => ({ ...record(`temporal-kit:test:${name}`, name, {}), custom: false });

const labels = (component: string) => ({ "app.kubernetes.io/component": component });
function deployment(component: string, replicas: number, env: { name: string; value: string }[], parent: string | null = null, kind = "Deployment") {
  return record(`kubernetes:apps/v1:${kind}`, `${component}-deployment`, {
    metadata: { name: `t-${component}`, labels: labels(component) },
    spec: { replicas, template: { spec: { containers: [{ name: "main", env }] } } },
  }, parent);
}
const role = (name: string, replicas: number, parent: string | null = null) => deployment(name, replicas, [{ name: "TEMPORAL_SERVICES", value: name }], parent);

const sqlStore = (address: string, plugin = "mysql8") => ({ sql: { pluginName: plugin, connectAddr: address, password: "{{ env \"PWD\" | quote }}" } });
function serverConfig(persistence: Record<string, unknown>) {
  const yaml = [
    "# enable-template",
    "persistence:",
    "  defaultStore: default",
    "  visibilityStore: visibility",
    "  datastores:",
    ...Object.entries(persistence).flatMap(([name, spec]) => [`    ${name}: ${JSON.stringify(spec)}`]),
    "global:",
    '  membership: { broadcastAddress: {{ env "POD_IP" }} }',
  ].join("\n");
  return yaml;
}
const configMap = (text: string) =>
  record("kubernetes:core/v1:ConfigMap", "config", {
    kind: "ConfigMap",
    metadata: { name: "t-server-config", labels: { "temporal-kit/rendered-config": "server" } },
    data: { "temporal.yaml": text },
  });

describe("renderDiagram", () => {
  const frontendParent = component("frontend");
  const kubernetesStack = () => [
    frontendParent,
    role("frontend", 2, frontendParent.urn),
    record("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "frontend-autoscaler", { spec: { minReplicas: 2, maxReplicas: 6 } }, frontendParent.urn),
    role("history", 3),
    role("matching", 2),
    role("worker", 1),
    deployment("mysql", 1, [], null, "StatefulSet"),
    configMap(serverConfig({ default: sqlStore("t-mysql:3306"), visibility: sqlStore("t-mysql:3306") })),
  ];

  it("draws the roles in one membership ring with their counts and the frontend's autoscaling range", () => {
    const diagram = renderDiagram(kubernetesStack());
    expect(diagram).toContain('  subgraph server["Temporal server on Kubernetes: one membership ring"]\n    frontend["frontend x2<br/>autoscaled 2-6 on CPU"]\n    history["history x3"]\n    matching["matching x2"]\n    worker["worker (system) x1"]\n  end');
    expect(diagram).toContain("  frontend --> history\n  frontend --> matching\n  history <--> matching\n  worker --> frontend");
    expect(diagram).toContain("  clients -->|gRPC 7233| frontend");
  });

  it("draws one in-cluster SQL server that holds both the default store and visibility", () => {
    const diagram = renderDiagram(kubernetesStack());
    expect(diagram).toContain('  store[("MySQL 8 in the cluster<br/>StatefulSet x1")]');
    expect(diagram).toContain("  server -->|default store + visibility| store");
  });

  it("draws a Cassandra default store and an Elasticsearch visibility store as two stores, named by their hosting", () => {
    const diagram = renderDiagram([
      role("frontend", 1),
      deployment("cassandra", 3, [], null, "StatefulSet"),
      record("aws:opensearch/domain:Domain", "search", {}),
      configMap(serverConfig({ default: { cassandra: { hosts: "t-cassandra" } }, visibility: { elasticsearch: { url: { host: "vpc-search:443" } } } })),
    ]);
    expect(diagram).toContain('  default_store[("Apache Cassandra in the cluster<br/>StatefulSet x3")]');
    expect(diagram).toContain('  visibility_store[("Amazon OpenSearch Service")]');
    expect(diagram).toContain("  server -->|default store| default_store\n  server -->|visibility| visibility_store");
  });

  it("names an external store by its address", () => {
    const diagram = renderDiagram([role("history", 1), configMap(serverConfig({ default: sqlStore("db.example.com:5432", "postgres12"), visibility: sqlStore("db.example.com:5432", "postgres12") }))]);
    expect(diagram).toContain('  store[("PostgreSQL, external<br/>db.example.com:5432")]');
  });

  it("draws worker pools, the web console and the jobs, each connected to the frontend", () => {
    const diagram = renderDiagram([
      ...kubernetesStack(),
      deployment("worker-orders", 3, [{ name: "TEMPORAL_TASK_QUEUE", value: "orders-tq" }]),
      deployment("web", 2, [{ name: "TEMPORAL_UI_PORT", value: "8080" }]),
      record("kubernetes:batch/v1:Job", "schema-job", { metadata: { labels: labels("schema") }, spec: { template: { spec: { containers: [{ name: "done" }] } } } }),
      record("kubernetes:batch/v1:Job", "ns-job", {
        metadata: { labels: labels("namespace-registration") },
        spec: { template: { spec: { containers: [{ name: "register", env: [{ name: "TEMPORAL_KIT_NAMESPACE", value: "orders" }] }] } } },
      }),
    ]);
    expect(diagram).toContain('  pool_orders["Worker pool orders x3"]');
    expect(diagram).toContain("  pool_orders -->|poll task queue| frontend");
    expect(diagram).toContain('  web["Web console x2"]');
    expect(diagram).toContain("  browsers -->|HTTP 8080| web\n  web -->|gRPC| frontend");
    expect(diagram).toContain("  schema -.->|schema| store");
    expect(diagram).toContain('  namespaces[["Namespace registration<br/>orders"]]');
    expect(diagram).toContain("  namespaces -.->|register| frontend");
  });

  it("draws ECS services behind their load balancers, with counts and scaling from the service and its scaling target", () => {
    const frontend = component("ecs-frontend");
    const serverConfigB64 = Buffer.from(serverConfig({ default: sqlStore("rds:5432", "postgres12"), visibility: sqlStore("rds:5432", "postgres12") })).toString("base64");
    const diagram = renderDiagram([
      record("aws:ecs/cluster:Cluster", "cluster", {}),
      record("aws:rds/instance:Instance", "db", { engine: "postgres", engineVersion: "16" }),
      frontend,
      record("aws:ecs/taskDefinition:TaskDefinition", "frontend-task", {
        family: "t-frontend-task",
        containerDefinitions: JSON.stringify([{ name: "frontend", environment: [{ name: "TEMPORAL_SERVICES", value: "frontend" }, { name: "TEMPORAL_KIT_SERVER_CONFIG_B64", value: serverConfigB64 }] }]),
      }, frontend.urn),
      record("aws:ecs/service:Service", "frontend-service", { desiredCount: 3 }, frontend.urn),
      record("aws:appautoscaling/target:Target", "frontend-scaling", { minCapacity: 3, maxCapacity: 8 }, frontend.urn),
      record("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network", internal: true }),
      record("aws:ecs/taskDefinition:TaskDefinition", "namespaces", {
        family: "t-namespaces",
        containerDefinitions: JSON.stringify([{ name: "namespaces", environment: [{ name: "NS_0_NAME", value: "default" }, { name: "NS_1_NAME", value: "orders" }] }]),
      }),
    ]);
    expect(diagram).toContain('    frontend["frontend x3<br/>autoscaled 3-8 on CPU"]');
    expect(diagram).toContain("Temporal server on Amazon ECS on Fargate");
    expect(diagram).toContain('  frontend_lb[/"Network Load Balancer, internal"/]');
    expect(diagram).toContain("  clients -->|gRPC| frontend_lb\n  frontend_lb --> frontend");
    expect(diagram).toContain('  store[("Amazon RDS for PostgreSQL 16")]');
    expect(diagram).toContain('  namespaces[["Namespace registration<br/>default, orders"]]');
  });

  it("ignores resource types it does not know and picks up an archival bucket by its type", () => {
    const plain = renderDiagram(kubernetesStack());
    const withExtras = renderDiagram([
      ...kubernetesStack(),
      record("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "monitor", { spec: {} }),
      record("tls:index/privateKey:PrivateKey", "ca-key", {}),
      record("aws:s3/bucketV2:BucketV2", "archival", {}),
    ]);
    expect(withExtras).toContain('  archival[("Archival<br/>Amazon S3 bucket")]');
    expect(withExtras).toContain("  history -->|archival| archival");
    const withoutArchival = withExtras.split("\n").filter((line) => !line.includes("archival")).join("\n");
    expect(withoutArchival).toBe(plain);
  });

  it("still draws the workloads when there is no server config to read the stores from", () => {
    const diagram = renderDiagram([role("frontend", 1), role("history", 1)]);
    expect(diagram).toContain('    history["history x1"]');
    expect(diagram).not.toContain("[(");
  });

  it("renders the same text for the same resources", () => {
    expect(renderDiagram(kubernetesStack())).toBe(renderDiagram(kubernetesStack()));
  });
});

describe("the generated diagram sections", () => {
  const readme = `# kit\n\nbefore\n${DIAGRAMS_START}\nold picture\n${DIAGRAMS_END}\nafter\n`;

  it("replaces only what is between the markers, one block per stack in name order", () => {
    const written = withDiagrams(readme, [
      { stack: "staging", mermaid: "flowchart LR\n  b\n" },
      { stack: "dev", mermaid: "flowchart LR\n  a\n" },
    ]);
    expect(written.startsWith("# kit\n\nbefore\n")).toBe(true);
    expect(written.endsWith(`${DIAGRAMS_END}\nafter\n`)).toBe(true);
    expect(written).not.toContain("old picture");
    expect(written.indexOf("#### dev")).toBeLessThan(written.indexOf("#### staging"));
    expect(currentDiagrams(written)).toContain("```mermaid\nflowchart LR\n  a\n```");
  });

  it("refuses a document that lost its markers rather than appending somewhere", () => {
    expect(() => withDiagrams("# kit\n", [])).toThrow("docs/diagrams.md has no");
    expect(() => withReadmeDiagram("# kit\n", "flowchart LR\n")).toThrow("README.md has no");
  });

  it("writes the README's one picture between its own markers, leaving the rest alone", () => {
    const text = `# kit\n${README_DIAGRAM_START}\nold\n${README_DIAGRAM_END}\nafter\n`;
    const written = withReadmeDiagram(text, "flowchart LR\n  a\n");
    expect(currentReadmeDiagram(written)).toBe("\n\n```mermaid\nflowchart LR\n  a\n```\n\n");
    expect(written.endsWith(`${README_DIAGRAM_END}\nafter\n`)).toBe(true);
    expect(withReadmeDiagram(written, "flowchart LR\n  a\n")).toBe(written);
  });
});
