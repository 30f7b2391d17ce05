import { describe, expect, inject, it } from "vitest";
import type { Container, PodSpec } from "../helpers/mockRuntime";
import { KubernetesObject, readSynthOutput } from "../helpers/synthRuns";
import { type KitPodSettings, SERVER_POD, WEB_CONSOLE_POD } from "../../components/config/podSchema";
import { ROLES } from "../../components/temporal/roles";

const runs = inject("synthRuns");
const objects = () => readSynthOutput(runs.find((candidate) => candidate.label === "fixture:pod-overrides")!).objects;

interface Template {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: Omit<PodSpec, "topologySpreadConstraints"> & {
    nodeSelector?: Record<string, string>;
    tolerations?: unknown[];
    affinity?: unknown;
    imagePullSecrets?: { name: string }[];
    topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string; labelSelector?: unknown }[];
  };
}
const workload = (kind: string, name: (text: string) => boolean) => objects().find((object) => object.kind === kind && name(object.metadata.name))!;
const templateOf = (object: KubernetesObject) => (object.spec as { template: Template }).template;
const mainContainer = (object: KubernetesObject) => templateOf(object).spec.containers[0] as Container;

describe("a stack's pod blocks (fixture pod-overrides)", () => {
  const history = () => templateOf(workload("Deployment", (name) => name === "tk-history"));

  it("schedule the role where the stack file says, beside the kit's own spread", () => {
    const pod = history().spec;
    expect(pod.nodeSelector).toEqual({ "node.example.com/pool": "temporal" });
    expect(pod.tolerations).toEqual([{ key: "dedicated", operator: "Equal", value: "temporal", effect: "NoSchedule" }]);
    expect(pod.affinity).toMatchObject({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50 }] } });
    expect(pod.topologySpreadConstraints!.map((c) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ["topology.kubernetes.io/zone", "ScheduleAnyway"],
      ["kubernetes.io/hostname", "ScheduleAnyway"],
      ["topology.kubernetes.io/zone", "DoNotSchedule"],
    ]);
    // A user constraint without a labelSelector counts the role's own pods, as the kit's do.
    expect(pod.topologySpreadConstraints![2].labelSelector).toEqual(pod.topologySpreadConstraints![0].labelSelector);
  });

  it("add labels, annotations, env and a volume without touching the kit's", () => {
    const { metadata, spec } = history();
    expect(metadata.labels).toMatchObject({ "app.kubernetes.io/component": "history", "cost.example.com/center": "payments" });
    expect(metadata.annotations).toMatchObject({ "prometheus.io/scrape": "true", "example.com/owner": "payments-platform" });
    expect(metadata.annotations!["temporal-kit/config-checksum"]).toBeDefined();
    const container = spec.containers[0];
    expect(container.env!.slice(-2)).toEqual([
      { name: "HTTPS_PROXY", value: "http://proxy.example.com:3128" },
      { name: "LICENSE_KEY", valueFrom: { secretKeyRef: { name: "license", key: "key" } } },
    ]);
    expect(container.env!.map((variable) => variable.name)).toContain("TEMPORAL_SERVER_CONFIG_FILE_PATH");
    expect(container.volumeMounts!.map((mount) => mount.mountPath)).toEqual(expect.arrayContaining(["/etc/temporal/config", "/tmp", "/etc/ssl/corporate"]));
    expect(spec.volumes!.at(-1)).toEqual({ name: "corporate-ca", configMap: { name: "corporate-ca" } });
  });

  it("leave the other roles, whose blocks are absent, as the kit builds them", () => {
    const frontend = templateOf(workload("Deployment", (name) => name === "tk-frontend")).spec;
    expect(frontend.nodeSelector).toBeUndefined();
    expect(frontend.imagePullSecrets).toBeUndefined();
    expect(frontend.topologySpreadConstraints).toHaveLength(2);
  });

  it("pull every admin-tools Job's image through the mirror, on the dedicated nodes", () => {
    const jobs = objects().filter((object) => object.kind === "Job" && mainContainer(object).image.includes("admin-tools"));
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    for (const job of jobs) {
      const pod = templateOf(job).spec;
      expect(pod.imagePullSecrets, job.metadata.name).toEqual([{ name: "registry-mirror" }]);
      expect(pod.nodeSelector, job.metadata.name).toEqual({ "node.example.com/pool": "temporal" });
    }
  });

  it("reach the console and the worker pool", () => {
    const console = workload("Deployment", (name) => name === "tk-web");
    expect(templateOf(console).spec.imagePullSecrets).toEqual([{ name: "registry-mirror" }]);
    expect(mainContainer(console).env!.at(-1)).toEqual({ name: "TEMPORAL_DEFAULT_NAMESPACE", value: "orders" });
    const pool = workload("Deployment", (name) => name === "tk-worker-orders");
    expect(templateOf(pool).spec.nodeSelector).toEqual({ "node.example.com/pool": "workers" });
    expect(templateOf(pool).metadata.annotations).toEqual({ "prometheus.io/scrape": "true" });
    expect(mainContainer(pool).volumeMounts!.map((mount) => mount.mountPath)).toEqual(["/tmp", "/etc/temporal/tls/client", "/var/cache/orders"]);
  });

  it("reach the in-cluster MySQL beside what the kit sets on it", () => {
    const mysql = workload("StatefulSet", (name) => name === "tk-mysql");
    const { metadata, spec } = templateOf(mysql);
    expect(spec.nodeSelector).toEqual({ "node.example.com/pool": "stores" });
    expect(spec.tolerations).toEqual([{ key: "dedicated", operator: "Equal", value: "stores", effect: "NoSchedule" }]);
    expect(spec.imagePullSecrets).toEqual([{ name: "registry-mirror" }]);
    expect(metadata.labels).toMatchObject({ "app.kubernetes.io/component": "mysql", "cost.example.com/center": "payments" });
    expect(metadata.annotations!["temporal-kit/init-script"]).toBeDefined();
    const env = mainContainer(mysql).env!.map((variable) => variable.name);
    expect(env).toEqual(["MYSQL_ROOT_PASSWORD", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE", "TZ"]);
  });
});

