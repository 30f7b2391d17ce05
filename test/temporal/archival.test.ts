import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArchivalSpec, archivalServerConfig, archivalUri, namespaceArchivalFlags } from "../../components/temporal/archival";
import { buildServerConfig } from "../../components/temporal/serverConfig";

const KNOWN_KEYS = new Set(readFileSync(join(__dirname, "..", "fixtures", "temporal-config-keys.txt"), "utf8").split("\n").filter(Boolean));
const both: ArchivalSpec = { bucket: "temporal-archival-abc", region: "eu-west-1", history: true, visibility: true };
const historyOnly: ArchivalSpec = { ...both, visibility: false };
const viaGateway: ArchivalSpec = { ...both, bucket: "temporal-archival", region: "us-east-1", endpoint: "http://gateway.temporal.svc.cluster.local:8080" };

/** Temporal's own check (common/config/archival.go): enabled needs a provider and a default URI; disabled, neither. */
function temporalAccepts(cluster: Record<string, any>, defaults: Record<string, any>): boolean {
  const enabled = cluster.state === "enabled";
  const uriSet = Boolean(defaults.URI);
  const validEnabled = enabled && uriSet && cluster.provider !== undefined;
  const validDisabled = !enabled && !cluster.enableRead && defaults.state !== "enabled" && !uriSet && cluster.provider === undefined;
  return validEnabled || validDisabled;
}

function keysOf(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

describe("archival server config", () => {
  it("is disabled throughout without an archive", () => {
    expect(archivalServerConfig(undefined)).toEqual({
      archival: { history: { state: "disabled" }, visibility: { state: "disabled" } },
      namespaceDefaults: { archival: { history: { state: "disabled" }, visibility: { state: "disabled" } } },
    });
  });

  it("configures the S3 archiver for both kinds, readable, with each kind's prefix as the namespace default", () => {
    expect(archivalServerConfig(both)).toEqual({
      archival: {
        history: { state: "enabled", enableRead: true, provider: { s3store: { region: "eu-west-1" } } },
        visibility: { state: "enabled", enableRead: true, provider: { s3store: { region: "eu-west-1" } } },
      },
      namespaceDefaults: {
        archival: {
          history: { state: "enabled", URI: "s3://temporal-archival-abc/history" },
          visibility: { state: "enabled", URI: "s3://temporal-archival-abc/visibility" },
        },
      },
    });
  });

  it("leaves a kind the cluster does not archive without provider or URI", () => {
    const { archival, namespaceDefaults } = archivalServerConfig(historyOnly) as Record<string, any>;
    expect(archival.visibility).toEqual({ state: "disabled" });
    expect(namespaceDefaults.archival.visibility).toEqual({ state: "disabled" });
  });

  it("sends an S3-compatible endpoint's requests there, with the bucket in the path", () => {
    const { archival, namespaceDefaults } = archivalServerConfig(viaGateway) as Record<string, any>;
    const s3store = { region: "us-east-1", endpoint: "http://gateway.temporal.svc.cluster.local:8080", s3ForcePathStyle: true };
    expect(archival.history.provider).toEqual({ s3store });
    expect(archival.visibility.provider).toEqual({ s3store });
    expect(namespaceDefaults.archival.history.URI).toBe("s3://temporal-archival/history");
  });

  it("names no endpoint for Amazon S3 itself, so the SDK finds the bucket's regional one", () => {
    const { archival } = archivalServerConfig(both) as Record<string, any>;
    expect(Object.keys(archival.history.provider.s3store)).toEqual(["region"]);
  });

  it.each([
    ["off", undefined],
    ["both kinds", both],
    ["history only", historyOnly],
    ["through an S3-compatible endpoint", viaGateway],
  ])("passes Temporal's own archival validation (%s)", (_, spec) => {
    const { archival, namespaceDefaults } = archivalServerConfig(spec) as Record<string, any>;
    for (const kind of ["history", "visibility"]) {
      expect(temporalAccepts(archival[kind], namespaceDefaults.archival[kind]), kind).toBe(true);
    }
  });

  it("uses only keys Temporal's config structs define", () => {
    expect(keysOf(archivalServerConfig(both)).filter((key) => !KNOWN_KEYS.has(key))).toEqual([]);
    expect(keysOf(archivalServerConfig(viaGateway)).filter((key) => !KNOWN_KEYS.has(key))).toEqual([]);
  });

  it("is what the whole server config carries", () => {
    const config = buildServerConfig({
      numHistoryShards: 4,
      logLevel: "info",
      defaultStore: { plugin: "mysql8", host: "db", port: 3306, database: "temporal", user: "temporal", passwordEnv: "P", pool: { maxConns: 1, maxIdleConns: 1, maxConnLifetime: "1h" } },
      visibilityStore: { plugin: "mysql8", host: "db", port: 3306, database: "vis", user: "temporal", passwordEnv: "P", pool: { maxConns: 1, maxIdleConns: 1, maxConnLifetime: "1h" } },
      roles: ["frontend", "history", "matching", "worker"],
      frontendAddress: "fe:7233",
      archival: both,
    });
    expect({ archival: config.archival, namespaceDefaults: config.namespaceDefaults }).toEqual(archivalServerConfig(both));
  });
});

describe("a declared namespace's archival flags", () => {
  it("are absent when the cluster does not archive", () => {
    expect(namespaceArchivalFlags(undefined, { history: "enabled" })).toBeUndefined();
  });

  it("follow the cluster when the namespace says nothing, each enabled kind with its URI", () => {
    expect(namespaceArchivalFlags(both, undefined)).toEqual({
      historyState: "enabled",
      historyUri: archivalUri("temporal-archival-abc", "history"),
      visibilityState: "enabled",
      visibilityUri: "s3://temporal-archival-abc/visibility",
    });
  });

  it("state an opt-out explicitly and give it no URI, which Temporal would fix for good", () => {
    expect(namespaceArchivalFlags(both, { history: "disabled" })).toEqual({
      historyState: "disabled",
      visibilityState: "enabled",
      visibilityUri: "s3://temporal-archival-abc/visibility",
    });
  });

  it("keep a kind the cluster does not archive disabled", () => {
    expect(namespaceArchivalFlags(historyOnly, undefined)).toEqual({
      historyState: "enabled",
      historyUri: "s3://temporal-archival-abc/history",
      visibilityState: "disabled",
    });
  });
});
