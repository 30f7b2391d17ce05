/**
 * Exits with `code` once the file writes in flight have finished, or after a few seconds at most.
 * tsx writes each module it transpiles to its cache asynchronously, and under Pulumi's mocks a whole
 * program runs on microtasks: exiting at once came before any of those writes and left every cache
 * file opened but empty. tsx reads an empty file as a miss, so each run transpiled every module
 * again (about 0.7 s of a 4.5 s synth of production-ecs here) and left the files empty again.
 *
 * Nothing else is waited for, as with an exit at once: the tool's outcome is decided, and a program
 * that failed leaves Pulumi's rejected promises and sockets behind, which must neither keep the
 * process alive nor crash it after its own report. The deadline bounds the wait for a write that does
 * not end (a FIFO, a hung mount).
 */
export async function exitAfterFileWrites(code: number): Promise<never> {
  process.on("unhandledRejection", () => undefined);
  const deadline = performance.now() + WRITES_DEADLINE_MS;
  try {
    while (process.getActiveResourcesInfo().some((resource) => resource.startsWith("FSReq")) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    process.exit(code);
  }
}

const WRITES_DEADLINE_MS = 5_000;
