import { describe, expect, it } from "vitest";
import { inRollOrder, rollsAfter } from "../../components/temporal/rollOrder";
import type { RoleName } from "../../components/temporal/roles";

const core: RoleName[] = ["frontend", "history", "matching", "worker"];

describe("the order roles roll in", () => {
  it("moves the back end first: history, matching, frontend, then the system worker", () => {
    expect(inRollOrder(core)).toEqual(["history", "matching", "frontend", "worker"]);
  });

  it("rolls the internal frontend after the frontend and before the worker", () => {
    expect(inRollOrder([...core, "internal-frontend"])).toEqual(["history", "matching", "frontend", "internal-frontend", "worker"]);
  });

  it("starts with history, which waits for no other role", () => {
    expect(rollsAfter("history", core)).toBeUndefined();
  });

  it("chains each role to the enabled role just before it", () => {
    expect(core.map((role) => [role, rollsAfter(role, core)])).toEqual([
      ["frontend", "matching"],
      ["history", undefined],
      ["matching", "history"],
      ["worker", "frontend"],
    ]);
  });

  it("chains the worker to the internal frontend when it runs", () => {
    expect(rollsAfter("worker", [...core, "internal-frontend"])).toBe("internal-frontend");
  });
});