describe("what the kit sets on the roles and the console", () => {
  // The stacks that set the most: mutual TLS, authorization with a private CA's JWKS trust, archive credentials.
  const stacks = ["fixture:eks-authorization", "fixture:aks-archival", "production", "staging"];
  const owned = (name: string, settings: { names: readonly string[]; prefixes: readonly string[] }) =>
    settings.names.includes(name) || settings.prefixes.some((prefix) => name.startsWith(prefix));
  const underKitPath = (path: string, kit: KitPodSettings) => kit.mounts.paths.some((kitPath) => path === kitPath || path.startsWith(`${kitPath}/`));
  const workloads = (label: string) =>
    readSynthOutput(runs.find((candidate) => candidate.label === label)!).objects.filter((object) => object.kind === "Deployment") as unknown as {
      spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; volumes?: { name: string }[] } } };
    }[];

  it.each(stacks)("%s: every env, volume and mount of a role or the console is one its pod block refuses", (label) => {
    const unguarded: string[] = [];
    for (const { spec } of workloads(label)) {
      const component = spec.template.metadata.labels["app.kubernetes.io/component"];
      const kit = component === "web" ? WEB_CONSOLE_POD : component in ROLES ? SERVER_POD : undefined;
      if (!kit) continue;
      const [main] = spec.template.spec.containers;
      for (const { name } of main.env ?? []) if (!owned(name, kit.env)) unguarded.push(`${component}: env ${name}`);
      for (const { name } of spec.template.spec.volumes ?? []) if (!owned(name, kit.volumes)) unguarded.push(`${component}: volume ${name}`);
      for (const { mountPath } of main.volumeMounts ?? []) if (!underKitPath(mountPath, kit)) unguarded.push(`${component}: mount ${mountPath}`);
    }
    expect(unguarded).toEqual([]);
  });
});
