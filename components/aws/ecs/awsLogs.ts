import type { ContainerDefinition, LogTarget } from "./containerDefinitions";

/** Where a container's output goes: the cluster's log group, under a stream prefix of its own. */
export function awsLogs(log: LogTarget, prefix: string): ContainerDefinition["logConfiguration"] {
  return {
    logDriver: "awslogs",
    options: { "awslogs-group": log.group, "awslogs-region": log.region, "awslogs-stream-prefix": prefix },
  };
}
