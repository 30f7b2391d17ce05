import { proxyActivities, sleep } from "@temporalio/workflow";
// Types only: activity code must never be bundled into the workflow sandbox.
import type * as activities from "./activities";

const { compose } = proxyActivities<typeof activities>({
  startToCloseTimeout: "10 seconds",
  retry: { maximumAttempts: 5, initialInterval: "1 second" },
});

/** Greets through the `compose` activity, so the answer names the worker that ran it. */
export async function greet(name: string): Promise<string> {
  return await compose(name);
}

/**
 * Waits on a durable timer first: a run that spans a worker restart or a server upgrade, then
 * greets like `greet`.
 */
export async function sleepThenGreet(name: string, ms: number): Promise<string> {
  await sleep(ms);
  return await compose(name);
}
