import { beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../components/config/parse";
import { PERSISTENCE_PRESETS, VISIBILITY_PRESETS } from "../../components/config/storePresets";
import { STORE_KINDS, kindOfHosting, kindOfVisibilityStore } from "../../components/stores/kinds";
import { inClusterStores, outOfClusterStorePorts, sqlPoolOf } from "../../components/stores/layout";
import type { DefaultStoreSpec, VisibilityStoreSpec } from "../../components/temporal/serverConfig";
import { promiseOf, startMockRuntime } from "../helpers/mockRuntime";

const SOURCE = "stacks/Pulumi.layout.yaml";

describe("store kinds", () => {
  it("has exactly one kind for every hosting and search store the config offers", () => {
    const hostings = [...new Set([...Object.values(PERSISTENCE_PRESETS).flatMap((presets) => Object.keys(presets)), "external"])];
    for (const hosting of hostings) expect(STORE_KINDS.filter((kind) => "hosting" in kind.selectedBy && kind.selectedBy.hosting === hosting)).toHaveLength(1);
    expect(kindOfVisibilityStore("elasticsearch").name).toBe("in-cluster-elasticsearch");
    expect(kindOfVisibilityStore("opensearch").name).toBe("opensearch");
    expect(Object.keys(VISIBILITY_PRESETS.dev).filter((store) => store !== "sql")).toEqual(["elasticsearch", "opensearch"]);
  });

  it("refuses a hosting no kind claims, rather than guessing", () => {
    expect(() => kindOfHosting("on-a-floppy")).toThrow(/no store kind has hosting on-a-floppy/);
  });
});

describe("store layout", () => {
  beforeAll(async () => {
    await startMockRuntime();
  });

  it("opens in-cluster Cassandra (with its peers and auth job) and Elasticsearch, in the kinds' order", () => {
    const config = parseStackConfig({ environment: "dev", persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "elasticsearch" } }, SOURCE);
    expect(inClusterStores(config)).toEqual([
      { component: "cassandra", port: 9042, peerPort: 7000, ownClients: ["cassandra-auth"] },
      { component: "elasticsearch", port: 9200 },
    ]);
    expect(sqlPoolOf(config)).toEqual({ maxConns: 0 });
  });

  it("opens the in-cluster MySQL server for both stores, and no port outside", async () => {
    const config = parseStackConfig({ environment: "dev" }, SOURCE);
    expect(inClusterStores(config)).toEqual([{ component: "mysql", port: 3306 }]);
    const spec = { plugin: "mysql8", host: "temporal-mysql", port: 3306, database: "temporal", user: "temporal", passwordEnv: "X", pool: { maxConns: 20, maxIdleConns: 20, maxConnLifetime: "1h" } } as DefaultStoreSpec;
    const ports = await promiseOf(outOfClusterStorePorts(config, { defaultStore: pulumi.output(spec), visibilityStore: pulumi.output(spec as VisibilityStoreSpec) }));
    expect(ports).toEqual([]);
  });
});
