import { describe, expect, it } from "vitest";
import { deletionProtection } from "../../../policy/rules/deletionProtection";
import { messagesOf, record } from "../harness";

describe("deletion-protection", () => {
  it("reports a production RDS instance without deletion protection or final snapshot", async () => {
    const messages = await messagesOf(deletionProtection, [record("aws:rds/instance:Instance", "db", { deletionProtection: false, skipFinalSnapshot: true })]);
    expect(messages).toEqual(["db: deletionProtection is not on.", "db: skipFinalSnapshot is on, deleting it keeps no snapshot."]);
  });

  it("accepts a protected production instance", async () => {
    expect(await messagesOf(deletionProtection, [record("aws:rds/instance:Instance", "db", { deletionProtection: true, skipFinalSnapshot: false })])).toEqual([]);
  });

  it("leaves dev databases deletable", async () => {
    expect(await messagesOf(deletionProtection, [record("aws:rds/instance:Instance", "db", { deletionProtection: false })], "dev")).toEqual([]);
  });
});
