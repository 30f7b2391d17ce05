import { join } from "node:path";
import { parseArgs } from "node:util";
import { LocalCluster } from "./cluster";
import { readSynth } from "./manifests";

/**
 * `npm run local -- --stack <name>`: runs what `npm run synth -- --stack <name>` wrote to
 * out/<name>/ on this machine until Ctrl-C, then tears it down. See docs/local-runner.md.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stack: { type: "string" }, out: { type: "string" } } });
  if (!values.stack && !values.out) {
    console.error("usage: npm run local -- --stack <name> [--out <synth dir>]   (run `npm run synth -- --stack <name>` first; needs root)");
    return 2;
  }
  const synth = readSynth(values.out ?? join("out", values.stack!));
  const cluster = new LocalCluster();
  const stop = async () => {
    console.log("\ntearing down…");
    await cluster.down();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  await cluster.up();
  try {
    await cluster.apply(synth);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await cluster.down();
    return 1;
  }
  for (const pod of cluster.allPods()) console.log(`${pod.ready ? "ready " : pod.phase.padEnd(6)} ${pod.address.ip.padEnd(13)} ${pod.name}`);
  const notEnforced = cluster.notEnforced();
  if (notEnforced.length) console.log(`\nstored but not enforced here: ${notEnforced.join(", ")}`);
  console.log(`\nlogs: ${join(cluster.runDir, "logs")}; pods are reachable from this machine at their addresses. Ctrl-C tears everything down.`);
  await new Promise(() => undefined);
  return 0;
}

main().then((code) => process.exit(code));
