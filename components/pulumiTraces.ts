/**
 * Pulumi takes a stack trace for every promise it makes (`debuggablePromise`, runtime/debuggable.js in
 * @pulumi/pulumi 3.270.0), one per output property of every resource, and reads it only to report
 * leaked promises when PULUMI_DEBUG_PROMISE_LEAKS is set (`promiseDebugString`). Its runner has
 * installed source-map-support (cmd/run/index.js), which maps such a trace frame by frame: about 1.7 s
 * of a 6 s `pulumi preview` of production-ecs (npm run bench, language host row). Those traces are
 * left without frames; every other trace, an error's above all, is mapped as before, and debugging a
 * promise leak keeps them all.
 *
 * Under the mocks (the synth, the tests) the trace of each registration (resource.js `callsites`,
 * the source position sent to the engine, which the mocks ignore) goes as well; a real run keeps it.
 */
export function skipUnreadStackTraces(options: { resourcePositions: "keep" | "skip" } = { resourcePositions: "keep" }): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
  const unread = options.resourcePositions === "skip" ? [PROMISE_TRACE, RESOURCE_TRACE] : [PROMISE_TRACE];
  const current = Error.prepareStackTrace as Prepare | undefined;
  // Test files share a process (vitest's isolate: false) and each installs it again: wrap once.
  if (unread.every((trace) => current?.[SKIPPED]?.includes(trace))) return;
  const prepare: Prepare = (error, callSites) => {
    if (isUnread(error, callSites, unread)) return String(error);
    return current ? current(error, callSites) : plain(error, callSites);
  };
  prepare[SKIPPED] = unread;
  Error.prepareStackTrace = prepare as typeof Error.prepareStackTrace;
}

type Trace = [file: RegExp, functionName: string];
type Prepare = ((error: Error, callSites: NodeJS.CallSite[]) => unknown) & { [SKIPPED]?: Trace[] };

const SKIPPED = Symbol.for("temporal-kit:skipped-stack-traces");
const PROMISE_TRACE: Trace = [/[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/, "debuggablePromise"];
const RESOURCE_TRACE: Trace = [/[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/, "callsites"];

const plain = (error: Error, callSites: NodeJS.CallSite[]) => [String(error), ...callSites.map((site) => `    at ${site}`)].join("\n");

/** Pulumi's own `new Error()`, made in one of the unread functions; an error thrown there has a message and keeps its trace. */
function isUnread(error: Error, callSites: NodeJS.CallSite[], unread: Trace[]): boolean {
  const first = callSites[0];
  if (!first || String(error) !== "Error") return false;
  const file = first.getFileName() ?? "";
  const name = first.getFunctionName() ?? "";
  return unread.some(([path, functionName]) => name === functionName && path.test(file));
}
