import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
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
        "must not be one of POD_IP, TEMPORAL_SERVICES, TEMPORAL_SERVER_CONFIG_FILE_PATH, TEMPORAL_DEFAULT_STORE_PASSWORD, TEMPORAL_VISIBILITY_STORE_PASSWORD, TEMPORAL_ALLOW_NO_AUTH, SERVICES, GOMEMLIMIT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, SSL_CERT_DIR, TEMPORAL_TLS_*: the kit sets or reserves those on this container",
    });
    expect(problemAt({ environment: "dev", webConsole: { pod: { env: { TEMPORAL_AUTH_CLIENT_ID: "x" } } } }, "webConsole.pod.env.TEMPORAL_AUTH_CLIENT_ID")?.allowed).toBe(
      "must not be one of TEMPORAL_ADDRESS, TEMPORAL_UI_PORT, TEMPORAL_CORS_ORIGINS, TEMPORAL_TLS_*, TEMPORAL_AUTH_*: the kit sets or reserves those on this container",
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
      ["roles.frontend.pod.volumes[0].name", "tmp", "must not be named server-config, dynamic-config, store-ca, jwks-ca, tmp, tls-*: the kit's own volumes have those names"],
      ["roles.frontend.pod.volumes[1].name", "tls-client", "must not be named server-config, dynamic-config, store-ca, jwks-ca, tmp, tls-*: the kit's own volumes have those names"],
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

describe("store pod blocks", () => {
  const cassandra = (pod: unknown, environment = "dev") => ({ environment, persistence: { hosting: "in-cluster-cassandra", pod }, visibility: { store: "elasticsearch" } });
  const withStorePod = (persistence: Record<string, unknown>, pod: unknown) => ({ environment: "dev", persistence: { ...persistence, pod } });

  it("adds nothing when absent: no store preset sets a pod block", () => {
    const stores = [{}, { persistence: { hosting: "in-cluster-postgres" } }, { persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "elasticsearch" } }];
    for (const store of stores) {
      const config = parseStackConfig({ environment: "dev", ...store }, SOURCE);
      expect("pod" in config.persistence, JSON.stringify(store)).toBe(false);
      expect("pod" in config.visibility).toBe(false);
    }
  });

  it("accepts every key on each in-cluster store: MySQL, PostgreSQL, Cassandra, Elasticsearch and a visibility SQL server", () => {
    expect(parseStackConfig(withStorePod({}, POD), SOURCE).persistence).toMatchObject({ hosting: "in-cluster", pod: POD });
    expect(parseStackConfig(withStorePod({ hosting: "in-cluster-postgres" }, POD), SOURCE).persistence).toMatchObject({ hosting: "in-cluster-postgres", pod: POD });
    const both = parseStackConfig({ ...cassandra(POD), visibility: { store: "elasticsearch", pod: POD } }, SOURCE);
    expect(both.persistence).toMatchObject({ hosting: "in-cluster-cassandra", pod: POD });
    expect(both.visibility).toMatchObject({ store: "elasticsearch", pod: POD });
    const server = parseStackConfig({ ...cassandra(undefined), visibility: { store: "sql-server", server: { hosting: "in-cluster", pod: POD } } }, SOURCE);
    expect(server.visibility).toMatchObject({ store: "sql-server", server: { hosting: "in-cluster", pod: POD } });
    // A name a store keeps is anyone's on a pod that does not have it.
    expect(parseStackConfig(withFrontendPod({ env: { MYSQL_HOST: "x" }, volumes: [{ name: "data", emptyDir: {} }] }), SOURCE).roles.frontend.pod?.env).toEqual({ MYSQL_HOST: "x" });
  });

  it("refuses the env each store's image reads for what the kit decides, naming the store's key", () => {
    expect(problemAt(withStorePod({}, { env: { MYSQL_ROOT_HOST: "%" } }), "persistence.pod.env.MYSQL_ROOT_HOST")).toEqual({
      key: "persistence.pod.env.MYSQL_ROOT_HOST",
      given: "MYSQL_ROOT_HOST",
      allowed: "must not be one of MYSQL_*: the kit sets or reserves those on this container",
    });
    expect(problemAt(withStorePod({ hosting: "in-cluster-postgres" }, { env: { POSTGRES_HOST_AUTH_METHOD: "trust" } }), "persistence.pod.env.POSTGRES_HOST_AUTH_METHOD")?.allowed).toBe(
      "must not be one of POSTGRES_*, PG*: the kit sets or reserves those on this container",
    );
    expect(problemAt(withStorePod({ hosting: "in-cluster-postgres" }, { env: { PGPORT: "5433" } }), "persistence.pod.env.PGPORT")?.allowed).toBe("must not be one of POSTGRES_*, PG*: the kit sets or reserves those on this container");
    const cassandraProblems = problemsOf(cassandra({ env: { CASSANDRA_BROADCAST_ADDRESS: "10.0.0.1", MAX_HEAP_SIZE: "8G" } }));
    expect(cassandraProblems.map((problem) => [problem.key, problem.allowed])).toEqual([
      ["persistence.pod.env.CASSANDRA_BROADCAST_ADDRESS", "must not be one of MAX_HEAP_SIZE, HEAP_NEWSIZE, CASSANDRA_*: the kit sets or reserves those on this container"],
      ["persistence.pod.env.MAX_HEAP_SIZE", "must not be one of MAX_HEAP_SIZE, HEAP_NEWSIZE, CASSANDRA_*: the kit sets or reserves those on this container"],
    ]);
    expect(problemAt({ environment: "dev", visibility: { store: "elasticsearch", pod: { env: { ES_JAVA_OPTS: "-Xmx4g" } } } }, "visibility.pod.env.ES_JAVA_OPTS")?.allowed).toBe(
      "must not be one of discovery.type, xpack.security.enabled, node.store.allow_mmap, ingest.geoip.downloader.enabled, ES_JAVA_OPTS, CLI_JAVA_OPTS, ELASTIC_PASSWORD, ELASTIC_PASSWORD_FILE, ES_SETTING_*: the kit sets or reserves those on this container",
    );
    expect(problemAt({ environment: "dev", visibility: { store: "elasticsearch", pod: { env: { ES_SETTING_XPACK_SECURITY_ENABLED: "true" } } } }, "visibility.pod.env.ES_SETTING_XPACK_SECURITY_ENABLED")).toBeDefined();
    expect(problemAt({ ...cassandra(undefined), visibility: { store: "sql-server", server: { hosting: "in-cluster-postgres", pod: { env: { PGDATA: "/x" } } } } }, "visibility.server.pod.env.PGDATA")?.allowed).toBe(
      "must not be one of POSTGRES_*, PG*: the kit sets or reserves those on this container",
    );
  });

  it("refuses each store's volume names and mount paths: its data, init scripts, socket directory and config", () => {
    const mysql = problemsOf(
      withStorePod({}, {
        volumes: [{ name: "data", emptyDir: {} }, { name: "init", emptyDir: {} }],
        volumeMounts: [{ name: "data", mountPath: "/var/lib" }, { name: "init", mountPath: "/docker-entrypoint-initdb.d/02-extra.sql", subPath: "x.sql" }],
      }),
    );
    const sqlPaths = "must not be, contain or lie inside /var/lib/mysql, /docker-entrypoint-initdb.d, /var/run/mysqld, /tmp: the kit mounts the server's data, its init scripts, its socket directory and scratch space there";
    expect(mysql.map((problem) => [problem.key, problem.given, problem.allowed])).toEqual([
      ["persistence.pod.volumes[0].name", "data", "must not be named data, init, run, tmp: the kit's own volumes have those names"],
      ["persistence.pod.volumes[1].name", "init", "must not be named data, init, run, tmp: the kit's own volumes have those names"],
      ["persistence.pod.volumeMounts[0].mountPath", "/var/lib", sqlPaths],
      ["persistence.pod.volumeMounts[1].mountPath", "/docker-entrypoint-initdb.d/02-extra.sql", sqlPaths],
    ]);
    expect(problemAt(withStorePod({ hosting: "in-cluster-postgres" }, { volumes: [{ name: "pg", emptyDir: {} }], volumeMounts: [{ name: "pg", mountPath: "/var/run/postgresql" }] }), "persistence.pod.volumeMounts[0].mountPath")?.allowed).toBe(
      "must not be, contain or lie inside /var/lib/postgresql/data, /docker-entrypoint-initdb.d, /var/run/postgresql, /tmp: the kit mounts the server's data, its init scripts, its socket directory and scratch space there",
    );
    expect(problemsOf(cassandra({ volumes: [{ name: "data", emptyDir: {} }, { name: "conf", configMap: { name: "c" } }], volumeMounts: [{ name: "conf", mountPath: "/etc/cassandra/cassandra.yaml", subPath: "cassandra.yaml" }] })).map((problem) => [problem.key, problem.allowed])).toEqual([
      ["persistence.pod.volumes[0].name", "must not be named data: the kit's own volumes have those names"],
      ["persistence.pod.volumeMounts[0].mountPath", "must not be, contain or lie inside /var/lib/cassandra, /etc/cassandra: the kit mounts the node's data and the cassandra.yaml it edits to turn authentication on there"],
    ]);
    expect(problemAt({ environment: "dev", visibility: { store: "elasticsearch", pod: { volumes: [{ name: "d", emptyDir: {} }], volumeMounts: [{ name: "d", mountPath: "/usr/share/elasticsearch" }] } } }, "visibility.pod.volumeMounts[0].mountPath")?.allowed).toBe(
      "must not be, contain or lie inside /usr/share/elasticsearch/data: the kit mounts the node's data there",
    );
  });

  it("refuses the kit's labels and annotations on a store as on a role", () => {
    const problems = problemsOf(withStorePod({}, { labels: { "app.kubernetes.io/instance": "x" }, annotations: { "temporal-kit/init-script": "x" } }));
    expect(problems.map((problem) => problem.key)).toEqual(['persistence.pod.labels["app.kubernetes.io/instance"]', 'persistence.pod.annotations["temporal-kit/init-script"]']);
    expect(problems[1].allowed).toBe("must not be one of temporal-kit/*: the kit sets those");
  });

  it("keeps in-cluster Cassandra's own spread outside dev, as a role's", () => {
    const soft = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }];
    const production = { environment: "production", platform: "aws-eks", persistence: { hosting: "in-cluster-cassandra", pod: { topologySpreadConstraints: soft } }, visibility: { store: "opensearch" }, aws: { eks: { publicAccessCidrs: ["198.51.100.0/24"] } } };
    expect(problemAt(production, "persistence.pod.topologySpreadConstraints[0]")?.allowed).toBe(
      "must not repeat the kit's own spread in production (ScheduleAnyway over topology.kubernetes.io/zone and kubernetes.io/hostname), which it keeps: use DoNotSchedule to make that spread strict, or another topologyKey",
    );
    // A single MySQL pod has no spread of the kit's to repeat.
    expect(parseStackConfig({ environment: "staging", persistence: { pod: { topologySpreadConstraints: soft } } }, SOURCE).persistence).toMatchObject({ hosting: "in-cluster", pod: { topologySpreadConstraints: soft } });
  });
});
