import { describe, expect, it } from "vitest";
import { sqlSchemaSteps, sqlToolEnv } from "../../components/temporal/schemaSteps";
import { schemaPlan } from "../../components/temporal/schemaSteps";

describe("SQL schema steps", () => {
  it("create, set up, then update the store, in that order", () => {
    expect(sqlSchemaSteps("mysql8", "default").map((step) => step.command.slice(0, 2))).toEqual([
      ["temporal-sql-tool", "create-database"],
      ["temporal-sql-tool", "setup-schema"],
      ["temporal-sql-tool", "update-schema"],
    ]);
  });

  it("start the schema at version 0.0 so update-schema applies every versioned step", () => {
    expect(sqlSchemaSteps("mysql8", "default")[1].command).toEqual(["temporal-sql-tool", "setup-schema", "-v", "0.0"]);
  });

  it.each([
    ["mysql8", "default", "/etc/temporal/schema/mysql/v8/temporal/versioned"],
    ["mysql8", "visibility", "/etc/temporal/schema/mysql/v8/visibility/versioned"],
    ["postgres12", "default", "/etc/temporal/schema/postgresql/v12/temporal/versioned"],
    ["postgres12_pgx", "visibility", "/etc/temporal/schema/postgresql/v12/visibility/versioned"],
  ] as const)("update %s %s from %s", (plugin, store, dir) => {
    expect(sqlSchemaSteps(plugin, store)[2].command).toEqual(["temporal-sql-tool", "update-schema", "--schema-dir", dir]);
  });

  it("connect through environment variables and leave the password to a secret", () => {
    const env = sqlToolEnv({
      plugin: "mysql8",
      host: "db",
      port: 3306,
      database: "temporal",
      user: "temporal",
      passwordEnv: "X",
      pool: { maxConns: 1, maxIdleConns: 1, maxConnLifetime: "1h" },
    });
    expect(env).toEqual({ SQL_PLUGIN: "mysql8", SQL_HOST: "db", SQL_PORT: "3306", SQL_DATABASE: "temporal", SQL_USER: "temporal" });
  });
});

describe("SQL schema steps over TLS", () => {
  it("verify the server's hostname, as the Temporal server itself does", () => {
    const env = sqlToolEnv({
      plugin: "mysql8",
      host: "db.example",
      port: 3306,
      database: "temporal",
      user: "temporal",
      passwordEnv: "X",
      pool: { maxConns: 1, maxIdleConns: 1, maxConnLifetime: "1h" },
      tls: { enabled: true, serverName: "db.example" },
    });
    expect(env).toMatchObject({ SQL_TLS: "true", SQL_TLS_DISABLE_HOST_VERIFICATION: "false", SQL_TLS_SERVER_NAME: "db.example" });
  });
});

describe("Cassandra and Elasticsearch schema plans", () => {
  const cassandra = {
    kind: "cassandra" as const,
    hosts: "a,b",
    port: 9042,
    user: "cassandra",
    passwordEnv: "PW",
    keyspace: "temporal",
    datacenter: "dc1",
    replicationFactor: 3,
    maxConns: 10,
    tls: { enabled: true, caFile: "/ca.pem" },
  };

  it("creates the keyspace with NetworkTopologyStrategy in the data center, then sets up and updates it", () => {
    const plan = schemaPlan("default", cassandra);
    expect(plan.steps.map((step) => step.command.slice(0, 2).join(" "))).toEqual([
      "temporal-cassandra-tool create-keyspace",
      "temporal-cassandra-tool setup-schema",
      "temporal-cassandra-tool update-schema",
    ]);
    expect(plan.steps[0].command).toEqual(["temporal-cassandra-tool", "create-keyspace", "--keyspace", "temporal", "--replication-factor", "3", "--datacenter", "dc1"]);
    expect(plan.steps[2].command.at(-1)).toBe("/etc/temporal/schema/cassandra/temporal/versioned");
    expect(plan.env).toMatchObject({ CASSANDRA_HOST: "a,b", CASSANDRA_KEYSPACE: "temporal", CASSANDRA_ENABLE_TLS: "true", CASSANDRA_TLS_CA: "/ca.pem" });
    expect(plan.passwordEnv).toBe("CASSANDRA_PASSWORD");
  });

  it("verifies the Cassandra nodes as the server does: host verification on, against the server name when one is given", () => {
    expect(schemaPlan("default", cassandra).env).toMatchObject({ CASSANDRA_TLS_DISABLE_HOST_VERIFICATION: "false" });
    expect(schemaPlan("default", cassandra).env).not.toHaveProperty("CASSANDRA_TLS_SERVER_NAME");
    const named = schemaPlan("default", { ...cassandra, tls: { enabled: true, serverName: "nodes.managedcassandra.cosmos.azure.com" } }).env;
    expect(named).toMatchObject({ CASSANDRA_ENABLE_TLS: "true", CASSANDRA_TLS_DISABLE_HOST_VERIFICATION: "false", CASSANDRA_TLS_SERVER_NAME: "nodes.managedcassandra.cosmos.azure.com" });
    expect(named).not.toHaveProperty("CASSANDRA_TLS_CA");
    const { tls: _, ...plain } = cassandra;
    expect(Object.keys(schemaPlan("default", plain).env).filter((name) => name.includes("TLS"))).toEqual([]);
  });

  it("leaves a keyspace the platform provisions (Cosmos DB) to the platform", () => {
    const { replicationFactor: _, ...provisioned } = cassandra;
    expect(schemaPlan("default", provisioned).steps.map((step) => step.name)).toEqual(["setup-default-schema", "update-default-schema"]);
  });

  it("sets up the index template, then creates the index or updates an existing one", () => {
    const plan = schemaPlan("visibility", { kind: "elasticsearch", version: "v7", scheme: "http", host: "es:9200", index: "temporal_visibility_v1" });
    expect(plan.steps[0].command).toEqual(["temporal-elasticsearch-tool", "setup-schema"]);
    expect(plan.steps[1].command.join(" ")).toContain("create-index");
    expect(plan.steps[1].command.join(" ")).toContain("|| temporal-elasticsearch-tool update-schema");
    expect(plan.env).toEqual({ ES_SERVER: "http://es:9200", ES_VISIBILITY_INDEX: "temporal_visibility_v1" });
    expect(plan.passwordEnv).toBeUndefined();
  });
});
