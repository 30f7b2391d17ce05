import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/load";
import { KIT_LABEL_KEYS } from "../../components/config/podSchema";
import { ClusterNames } from "../../components/kubernetes/names";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.test.yaml";
const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE);
const problemAt = (raw: Record<string, unknown>, key: string) => problemsOf(raw).find((problem) => problem.key === key);
const withFrontendPod = (pod: unknown, environment = "dev") => ({ environment, roles: { frontend: { pod } } });

const POD = {
  nodeSelector: { "node.example.com/pool": "temporal" },
  tolerations: [{ key: "dedicated", operator: "Equal", value: "temporal", effect: "NoSchedule" }, { operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["arm64"] }] }] } } },
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }],
  labels: { "team.example.com/owner": "payments", cost_center: "" },
  annotations: { "example.com/audit": "any text at all" },
  imagePullSecrets: ["registry-mirror"],
  env: { HTTPS_PROXY: "http://proxy.example.com:3128", LICENSE: { secretKeyRef: { name: "license", key: "token" } } },
  volumes: [{ name: "extra-ca", configMap: { name: "corporate-ca" } }],
  volumeMounts: [{ name: "extra-ca", mountPath: "/etc/ssl/corporate", readOnly: true }],
};

describe("pod overrides config", () => {
  it("adds nothing when absent: no shipped preset sets a pod block", () => {
    for (const environment of ["dev", "staging", "production"]) {
      const config = parseStackConfig({ environment }, SOURCE);
      expect(Object.values(config.roles).map((role) => role.pod)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(config.webConsole.pod).toBeUndefined();
      expect(config.temporal.adminToolsPod).toBeUndefined();
    }
  });

  it("accepts every key on each role, the console, a worker pool and the admin-tools Jobs", () => {
    const { env, ...poolPod } = POD;
    const config = parseStackConfig(
      {
        environment: "production",
        roles: { frontend: { pod: POD }, history: { pod: POD }, internalFrontend: { enabled: true, pod: POD } },
        webConsole: { pod: POD },
        temporal: { adminToolsPod: { imagePullSecrets: ["registry-mirror"], nodeSelector: POD.nodeSelector, tolerations: POD.tolerations } },
        namespaces: [{ name: "orders", retention: "168h" }],
        workers: [
          {
            name: "orders",
            image: "registry.example.com/orders:1.0.0",
            replicas: 2,
            taskQueue: "orders",
            namespace: "orders",
            env: {},
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            probe: { httpGet: { path: "/healthz", port: 8080 } },
            pod: poolPod,
          },
        ],
      },
      SOURCE,
    );
    expect(config.roles.frontend.pod).toEqual(POD);
    expect(config.roles.internalFrontend.pod?.env).toEqual(env);
    expect(config.workers[0].pod?.imagePullSecrets).toEqual(["registry-mirror"]);
  });

  it("refuses a label the kit selects its pods by, naming the key", () => {
    const problem = problemAt(withFrontendPod({ labels: { "app.kubernetes.io/component": "history" } }), 'roles.frontend.pod.labels["app.kubernetes.io/component"]');
    expect(problem).toEqual({
      key: 'roles.frontend.pod.labels["app.kubernetes.io/component"]',
      given: "app.kubernetes.io/component",
      allowed:
        "must not be one of app.kubernetes.io/name, app.kubernetes.io/instance, app.kubernetes.io/component, app.kubernetes.io/part-of, app.kubernetes.io/managed-by: the kit's Services, NetworkPolicies and disruption budgets select its pods by those",
    });
  });

  it("names every label the kit sets among those it refuses", () => {
    const names = new ClusterNames("temporal");
    expect(KIT_LABEL_KEYS).toEqual(expect.arrayContaining(Object.keys(names.labels("frontend"))));
  });

  it("refuses label keys and values Kubernetes would refuse", () => {
    const problems = problemsOf(withFrontendPod({ labels: { "-bad": "ok", good: "x".repeat(64) }, nodeSelector: { "a/b/c": "v" } }));
    expect(problems.map((problem) => [problem.key, problem.allowed.split(":")[0]])).toEqual([
      ['roles.frontend.pod.nodeSelector["a/b/c"]', "must be a Kubernetes label key"],
      ["roles.frontend.pod.labels.-bad", "must be a Kubernetes label key"],
      ["roles.frontend.pod.labels.good", "must be a Kubernetes label value"],
    ]);
  });

  it("refuses env the kit sets on the container, per workload", () => {
    expect(problemAt(withFrontendPod({ env: { TEMPORAL_SERVER_CONFIG_FILE_PATH: "/x" } }), "roles.frontend.pod.env.TEMPORAL_SERVER_CONFIG_FILE_PATH")).toEqual({
      key: "roles.frontend.pod.env.TEMPORAL_SERVER_CONFIG_FILE_PATH",
      given: "TEMPORAL_SERVER_CONFIG_FILE_PATH",
      allowed:
        "must not be one of POD_IP, TEMPORAL_SERVICES, TEMPORAL_SERVER_CONFIG_FILE_PATH, TEMPORAL_DEFAULT_STORE_PASSWORD, TEMPORAL_VISIBILITY_STORE_PASSWORD, TEMPORAL_ALLOW_NO_AUTH, SERVICES, GOMEMLIMIT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, TEMPORAL_TLS_*: the kit sets those on this container",
    });
    expect(problemAt({ environment: "dev", webConsole: { pod: { env: { TEMPORAL_AUTH_CLIENT_ID: "x" } } } }, "webConsole.pod.env.TEMPORAL_AUTH_CLIENT_ID")?.allowed).toBe(
      "must not be one of TEMPORAL_ADDRESS, TEMPORAL_UI_PORT, TEMPORAL_CORS_ORIGINS, TEMPORAL_TLS_*, TEMPORAL_AUTH_*: the kit sets those on this container",
    );
    // The console's other settings are the UI server's own, and the user's to set.
    expect(parseStackConfig({ environment: "dev", webConsole: { pod: { env: { TEMPORAL_DEFAULT_NAMESPACE: "orders" } } } }, SOURCE).webConsole.pod?.env).toEqual({
      TEMPORAL_DEFAULT_NAMESPACE: "orders",
    });
    expect(problemAt(withFrontendPod({ env: { "1X": "x" } }), "roles.frontend.pod.env.1X")?.allowed).toBe(
      "must be an environment variable name: letters, digits and _, not starting with a digit",
    );
  });

  it("refuses the annotations the kit sets", () => {
    expect(problemAt(withFrontendPod({ annotations: { "prometheus.io/port": "1" } }), 'roles.frontend.pod.annotations["prometheus.io/port"]')?.allowed).toBe(
      "must not be one of prometheus.io/scrape, prometheus.io/port, prometheus.io/path, temporal-kit/*: the kit sets those",
    );
    expect(problemAt({ environment: "dev", webConsole: { pod: { annotations: { "temporal-kit/config-checksum": "x" } } } }, 'webConsole.pod.annotations["temporal-kit/config-checksum"]')).toBeDefined();
  });

  it("refuses the kit's volume names and mount paths, and mounts of undeclared volumes", () => {
    const problems = problemsOf(
      withFrontendPod({
        volumes: [{ name: "tmp", emptyDir: {} }, { name: "tls-client", emptyDir: {} }, { name: "both", emptyDir: {}, configMap: { name: "x" } }],
        volumeMounts: [{ name: "tmp", mountPath: "/tmp/x" }, { name: "tmp", mountPath: "/etc" }, { name: "nothing", mountPath: "/data" }],
      }),
    );
    expect(problems.map((problem) => [problem.key, problem.given, problem.allowed])).toEqual([
      ["roles.frontend.pod.volumes[2]", { name: "both", emptyDir: {}, configMap: { name: "x" } }, "must name exactly one source: configMap, secret, emptyDir, persistentVolumeClaim, csi"],
      ["roles.frontend.pod.volumes[0].name", "tmp", "must not be named server-config, dynamic-config, store-ca, tmp, tls-*: the kit's own volumes have those names"],
      ["roles.frontend.pod.volumes[1].name", "tls-client", "must not be named server-config, dynamic-config, store-ca, tmp, tls-*: the kit's own volumes have those names"],
      ["roles.frontend.pod.volumeMounts[0].mountPath", "/tmp/x", "must not be, contain or lie inside /tmp, /etc/temporal, /etc/temporal/config, /etc/temporal/dynamicconfig, /etc/temporal/tls: the kit mounts its config, certificates and scratch space there"],
      ["roles.frontend.pod.volumeMounts[1].mountPath", "/etc", "must not be, contain or lie inside /tmp, /etc/temporal, /etc/temporal/config, /etc/temporal/dynamicconfig, /etc/temporal/tls: the kit mounts its config, certificates and scratch space there"],
      ["roles.frontend.pod.volumeMounts[2].name", "nothing", "must name one of this pod block's volumes (tmp, tls-client, both)"],
    ]);
  });

  it("offers no hostPath or host namespaces", () => {
    expect(problemAt(withFrontendPod({ volumes: [{ name: "host", hostPath: { path: "/" } }] }), "roles.frontend.pod.volumes[0].hostPath")?.allowed).toMatch(/^is not a known key here/);
    expect(problemAt(withFrontendPod({ hostNetwork: true }), "roles.frontend.pod.hostNetwork")?.allowed).toMatch(/^is not a known key here; known keys: /);
  });

  it("checks tolerations as the API server does", () => {
    const problems = problemsOf(
      withFrontendPod({ tolerations: [{ effect: "NoSchedule" }, { key: "k", operator: "Exists", value: "v" }, { key: "k", tolerationSeconds: 5 }, { key: "k", effect: "Never" }] }),
    );
    expect(problems.map((problem) => [problem.key, problem.allowed])).toEqual([
      ["roles.frontend.pod.tolerations[0]", "must have operator Exists when it names no key: a key-less toleration tolerates every taint"],
      ["roles.frontend.pod.tolerations[1]", "must have no value with operator Exists"],
      ["roles.frontend.pod.tolerations[2]", "must set effect NoExecute to set tolerationSeconds: no other effect evicts"],
      ["roles.frontend.pod.tolerations[3].effect", 'allowed: invalid option: expected one of "NoSchedule"|"PreferNoSchedule"|"NoExecute"'],
    ]);
  });

  it("keeps the kit's own spread outside dev: a user constraint is added, never a duplicate of it", () => {
    const soft = [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" }];
    expect(problemAt(withFrontendPod({ topologySpreadConstraints: soft }, "production"), "roles.frontend.pod.topologySpreadConstraints[0]")?.allowed).toBe(
      "must not repeat the kit's own spread in production (ScheduleAnyway over topology.kubernetes.io/zone and kubernetes.io/hostname), which it keeps: use DoNotSchedule to make that spread strict, or another topologyKey",
    );
    expect(parseStackConfig(withFrontendPod({ topologySpreadConstraints: soft }), SOURCE).roles.frontend.pod?.topologySpreadConstraints).toEqual(soft);
  });

  it("refuses pod blocks on ECS, which runs tasks", () => {
    const problems = problemsOf({
      environment: "production",
      platform: "aws-ecs",
      persistence: { hosting: "rds" },
      webConsole: { enabled: false },
      roles: { history: { pod: { nodeSelector: { a: "b" } } } },
      temporal: { adminToolsPod: { imagePullSecrets: ["mirror"] } },
    });
    expect(problems.filter((problem) => /pod|adminToolsPod/i.test(problem.key))).toEqual([
      { key: "roles.history.pod", given: { nodeSelector: { a: "b" } }, allowed: "is a Kubernetes pod setting, and platform aws-ecs runs ECS tasks: remove it (a worker pool's own env key reaches its task)" },
      { key: "temporal.adminToolsPod", given: { imagePullSecrets: ["mirror"] }, allowed: "is a Kubernetes pod setting, and platform aws-ecs runs ECS tasks: remove it (a worker pool's own env key reaches its task)" },
    ]);
  });

  it("sends a worker pool's env to its own key", () => {
    const problem = problemsOf({
      environment: "dev",
      namespaces: [{ name: "orders", retention: "24h" }],
      workers: [
        {
          name: "orders",
          image: "registry.example.com/orders:1.0.0",
          replicas: 1,
          taskQueue: "orders",
          namespace: "orders",
          env: {},
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
          pod: { env: { A: "b" } },
        },
      ],
    }).find((p) => p.key === "workers[0].pod.env");
    expect(problem?.allowed).toBe("must be left out: a worker pool's env is workers[0].env");
  });
});
