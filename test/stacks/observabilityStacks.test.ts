import { describe, expect, inject, it } from "vitest";
import { KubernetesObject, SynthRun, readSynthOutput } from "../helpers/synthRuns";

const runs = inject("synthRuns");
const run = (label: string): SynthRun => runs.find((candidate) => candidate.label === label)!;
const onKubernetes = runs.filter((candidate) => candidate.status === 0 && readSynthOutput(candidate).outputs.kubernetesNamespace !== undefined);
const shipped = onKubernetes.filter((candidate) => !candidate.label.startsWith("fixture:"));
const ofKind = (objects: KubernetesObject[], kind: string) => objects.filter((object) => object.kind === kind);

describe("observability in the shipped Kubernetes stacks", () => {
  it.each(shipped.map((candidate) => candidate.label))("%s renders no Prometheus Operator object, which would fail on a cluster without its CRDs", (label) => {
    const { objects } = readSynthOutput(run(label));
    expect(objects.filter((object) => object.apiVersion.startsWith("monitoring.coreos.com/"))).toEqual([]);
  });

  it.each(shipped.map((candidate) => candidate.label))("%s ships the dashboards outside dev, and keeps the scrape annotations on every role", (label) => {
    const { objects, outputs } = readSynthOutput(run(label));
    const dashboards = ofKind(objects, "ConfigMap").filter((object) => object.metadata.labels?.grafana_dashboard === "1");
    expect(dashboards).toHaveLength(outputs.environment === "dev" ? 0 : 1);
    const roles = ofKind(objects, "Deployment").filter((object) => /-(frontend|history|matching|worker)$/.test(object.metadata.name));
    for (const role of roles) {
      const annotations = (role.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations;
      expect(annotations["prometheus.io/scrape"], role.metadata.name).toBe("true");
    }
  });
});

describe("the fixture on a cluster with the Prometheus Operator", () => {
  const output = () => readSynthOutput(run("fixture:with-workers"));

  it("scrapes every role it runs, the internal frontend included", () => {
    const [monitor] = ofKind(output().objects, "ServiceMonitor");
    const { selector } = monitor.spec as { selector: { matchExpressions: { values: string[] }[] } };
    expect(selector.matchExpressions[0].values).toEqual(expect.arrayContaining(["frontend", "internal-frontend", "history", "matching", "worker"]));
    expect(monitor.metadata.labels?.release).toBe("kube-prometheus-stack");
  });

  it("matches a ServiceMonitor port that each role's headless Service has", () => {
    const { objects } = output();
    const headless = ofKind(objects, "Service").filter((service) => service.metadata.name.endsWith("-headless") && /-(frontend|history|matching|worker)-headless$/.test(service.metadata.name));
    expect(headless.length).toBeGreaterThanOrEqual(5);
    for (const service of headless) {
      expect((service.spec as { ports: { name: string }[] }).ports.map((port) => port.name), service.metadata.name).toContain("metrics");
    }
  });

  it("installs alerts for the internal frontend as well", () => {
    const [rule] = ofKind(output().objects, "PrometheusRule");
    const alerts = (rule.spec as { groups: { rules: { alert: string }[] }[] }).groups[0].rules.map((candidate) => candidate.alert);
    expect(alerts).toContain("TemporalInternalFrontendDown");
  });
});

describe("observability in the production ECS stack", () => {
  const output = () => readSynthOutput(run("production-ecs"));
  const roleTasks = () => output().resources.filter((record) => record.type === "aws:ecs/taskDefinition:TaskDefinition" && /-(frontend|history|matching|worker)-task$/.test(String(record.inputs.family)));

  it("runs the CloudWatch agent beside every role, non-essential, under a task role of its own", () => {
    const tasks = roleTasks();
    expect(tasks).toHaveLength(4);
    for (const task of tasks) {
      const containers = JSON.parse(String(task.inputs.containerDefinitions)) as { name: string; essential: boolean }[];
      expect(containers.map((container) => container.name)).toContain("metrics");
      expect(containers.find((container) => container.name === "metrics")!.essential).toBe(false);
      expect(task.inputs.taskRoleArn, String(task.inputs.family)).toBeDefined();
    }
  });

  it("sizes the history task to hold the agent beside the role's 4 GiB", () => {
    const history = roleTasks().find((task) => String(task.inputs.family).endsWith("-history-task"))!;
    expect(history.inputs).toMatchObject({ cpu: "2048", memory: "5120" });
  });

  it("alarms on the error ratios in CloudWatch", () => {
    const alarms = output().resources.filter((record) => record.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((alarm) => alarm.name)).toEqual(expect.arrayContaining([expect.stringMatching(/-frontend-errors$/), expect.stringMatching(/-history-persistence-errors$/)]));
  });
});
