import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/parse";

const SOURCE = "stacks/Pulumi.test.yaml";

function problemsOf(dynamicConfig: Record<string, unknown>): StackConfigError["problems"] {
  try {
    parseStackConfig({ environment: "dev", temporal: { dynamicConfig } }, SOURCE);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("dynamic config values", () => {
  it.each([
    ["a bare number", { "frontend.namespaceRPS": 2400 }],
    ["a bare map", { "frontend.namespaceRPS": 2400, "limit.maxIDLength": 255 }],
    ["values per namespace and task queue", { "matching.numTaskqueueReadPartitions": [{ value: 8, constraints: { namespace: "orders", taskQueueName: "fulfil", taskType: "Workflow" } }, { value: 4 }] }],
    ["a list value wrapped in an entry", { "frontend.namespaceRPS": [{ value: [1, 2] }] }],
  ])("accepts %s", (_, dynamicConfig) => {
    expect(problemsOf(dynamicConfig)).toEqual([]);
  });

  it("refuses a constraint Temporal does not know, which would make the server drop the whole file", () => {
    expect(problemsOf({ "frontend.namespaceRPS": [{ value: 10, constraints: { shard: 3 } }] })).toEqual([
      {
        key: 'temporal.dynamicConfig["frontend.namespaceRPS"][0].constraints.shard',
        given: 3,
        allowed: "is not a constraint Temporal knows; use namespace, namespaceID, taskQueueName, taskType, historyTaskType, shardID, destination",
      },
    ]);
  });

  it("refuses a shard id given as text", () => {
    expect(problemsOf({ "history.transferProcessorSchedulerWorkerCount": [{ value: 2, constraints: { shardID: "3" } }] })).toEqual([
      { key: 'temporal.dynamicConfig["history.transferProcessorSchedulerWorkerCount"][0].constraints.shardID', given: "3", allowed: "must be a shard number from 1" },
    ]);
  });

  it("refuses a task type Temporal does not spell that way", () => {
    const [problem] = problemsOf({ "frontend.namespaceRPS": [{ value: 10, constraints: { taskType: "workflow" } }] });
    expect(problem.allowed).toBe("must be one of Workflow, Activity, Nexus");
  });

  it("refuses an entry without a value", () => {
    const [problem] = problemsOf({ "frontend.namespaceRPS": [{ constraints: { namespace: "orders" } }] });
    expect(problem.key).toBe('temporal.dynamicConfig["frontend.namespaceRPS"][0]');
    expect(problem.allowed).toMatch(/^must be a \{ value, constraints \} entry/);
  });

  it("refuses an empty list", () => {
    expect(problemsOf({ "frontend.namespaceRPS": [] })[0].allowed).toBe("must list at least one { value, constraints } entry");
  });

  it("refuses nothing as a value", () => {
    expect(problemsOf({ "frontend.namespaceRPS": null })[0].allowed).toMatch(/^must be a value/);
  });
});
