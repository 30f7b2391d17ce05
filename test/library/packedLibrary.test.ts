import { beforeAll, describe, expect, it } from "vitest";
import { type PackedRun, packedLibraryRun } from "./packedLibrary";

// Cold (a changed kit, example or packaging): build, pack, type-check and run, a minute or more on a
// busy two-core machine. Warm: the cached results of that run (packedLibrary.ts).
const COLD_RUN_MS = 5 * 60_000;

let packed: PackedRun;
beforeAll(async () => {
  packed = await packedLibraryRun();
}, COLD_RUN_MS);

describe("the kit packed with npm pack, as another Pulumi program installs it", () => {
  it("ships the compiled library, its declarations and the README, and no sources, tests, tools or stacks", () => {
    const outsideDist = packed.packedFiles.filter((path) => !path.startsWith("dist/"));
    expect(outsideDist.sort()).toEqual(expect.arrayContaining(["README.md", "package.json"]));
    expect(outsideDist.filter((path) => !["README.md", "package.json", "LICENSE"].includes(path))).toEqual([]);
    expect(packed.packedFiles.filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"))).toEqual([]);
    expect(packed.packedFiles).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/config/index.d.ts", "dist/platforms/index.d.ts"]));
  });

  it("ships the files its components read beside themselves at run time", () => {
    expect(packed.packedFiles).toEqual(expect.arrayContaining(["dist/temporal/dynamic-config-keys.txt", "dist/aws/ecs/runOneOffTask.js"]));
  });

  it("builds the example's TemporalCluster from typed arguments, under the cluster name and namespace it gives", () => {
    const clusters = packed.resources.filter((resource) => resource.type === "temporal-kit:index:TemporalCluster");
    expect(clusters.map((cluster) => cluster.name)).toEqual(["orders"]);
    const deployments = packed.resources.filter((resource) => resource.type === "kubernetes:apps/v1:Deployment");
    expect(deployments.map((deployment) => deployment.name)).toEqual(
      expect.arrayContaining(["orders-frontend-deployment", "orders-history-deployment", "orders-matching-deployment", "orders-worker-deployment"]),
    );
    expect(new Set(deployments.map((deployment) => deployment.namespace))).toEqual(new Set(["orders-temporal"]));
  });

  it("sets up the schema before the roles and registers the example's Temporal namespace", () => {
    const jobs = packed.resources.filter((resource) => resource.type === "kubernetes:batch/v1:Job").map((job) => job.name);
    expect(jobs).toEqual(expect.arrayContaining(["orders-schema-job", "orders-ns-orders-job"]));
  });

  it("exports what the example's stack outputs name", () => {
    expect(packed.outputs).toEqual({
      frontendAddress: "orders-frontend.orders-temporal.svc.cluster.local:7233",
      kubernetesNamespace: "orders-temporal",
      temporalNamespaces: ["orders"],
    });
  });
});
