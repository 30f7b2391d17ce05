import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { kitConfigOf, parseStackConfig } from "../../components/config/parse";
import { PRESETS, PREVIOUS_SERVER_VERSION, SERVER_VERSION, UI_VERSION } from "../../components/config/presets";
import { parseVersion, versionChangeProblem } from "../../components/temporal/versionSkew";
import { ENVIRONMENTS } from "../../components/config/schema";
import { readStackFile } from "../../tools/synth/stackFile";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.test.yaml";
const STACKS_DIR = join(__dirname, "..", "..", "stacks");

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE);

/** The `temporal-kit:` keys of a stack file, as the program receives them. */
const rawConfigOf = (file: string) => kitConfigOf(readStackFile(join(STACKS_DIR, file)).config);

describe("presets", () => {
  it.each(ENVIRONMENTS)("the %s preset parses on its own", (environment) => {
    expect(parseStackConfig({ environment }, SOURCE)).toEqual(PRESETS[environment]);
  });

  it("pins the server and admin-tools images to 1.31.2 and the UI to 2.52.0 or newer", () => {
    for (const preset of Object.values(PRESETS)) {
      expect(preset.temporal.serverImage).toBe(`temporalio/server:${SERVER_VERSION}`);
      expect(preset.temporal.adminToolsImage).toBe(`temporalio/admin-tools:${SERVER_VERSION}`);
      expect(preset.webConsole.image).toBe(`temporalio/ui:${UI_VERSION}`);
    }
    expect(SERVER_VERSION).toBe("1.31.2");
    const [major, minor] = UI_VERSION.split(".").map(Number);
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(2052);
  });

  it("names the previous minor's release as one the upgrade guard lets a cluster move up from", () => {
    const previous = parseVersion(PREVIOUS_SERVER_VERSION)!;
    const current = parseVersion(SERVER_VERSION)!;
    expect(previous, PREVIOUS_SERVER_VERSION).toBeDefined();
    expect([previous.major, previous.minor + 1]).toEqual([current.major, current.minor]);
    expect(versionChangeProblem(previous, current)).toBeUndefined();
  });

  it("uses 512 history shards in staging and production and a toy count in dev", () => {
    expect(PRESETS.staging.temporal.numHistoryShards).toBe(512);
    expect(PRESETS.production.temporal.numHistoryShards).toBe(512);
    expect(PRESETS.dev.temporal.numHistoryShards).toBeGreaterThanOrEqual(4);
    expect(PRESETS.dev.temporal.numHistoryShards).toBeLessThanOrEqual(16);
  });

  it("runs at least two replicas of every role in production", () => {
    const { frontend, history, matching, worker } = PRESETS.production.roles;
    for (const role of [frontend, history, matching, worker]) expect(role.replicas).toBeGreaterThanOrEqual(2);
  });
});

describe("shipped stack files", () => {
  const files = readdirSync(STACKS_DIR).filter((file) => /^Pulumi\..+\.yaml$/.test(file));

  it("include dev, staging and production", () => {
    expect(files).toEqual(expect.arrayContaining(["Pulumi.dev.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml"]));
  });

  it.each(files)("%s parses", (file) => {
    expect(() => parseStackConfig(rawConfigOf(file), `stacks/${file}`)).not.toThrow();
  });
});

describe("overrides", () => {
  it("merge objects key by key over the preset", () => {
    const config = parseStackConfig({ environment: "production", roles: { history: { replicas: 5 } } }, SOURCE);
    expect(config.roles.history.replicas).toBe(5);
    expect(config.roles.history.resources).toEqual(PRESETS.production.roles.history.resources);
    expect(config.roles.frontend).toEqual(PRESETS.production.roles.frontend);
  });

  it("replace lists as a whole", () => {
    const config = parseStackConfig({ environment: "dev", namespaces: [{ name: "orders", retention: "48h" }] }, SOURCE);
    expect(config.namespaces).toEqual([{ name: "orders", retention: "48h" }]);
  });

  it("switch the data store to an external server", () => {
    const config = parseStackConfig(
      {
        environment: "staging",
        kubernetes: { createNamespace: false },
        persistence: {
          hosting: "external",
          engine: "postgres12",
          host: "db.internal",
          port: 5432,
          user: "temporal",
          passwordSecret: { name: "temporal-db", key: "password" },
          database: "temporal",
          visibilityDatabase: "temporal_visibility",
          tls: { enabled: true },
          pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" },
        },
      },
      SOURCE,
    );
    expect(config.persistence.hosting).toBe("external");
  });
});

const worker = {
  name: "orders",
  image: "registry.example.com/orders-worker:1.0.0",
  replicas: 2,
  taskQueue: "orders",
  namespace: "default",
  env: {},
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  probe: { httpGet: { path: "/healthz", port: 8080 } },
};

