import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ROLES, RoleName } from "../../components/temporal/roles";
import { CassandraStoreSpec, ElasticsearchStoreSpec, SqlStoreSpec, ServerConfigSpec, buildServerConfig, renderServerConfig } from "../../components/temporal/serverConfig";
import { EnvRef, TEMPLATE_HEADER } from "../../components/temporal/template";

// Every key Temporal's server config structs define (common/config), from the reference list.
const KNOWN_KEYS = new Set(
  readFileSync(join(__dirname, "..", "fixtures", "temporal-config-keys.txt"), "utf8").split("\n").filter(Boolean),
);
// Maps whose keys are names chosen by the operator, not struct fields.
const NAMED_MAPS = new Set(["datastores", "clusterInformation", "services", "tags", "connectAttributes"]);
// Elasticsearch's `url` is a Go net/url.URL, whose fields the list (built from yaml tags) does not
// name; the config loader fills it field by field, as Temporal's own docker template writes it.
const URL_FIELDS = new Set(["scheme", "host"]);

function unknownKeys(node: unknown, path = ""): string[] {
  // A template action is a value filled in at start, not a part of the tree.
  if (node === null || typeof node !== "object" || node instanceof EnvRef) return [];
  if (Array.isArray(node)) return node.flatMap((item, index) => unknownKeys(item, `${path}[${index}]`));
  const parentKey = path.split(".").pop() ?? "";
  return Object.entries(node).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    const own = NAMED_MAPS.has(parentKey) || KNOWN_KEYS.has(key) || (parentKey === "url" && URL_FIELDS.has(key)) ? [] : [here];
    return [...own, ...unknownKeys(value, here)];
  });
}

const store = (database: string, passwordEnv: string): SqlStoreSpec => ({
  plugin: "mysql8",
  host: "temporal-mysql.temporal.svc.cluster.local",
  port: 3306,
  database,
  user: "temporal",
  passwordEnv,
  pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" },
});

const spec = (overrides: Partial<ServerConfigSpec> = {}): ServerConfigSpec => ({
  numHistoryShards: 512,
  logLevel: "info",
  defaultStore: store("temporal", "DEFAULT_PW"),
  visibilityStore: store("temporal_visibility", "VISIBILITY_PW"),
  roles: ["frontend", "history", "matching", "worker"],
  frontendAddress: "temporal-frontend.temporal.svc.cluster.local:7233",
  ...overrides,
});

describe("server config", () => {
  it("uses only keys that Temporal's config structs define", () => {
    const withEverything = buildServerConfig(
      spec({
        roles: Object.keys(ROLES) as RoleName[],
        defaultStore: { ...store("temporal", "PW"), tls: { enabled: true, caFile: "/ca.pem", serverName: "db" } },
      }),
    );
    expect(unknownKeys(withEverything)).toEqual([]);
  });

  it("would notice a key Temporal does not define", () => {
    expect(unknownKeys({ persistence: { numHistoryShard: 4 } })).toEqual(["persistence.numHistoryShard"]);
  });

  it("starts with the line that turns on the server's sprig templating", () => {
    expect(renderServerConfig(spec()).split("\n")[0]).toBe(TEMPLATE_HEADER);
  });

  it("reads passwords and the broadcast address from the environment, never holding them", () => {
    const text = renderServerConfig(spec());
    expect(text).toContain('password: {{ env "DEFAULT_PW" | quote }}');
    expect(text).toContain('password: {{ env "VISIBILITY_PW" | quote }}');
    expect(text).toContain('broadcastAddress: {{ env "POD_IP" }}');
  });

  it("renders YAML that parses to the config tree once the template actions are filled in", () => {
    const filled = renderServerConfig(spec())
      .replace(/\{\{ env "[A-Z_]+" \| quote \}\}/g, '"secret"')
      .replace(/\{\{ env "[A-Z_]+" \}\}/g, "10.0.0.1");
    const parsed = parse(filled) as { persistence: { numHistoryShards: number; datastores: Record<string, { sql: { password: string } }> } };
    expect(parsed.persistence.numHistoryShards).toBe(512);
    expect(parsed.persistence.datastores.default.sql.password).toBe("secret");
  });

  it("binds every role on all interfaces with the ports from the role table", () => {
    const services = buildServerConfig(spec()).services as Record<string, { rpc: Record<string, unknown> }>;
    expect(Object.keys(services)).toEqual(["frontend", "history", "matching", "worker"]);
    for (const [role, { rpc }] of Object.entries(services)) {
      expect(rpc.bindOnIP).toBe("0.0.0.0");
      expect(rpc.grpcPort).toBe(ROLES[role as RoleName].grpcPort);
      expect(rpc.membershipPort).toBe(ROLES[role as RoleName].membershipPort);
    }
    expect(services.frontend.rpc.httpPort).toBe(7243);
  });

  it("points the server's own client at the frontend, unless an internal frontend serves it", () => {
    expect(buildServerConfig(spec()).publicClient).toEqual({ hostPort: "temporal-frontend.temporal.svc.cluster.local:7233" });
    const internal = buildServerConfig(spec({ roles: ["frontend", "internal-frontend", "history", "matching", "worker"] }));
    expect(internal.publicClient).toBeUndefined();
    expect(Object.keys(internal.services as object)).toContain("internal-frontend");
  });

  it("uses the mysql8 plugin and the separate visibility database", () => {
    const persistence = buildServerConfig(spec()).persistence as {
      defaultStore: string;
      visibilityStore: string;
      datastores: Record<string, { sql: Record<string, unknown> }>;
    };
    expect(persistence.datastores[persistence.defaultStore].sql).toMatchObject({ pluginName: "mysql8", databaseName: "temporal" });
    expect(persistence.datastores[persistence.visibilityStore].sql).toMatchObject({ databaseName: "temporal_visibility" });
  });

  // Seen in the real run (test/real/devPostgres.real.test.ts, the database restart): without a
  // connect timeout, a reconnect that dialled the restarted PostgreSQL pod's old address waited on
  // the kernel's SYN retries (73 s), and since DatabaseHandle.reconnect holds its mutex across the
  // connect (common/persistence/sql/sqlplugin/db_handle.go, v1.31.2), every persistence call of
  // history and matching waited with it: a workflow started after the database was back timed out.
  it("bounds every SQL connection attempt, in each driver's own parameter", () => {
    const attributes = (plugin: SqlStoreSpec["plugin"]) =>
      ((buildServerConfig(spec({ defaultStore: { ...store("temporal", "PW"), plugin } })).persistence as { datastores: { default: { sql: { connectAttributes?: Record<string, string> } } } })
        .datastores.default.sql.connectAttributes);
    // lib/pq v1.10.9 conn.go dial: connect_timeout, in whole seconds, covers the dial and the startup handshake.
    expect(attributes("postgres12")).toEqual({ connect_timeout: "10" });
    // pgx/v5 v5.9.2 pgconn/config.go: the same libpq parameter.
    expect(attributes("postgres12_pgx")).toEqual({ connect_timeout: "10" });
    // go-sql-driver/mysql v1.9.0 dsn.go: `timeout`, a Go duration, is the dial timeout.
    expect(attributes("mysql8")).toEqual({ timeout: "10s" });
  });

  it("turns on TLS with host verification only when the store asks for it", () => {
    const plain = buildServerConfig(spec()).persistence as { datastores: { default: { sql: Record<string, unknown> } } };
    expect(plain.datastores.default.sql.tls).toBeUndefined();
    const tls = buildServerConfig(spec({ defaultStore: { ...store("temporal", "PW"), tls: { enabled: true, serverName: "db.example" } } }))
      .persistence as { datastores: { default: { sql: { tls: Record<string, unknown> } } } };
    expect(tls.datastores.default.sql.tls).toEqual({ enabled: true, enableHostVerification: true, serverName: "db.example" });
  });

  it("exposes Prometheus metrics and loads the mounted dynamic config file", () => {
    const config = buildServerConfig(spec()) as { global: { metrics: { prometheus: { listenAddress: string } } }; dynamicConfigClient: { filepath: string } };
    expect(config.global.metrics.prometheus.listenAddress).toBe("0.0.0.0:9090");
    expect(config.dynamicConfigClient.filepath).toBe("/etc/temporal/dynamicconfig/dynamic_config.yaml");
  });
});

