import { z } from "zod";

/**
 * One dynamic config value: a bare value that applies everywhere, or a list of values each with
 * its own constraints. Temporal rejects the whole file when any constraint is malformed (an
 * unknown constraint name, a shard id given as text): a running server then keeps its old values
 * with only a log line, and a starting one fails. So constraints are checked here, by the names
 * and types Temporal's file-based client accepts.
 */

const TASK_TYPES = ["Workflow", "Activity", "Nexus"];
const text = (value: unknown) => typeof value === "string" && value.length > 0;
const CONSTRAINTS: Record<string, { valid: (value: unknown) => boolean; expected: string }> = {
  namespace: { valid: text, expected: "a namespace name" },
  namespaceID: { valid: text, expected: "a namespace id" },
  taskQueueName: { valid: text, expected: "a task queue name" },
  taskType: { valid: (value) => TASK_TYPES.includes(value as string), expected: `one of ${TASK_TYPES.join(", ")}` },
  historyTaskType: { valid: text, expected: "a history task type such as Transfer or Timer" },
  shardID: { valid: (value) => Number.isInteger(value) && (value as number) >= 1, expected: "a shard number from 1" },
  destination: { valid: text, expected: "a destination name" },
};
const CONSTRAINT_NAMES = Object.keys(CONSTRAINTS).join(", ");

interface ValueProblem {
  path: (string | number)[];
  input: unknown;
  message: string;
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

export function dynamicConfigValueProblems(value: unknown): ValueProblem[] {
  if (!Array.isArray(value)) {
    return ["string", "number", "boolean"].includes(typeof value) || isMap(value)
      ? []
      : [{ path: [], input: value, message: "must be a value (text, number, true/false or a map) or a list of { value, constraints } entries" }];
  }
  if (value.length === 0) return [{ path: [], input: value, message: "must list at least one { value, constraints } entry" }];
  return value.flatMap((entry, index): ValueProblem[] => {
    if (!isMap(entry) || !("value" in entry) || Object.keys(entry).some((key) => key !== "value" && key !== "constraints")) {
      return [{ path: [index], input: entry, message: "must be a { value, constraints } entry; to set a list as the value, write [{ value: [...] }]" }];
    }
    if (entry.constraints === undefined) return [];
    if (!isMap(entry.constraints)) return [{ path: [index, "constraints"], input: entry.constraints, message: `must be a map of constraints (${CONSTRAINT_NAMES})` }];
    return Object.entries(entry.constraints).flatMap(([name, given]): ValueProblem[] => {
      const rule = CONSTRAINTS[name];
      if (!rule) return [{ path: [index, "constraints", name], input: given, message: `is not a constraint Temporal knows; use ${CONSTRAINT_NAMES}` }];
      return rule.valid(given) ? [] : [{ path: [index, "constraints", name], input: given, message: `must be ${rule.expected}` }];
    });
  });
}

export const dynamicConfigValue = z.unknown().superRefine((value, ctx) => {
  for (const problem of dynamicConfigValueProblems(value)) ctx.addIssue({ code: "custom", ...problem });
});
