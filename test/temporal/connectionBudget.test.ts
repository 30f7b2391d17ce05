import { describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import { sqlConnectionsNeeded } from "../../components/temporal/connectionBudget";

describe("SQL connection budget", () => {
  it("counts two stores per pod, one surge pod per role, and room for jobs", () => {
    expect(sqlConnectionsNeeded([1, 1, 1, 1], 20)).toBe(8 * 2 * 20 + 20);
  });

  it("exceeds MySQL's default of 151 for the production preset", () => {
    const { frontend, history, matching, worker } = PRESETS.production.roles;
    const replicas = [frontend, history, matching, worker].map((role) => role.replicas);
    const persistence = PRESETS.production.persistence;
    if (!("pool" in persistence)) throw new Error("the production preset keeps Temporal in SQL");
    expect(sqlConnectionsNeeded(replicas, persistence.pool.maxConns)).toBeGreaterThan(151);
  });
});
