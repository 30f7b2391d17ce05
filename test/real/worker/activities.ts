import { hostname } from "node:os";

/**
 * Which worker ran an activity: the pod's name, as Kubernetes sets HOSTNAME in every container,
 * else the machine's (UTS) host name. Each replica of a pool answers with its own.
 */
export function workerName(): string {
  return process.env.HOSTNAME?.trim() || hostname();
}

/** Composes the greeting on whichever worker picked up the activity task. */
export async function compose(name: string): Promise<string> {
  return `Hello, ${name} (from ${workerName()})`;
}