// Each row: a stack file fragment that must be refused, and the key the message must name.
// Each row: what is wrong, the key the message must name, and the stack file fragment.
const badConfigs: [string, string, Record<string, unknown>][] = [
  ["an unknown environment", "environment", { environment: "qa" }],
  ["a missing environment", "environment", {}],
  ["too many shards for dev", "temporal.numHistoryShards", { environment: "dev", temporal: { numHistoryShards: 32 } }],
  ["too few shards for dev", "temporal.numHistoryShards", { environment: "dev", temporal: { numHistoryShards: 2 } }],
  ["a shard count that is no power of two", "temporal.numHistoryShards", { environment: "production", temporal: { numHistoryShards: 500 } }],
  ["shards given as text", "temporal.numHistoryShards", { environment: "staging", temporal: { numHistoryShards: "512" } }],
  ["one history replica in production", "roles.history.replicas", { environment: "production", roles: { history: { replicas: 1 } } }],
  ["zero replicas", "roles.matching.replicas", { environment: "dev", roles: { matching: { replicas: 0 } } }],
  ["a misspelt role", "roles.frontnd", { environment: "dev", roles: { frontnd: { replicas: 1 } } }],
  ["a malformed memory quantity", "roles.history.resources.limits.memory", { environment: "dev", roles: { history: { resources: { limits: { memory: "lots" } } } } }],
  ["the latest tag", "temporal.serverImage", { environment: "dev", temporal: { serverImage: "temporalio/server:latest" } }],
  ["an untagged image", "webConsole.image", { environment: "dev", webConsole: { image: "temporalio/ui" } }],
  ["an unknown dynamic config key", 'temporal.dynamicConfig["frontend.notAKey"]', { environment: "dev", temporal: { dynamicConfig: { "frontend.notAKey": 1 } } }],
  ["an unknown data store hosting", "persistence.hosting", { environment: "dev", persistence: { hosting: "cloud" } }],
  ["an external store without a host", "persistence.host", { environment: "dev", persistence: { hosting: "external", engine: "mysql8", port: 3306, user: "t", passwordSecret: { name: "s", key: "k" }, database: "temporal", visibilityDatabase: "v", tls: { enabled: false }, pool: { maxConns: 1, maxIdleConns: 1, maxConnLifetime: "1h" } } }],
  ["the removed mysql plugin name", "persistence.engine", { environment: "dev", persistence: { hosting: "external", engine: "mysql", host: "h", port: 3306, user: "t", passwordSecret: { name: "s", key: "k" }, database: "temporal", visibilityDatabase: "v", tls: { enabled: false }, pool: { maxConns: 1, maxIdleConns: 1, maxConnLifetime: "1h" } } }],
  ["a visibility store that does not exist yet", "visibility.store", { environment: "dev", visibility: { store: "cassandra" } }],
  ["a retention under a day", "namespaces[0].retention", { environment: "dev", namespaces: [{ name: "default", retention: "12h" }] }],
  ["a retention in minutes", "namespaces[0].retention", { environment: "dev", namespaces: [{ name: "default", retention: "90m" }] }],
  ["two namespaces with one name", "namespaces[1].name", { environment: "dev", namespaces: [{ name: "a", retention: "24h" }, { name: "a", retention: "48h" }] }],
  ["a worker in an undeclared namespace", "workers[0].namespace", { environment: "dev", workers: [{ ...worker, namespace: "payments" }] }],
  ["a worker without a probe in staging", "workers[0].probe", { environment: "staging", workers: [{ ...worker, probe: undefined }] }],
  ["a worker overriding the frontend address", "workers[0].env.TEMPORAL_ADDRESS", { environment: "dev", workers: [{ ...worker, env: { TEMPORAL_ADDRESS: "elsewhere:7233" } }] }],
  ["a worker name that is no DNS label", "workers[0].name", { environment: "dev", workers: [{ ...worker, name: "Orders_Worker" }] }],
  ["one web console replica in production", "webConsole.replicas", { environment: "production", webConsole: { replicas: 1 } }],
  ["one internal frontend in production", "roles.internalFrontend.replicas", { environment: "production", roles: { internalFrontend: { enabled: true, replicas: 1 } } }],
  ["an external store in a namespace the kit would create", "kubernetes.createNamespace", { environment: "dev", persistence: { hosting: "external", engine: "mysql8", host: "db", port: 3306, user: "t", passwordSecret: { name: "s", key: "k" }, database: "temporal", visibilityDatabase: "v", tls: { enabled: false }, pool: { maxConns: 1, maxIdleConns: 1, maxConnLifetime: "1h" } } }],
  ["an invalid Kubernetes namespace", "kubernetes.namespace", { environment: "dev", kubernetes: { namespace: "Temporal NS" } }],
  ["node networks without NetworkPolicies to admit them to", "kubernetes.nodeCidrs", { environment: "dev", kubernetes: { nodeCidrs: ["172.18.0.0/16"] } }],
  ["a node network that is no CIDR", "kubernetes.nodeCidrs[0]", { environment: "staging", kubernetes: { nodeCidrs: ["172.18.0.0"] } }],
  ["a node network written from a host address", "kubernetes.nodeCidrs[0]", { environment: "staging", kubernetes: { nodeCidrs: ["172.18.0.1/16"] } }],
  ["an unknown top-level key", "replicas", { environment: "dev", replicas: 3 }],
];

describe("invalid config", () => {
  it.each(badConfigs)("refuses %s, naming %s", (_, key, raw) => {
    const problems = problemsOf(raw);
    expect(problems.map((problem) => problem.key)).toContain(key);
  });

  it("names the stack file, the key, the value given and what is allowed", () => {
    const error = (() => {
      try {
        parseStackConfig({ environment: "dev", temporal: { numHistoryShards: 32 } }, SOURCE);
      } catch (caught) {
        return caught as StackConfigError;
      }
      throw new Error("accepted");
    })();
    expect(error.message).toContain(
      `${SOURCE}: temporal-kit:temporal.numHistoryShards: given 32; must be a power of two from 4 to 16 in dev`,
    );
  });

  it("reports every problem in one pass, across keys and cross-key rules", () => {
    const problems = problemsOf({
      environment: "production",
      temporal: { numHistoryShards: 100, serverImage: "temporalio/server:latest" },
      roles: { history: { replicas: 1 } },
    });
    expect(problems.map((problem) => problem.key).sort()).toEqual(
      ["roles.history.replicas", "temporal.numHistoryShards", "temporal.serverImage"].sort(),
    );
  });

  it("is a Pulumi RunError, so `pulumi up` prints it without a stack trace", () => {
    expect(() => parseStackConfig({ environment: "qa" }, SOURCE)).toThrow(pulumi.RunError);
  });
});
