import { runInThisContext } from "node:vm";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { skipUnreadStackTraces } from "../components/pulumiTraces";

/** A function named `name` whose frames say they are in `file`, returning a fresh error's stack. */
const traceFrom = (file: string, name: string): (() => string) => runInThisContext(`(function ${name}() { return new Error("traced").stack; })`, { filename: file });

// Internal to the SDK (left out of its declarations), so typed here.
const { debuggablePromise } = debuggable as unknown as { debuggablePromise: (promise: Promise<unknown>, context: string) => Promise<unknown> };
const PULUMI = "/project/node_modules/@pulumi/pulumi";
const MAPPED = "mapped by the runner's source-map support";

describe("skipUnreadStackTraces", () => {
  let installed: typeof Error.prepareStackTrace;
  beforeEach(() => {
    installed = Error.prepareStackTrace;
    // Stands in for source-map-support, which Pulumi's runner installs before the program runs.
    Error.prepareStackTrace = (error) => `${String(error)} ${MAPPED}`;
  });
  afterEach(() => {
    Error.prepareStackTrace = installed;
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  });

  it("leaves the trace of every promise Pulumi makes without frames and maps every other", () => {
    skipUnreadStackTraces();
    expect(traceFrom(`${PULUMI}/runtime/debuggable.js`, "debuggablePromise")()).toBe("Error: traced");
    expect(traceFrom("/project/components/kit.ts", "debuggablePromise")()).toBe(`Error: traced ${MAPPED}`);
    expect(new Error("a program's own").stack).toBe(`Error: a program's own ${MAPPED}`);
  });

  it("keeps a resource's source position in a real run and skips it under the mocks", () => {
    const resourcePosition = traceFrom(`${PULUMI}/resource.js`, "callsites");
    skipUnreadStackTraces();
    expect(resourcePosition()).toBe(`Error: traced ${MAPPED}`);

    Error.prepareStackTrace = (error) => `${String(error)} ${MAPPED}`;
    skipUnreadStackTraces({ resourcePositions: "skip" });
    expect(resourcePosition()).toBe("Error: traced");
  });

  it("keeps every trace when a promise leak is being debugged", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    skipUnreadStackTraces();
    expect(traceFrom(`${PULUMI}/runtime/debuggable.js`, "debuggablePromise")()).toBe(`Error: traced ${MAPPED}`);
  });

  it("recognizes the trace the pinned @pulumi/pulumi takes for each promise", () => {
    skipUnreadStackTraces();
    const promise = Promise.resolve();
    debuggablePromise(promise, "a promise");
    expect((promise as unknown as { _debugStackTrace: string })._debugStackTrace).toBe("Error");
  });
});