const cassandra: CassandraStoreSpec = {
  kind: "cassandra",
  hosts: "temporal-cassandra-0.temporal-cassandra-headless.temporal.svc.cluster.local",
  port: 9042,
  user: "cassandra",
  passwordEnv: "DEFAULT_PW",
  keyspace: "temporal",
  datacenter: "dc1",
  replicationFactor: 3,
  maxConns: 10,
  tls: { enabled: true, caFile: "/etc/temporal/store-ca/ca.pem" },
};
const elasticsearch: ElasticsearchStoreSpec = {
  kind: "elasticsearch",
  version: "v7",
  scheme: "https",
  host: "vpc-temporal.us-east-1.es.amazonaws.com:443",
  index: "temporal_visibility_v1",
  username: "temporal",
  passwordEnv: "VISIBILITY_PW",
  tls: { enabled: true, serverName: "vpc-temporal.us-east-1.es.amazonaws.com" },
};

describe("server config with Cassandra and Elasticsearch", () => {
  const tree = buildServerConfig(spec({ defaultStore: cassandra, visibilityStore: elasticsearch })) as {
    persistence: { datastores: { default: { cassandra: Record<string, unknown> }; visibility: { elasticsearch: Record<string, unknown> } } };
  };

  it("uses only keys Temporal's config structs define (the URL's own fields aside)", () => {
    expect(unknownKeys(tree)).toEqual([]);
  });

  it("connects to Cassandra in the local data center at local quorum, over verified TLS, with the password from the environment", () => {
    const store = tree.persistence.datastores.default.cassandra;
    expect(store).toMatchObject({ hosts: cassandra.hosts, port: 9042, keyspace: "temporal", datacenter: "dc1", user: "cassandra" });
    expect(store.consistency).toEqual({ default: { consistency: "LOCAL_QUORUM", serialConsistency: "LOCAL_SERIAL" } });
    expect(store.tls).toEqual({ enabled: true, enableHostVerification: true, caFile: "/etc/temporal/store-ca/ca.pem" });
    expect(store.password).toBeInstanceOf(EnvRef);
    expect(store).not.toHaveProperty("replicationFactor");
  });

  it("points visibility at the search index, over HTTPS with the password from the environment", () => {
    const store = tree.persistence.datastores.visibility.elasticsearch;
    expect(store).toMatchObject({ version: "v7", url: { scheme: "https", host: elasticsearch.host }, indices: { visibility: "temporal_visibility_v1" }, username: "temporal" });
    expect((store.password as EnvRef).variable).toBe("VISIBILITY_PW");
  });

  it("writes no username or password for a search store without authentication", () => {
    const open = buildServerConfig(spec({ defaultStore: cassandra, visibilityStore: { kind: "elasticsearch", version: "v8", scheme: "http", host: "es:9200", index: "v" } })) as typeof tree;
    expect(open.persistence.datastores.visibility.elasticsearch).toEqual({ version: "v8", url: { scheme: "http", host: "es:9200" }, indices: { visibility: "v" } });
  });
});
