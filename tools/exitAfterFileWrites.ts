/**
 * Exits with `code` once the file writes in flight have finished. tsx writes each module it
 * transpiles to its cache asynchronously, and under Pulumi's mocks a whole program runs on
 * microtasks: exiting at once came before any of those writes and left every cache file opened but
 * empty. tsx reads an empty file as a miss, so each run transpiled every module again (about 0.7 s
 * of a 4 s synth) and left the files empty again.
 *
 * Nothing else is waited for, as with an exit at once: the tool's outcome is decided, and a program
 * that failed leaves Pulumi's rejected promises and sockets behind, which must neither keep the
 * process alive nor crash it after its own report.
 */
export async function exitAfterFileWrites(code: number): Promise<never> {
  process.on("unhandledRejection", () => undefined);
  while (process.getActiveResourcesInfo().some((resource) => resource.startsWith("FSReq"))) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  process.exit(code);
}
