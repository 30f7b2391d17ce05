// The errors module alone: config is parsed by tools that never load the Pulumi runtime.
import { RunError } from "@pulumi/pulumi/errors";

export interface ConfigProblem {
  /** Key path under the `temporal-kit:` namespace, e.g. `temporal.numHistoryShards`. */
  key: string;
  given: unknown;
  allowed: string;
}

export const CONFIG_NAMESPACE = "temporal-kit";

export function formatProblem(source: string, problem: ConfigProblem): string {
  return `${source}: ${CONFIG_NAMESPACE}:${problem.key}: given ${describe(problem.given)}; ${problem.allowed}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Invalid stack config. A RunError, so `pulumi up` prints the messages without a stack trace.
 */
export class StackConfigError extends RunError {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      [`Invalid stack config in ${source}:`, ...problems.map((problem) => `  ${formatProblem(source, problem)}`)].join(
        "\n",
      ),
    );
    this.name = "StackConfigError";
  }
}
