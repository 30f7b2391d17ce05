/**
 * Imported first by worker.ts and client.ts (CommonJS keeps import order): when the SDK cannot be
 * found from where this directory is mounted, say how to fix it instead of a bare MODULE_NOT_FOUND.
 * /app (the runner's bind mount of this directory) has no node_modules above it.
 */
for (const name of ["@temporalio/worker", "@temporalio/client"]) {
  try {
    require.resolve(name);
  } catch {
    process.stderr.write(
      `cannot find ${name} from ${__dirname}: set NODE_PATH to the kit's node_modules ` +
        `(e.g. NODE_PATH=/work/main/node_modules) or mount that directory at ${__dirname}/node_modules\n`,
    );
    process.exit(2);
  }
}
