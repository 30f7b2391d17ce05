/**
 * The worker image's build step: bundles the workflows to a file, as a production worker image
 * ships a prebuilt bundle. At run time the worker then loads it (WORKFLOW_BUNDLE_PATH) and needs
 * no bundler: @swc/core, which webpack's TypeScript loader uses, unpacks its native module into a
 * cache it must own, and a read-only root with an emptyDir /tmp (mode 0777, no sticky bit, as the
 * kubelet makes it) offers none. Usage: tsx bundle.ts <output file>
 */
import { writeFileSync } from "node:fs";
import { bundleWorkflowCode, DefaultLogger } from "@temporalio/worker";
import { workflowBundleOptions } from "./workflowBundle";

async function main(): Promise<void> {
  const output = process.argv[2];
  if (!output) throw new Error("usage: tsx bundle.ts <output file>");
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger("WARN") });
  writeFileSync(output, bundle.code);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
