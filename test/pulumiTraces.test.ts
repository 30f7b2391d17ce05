import { runInThisContext } from "node:vm";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { skipUnreadStackTraces } from "../components/pulumiTraces";

/** A function named `name` whose frames say they are in `file`, returning the stack of an error it makes. */
const traceFrom = (file: string, name: string, message = ""): (() => string) =>
  runInThisContext(`(function ${name}() { return new Error(${JSON.stringify(message)}).stack; })`, { filename: file });

// Internal to the SDK (left out of its declarations), so typed here.
const { debuggablePromise } = debuggable as unknown as { debuggablePromise: (promise: Promise<unknown>, context: string) => Promise<unknown> };
const PULUMI = "/project/node_modules/@pulumi/pulumi";
const MAPPED = "mapped by the runner's source-map support";

describe("skipUnreadStackTraces", () => {
  let installed: typeof Error.prepareStackTrace;
  const debugging = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  beforeEach(() => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    installed = Error.prepareStackTrace;
    // Stands in for source-map-support, which Pulumi's runner installs before the program runs.
    Error.prepareStackTrace = (error) => `${String(error)} ${MAPPED}`;
  });
  afterEach(() => {
    Error.prepareStackTrace = installed;
    if (debugging === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = debugging;
  });

  it("leaves the trace of every promise Pulumi makes without frames and maps every other", () => {
    skipUnreadStackTraces();
    expect(traceFrom(`${PULUMI}/runtime/debuggable.js`, "debuggablePromise")()).toBe("Error");
    expect(traceFrom("/project/components/kit.ts", "debuggablePromise")()).toBe(`Error ${MAPPED}`);
    // An error thrown inside Pulumi's function itself has a message, and its trace is mapped.
    expect(traceFrom(`${PULUMI}/runtime/debuggable.js`, "debuggablePromise", "store is gone")()).toBe(`Error: store is gone ${MAPPED}`);
    expect(new Error("a program's own").stack).toBe(`Error: a program's own ${MAPPED}`);
  });

  it("keeps a resource's source position in a real run and skips it under the mocks", () => {
    const resourcePosition = traceFrom(`${PULUMI}/resource.js`, "callsites");
    skipUnreadStackTraces();
    expect(resourcePosition()).toBe(`Error ${MAPPED}`);

    // The mocks' variant after the real one (vitest runs both in one process) skips positions too.
    skipUnreadStackTraces({ resourcePositions: "skip" });
    expect(resourcePosition()).toBe("Error");
    expect(traceFrom(`${PULUMI}/runtime/debuggable.js`, "debuggablePromise")()).toBe("Error");
  });

  it("keeps every trace when a promise leak is being debugged", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    skipUnreadStackTraces();
    expect(traceFrom(`${PULUMI}/runtime/debuggable.js`, "debuggablePromise")()).toBe(`Error ${MAPPED}`);
  });

  it("recognizes the trace the pinned @pulumi/pulumi takes for each promise", () => {
    skipUnreadStackTraces();
    const promise = Promise.resolve();
    debuggablePromise(promise, "a promise");
    expect((promise as unknown as { _debugStackTrace: string })._debugStackTrace).toBe("Error");
  });
});
