import { dirname, join } from "node:path";
import type { BundleOptions } from "@temporalio/worker";

/**
 * The directory `@temporalio/workflow` resolves from in this process. Webpack looks modules up
 * from the workflow file's directory upwards; /app (the bind-mounted worker directory) has no
 * node_modules above it, so the bundle is told where this process found its own.
 */
function nodeModulesOfWorkflowPackage(): string {
  let dir = dirname(require.resolve("@temporalio/workflow"));
  while (!dir.endsWith("/node_modules") && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** How the workflows are bundled, at image build time (bundle.ts) or at start (worker.ts). */
export function workflowBundleOptions(): Pick<BundleOptions, "workflowsPath" | "webpackConfigHook"> {
  return {
    workflowsPath: join(__dirname, "workflows.ts"),
    webpackConfigHook: (config) => {
      const modules = config.resolve?.modules ?? ["node_modules"];
      return { ...config, resolve: { ...config.resolve, modules: [...modules, nodeModulesOfWorkflowPackage()] } };
    },
  };
}
