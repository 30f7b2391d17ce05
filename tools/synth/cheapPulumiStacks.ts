/**
 * Pulumi records a stack trace for every promise it makes (runtime/debuggable.js, read only by its
 * leak report) and every resource it registers (resource.js `callsites`: the source position sent
 * to the engine, which the mocks ignore). Each trace is source-mapped frame by frame: under the
 * test runner some 80,000 traces, a third of the component tests' CPU, and a sixth of a synth's.
 * Under the mocks only (the synth, the tests), those two traces are left without frames; every
 * other trace, a failing test's or a crash's above all, is mapped as before. Debugging a promise
 * leak (PULUMI_DEBUG_PROMISE_LEAKS) keeps them all.
 */
const BOOKKEEPING: [RegExp, string][] = [
  [/[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/, "debuggablePromise"],
  [/[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/, "callsites"],
];

type Prepare = (error: Error, callSites: NodeJS.CallSite[]) => unknown;
const MARK = Symbol.for("temporal-kit:cheap-pulumi-stacks");

const plain = (error: Error, callSites: NodeJS.CallSite[]) => [String(error), ...callSites.map((site) => `    at ${site}`)].join("\n");

function isBookkeeping(callSites: NodeJS.CallSite[]): boolean {
  const first = callSites[0];
  if (!first) return false;
  const file = first.getFileName() ?? "";
  const fn = first.getFunctionName() ?? "";
  return BOOKKEEPING.some(([path, name]) => fn === name && path.test(file));
}

// Test files share a process (isolate: false) and each runs this again: wrap once.
const current = Error.prepareStackTrace as (Prepare & { [MARK]?: true }) | undefined;
if (!current?.[MARK] && !process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
  const mapped = current;
  const prepare: Prepare & { [MARK]?: true } = (error, callSites) => {
    if (isBookkeeping(callSites)) return String(error);
    return mapped ? mapped(error, callSites) : plain(error, callSites);
  };
  prepare[MARK] = true;
  Error.prepareStackTrace = prepare as typeof Error.prepareStackTrace;
}
