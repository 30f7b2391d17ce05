import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/parse";

/** What the config refuses in a stack file's raw values; a config it accepts fails the test. */
export function configProblems(raw: Record<string, unknown>, source: string): StackConfigError["problems"] {
  try {
    parseStackConfig(raw, source);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error("config was accepted");
}
