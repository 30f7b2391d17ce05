import { describe, expect, it } from "vitest";
import { sqlSchemaSteps, sqlToolEnv } from "../../components/temporal/schemaSteps";

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
