import { describe, expect, it } from "vitest";
import { databaseBackups } from "../../../policy/rules/databaseBackups";
import { messagesOf, record, reportOf } from "../harness";

describe("database-backups", () => {
  it("reports a production RDS instance and Flexible Server keeping backups under 7 days", async () => {
    const messages = await messagesOf(databaseBackups, [
      record("aws:rds/instance:Instance", "db", { backupRetentionPeriod: 1 }),
      record("azure-native:dbforpostgresql:Server", "pg", { backup: { backupRetentionDays: 3 } }),
    ]);
    expect(messages).toEqual([
      "db: backupRetentionPeriod is 1, at least 7 required.",
      "pg: backup.backupRetentionDays is 3, at least 7 required.",
    ]);
  });

  it("accepts 7 days or more in production", async () => {
    const messages = await messagesOf(databaseBackups, [
      record("aws:rds/instance:Instance", "db", { backupRetentionPeriod: 7 }),
      record("azure-native:dbformysql:Server", "mysql", { backup: { backupRetentionDays: 14 } }),
    ]);
    expect(messages).toEqual([]);
  });

  it("does not apply to staging", async () => {
    const report = await reportOf(databaseBackups, [record("aws:rds/instance:Instance", "db", { backupRetentionPeriod: 1 })], "staging");
    expect(report.violations).toEqual([]);
    expect(report.notApplicable).toEqual([{ policyName: "database-backups", urn: undefined, reason: "applies to production, not staging" }]);
  });
});
