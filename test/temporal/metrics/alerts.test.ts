import { describe, expect, it } from "vitest";
import { PRESETS } from "../../../components/config/presets";
import { temporalAlerts } from "../../../components/temporal/metrics/alerts";
import { KNOWN_SERIES } from "../../../components/temporal/metrics/catalog";
import { seriesIn } from "../../../components/temporal/metrics/promql";

const thresholds = PRESETS.production.observability.alerts.thresholds;
const ALL_ROLES = ["frontend", "history", "matching", "worker"] as const;
const alerts = temporalAlerts({ cluster: "temporal", roles: [...ALL_ROLES], thresholds });
const named = (name: string) => alerts.find((alert) => alert.name === name)!;

describe("the production alerts", () => {
  it("cover a missing role, errors, the data store, locks, shard and membership churn, backlogs, rate limits and panics", () => {
    expect(alerts.map((alert) => alert.name)).toEqual([
      "TemporalFrontendDown",
      "TemporalHistoryDown",
      "TemporalMatchingDown",
      "TemporalWorkerDown",
      "TemporalServiceErrorRateHigh",
      "TemporalPersistenceErrorRateHigh",
      "TemporalPersistenceLatencyHigh",
      "TemporalHistoryLockLatencyHigh",
      "TemporalShardOwnershipChurn",
      "TemporalMembershipFlapping",
      "TemporalTaskBacklogWaitHigh",
      "TemporalFrontendRateLimited",
      "TemporalServicePanics",
    ]);
  });

  it.each(alerts.map((alert) => [alert.name, alert] as const))("%s reads only series Temporal or Prometheus expose", (_, alert) => {
    const read = seriesIn(alert.expr);
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(KNOWN_SERIES, `${alert.name} reads ${name}`).toContain(name);
  });

  it.each(alerts.map((alert) => [alert.name, alert] as const))("%s is scoped to its cluster and explains itself", (_, alert) => {
    expect(alert.expr).toContain('temporal_cluster="temporal"');
    expect(alert.for).toMatch(/^[1-9][0-9]*m$/);
    expect(alert.summary.length).toBeGreaterThan(10);
    expect(alert.description.length).toBeGreaterThan(20);
    expect(alert.runbook.length).toBeGreaterThan(20);
    expect(alert.expr.split("(").length).toBe(alert.expr.split(")").length);
  });

  it("fires on a role with no successful scrape, whether its targets fail or vanish", () => {
    expect(named("TemporalHistoryDown").expr).toBe('absent(up{temporal_cluster="temporal", temporal_role="history"} == 1)');
    expect(named("TemporalHistoryDown").severity).toBe("critical");
  });

  it("compares each role's error ratio with the configured threshold", () => {
    const expr = named("TemporalServiceErrorRateHigh").expr;
    expect(expr).toContain('sum by (service_name) (rate(service_errors{temporal_cluster="temporal"}[5m]))');
    expect(expr).toContain('sum by (service_name) (rate(service_requests{temporal_cluster="temporal"}[5m]))');
    expect(expr).toMatch(/\) > 0\.05$/);
  });

  it("takes the p99 persistence latency per operation against the threshold in seconds", () => {
    expect(named("TemporalPersistenceLatencyHigh").expr).toBe(
      'histogram_quantile(0.99, sum by (service_name, operation, le) (rate(persistence_latency_bucket{temporal_cluster="temporal"}[5m]))) > 1',
    );
  });

  it("reads lock latency and backlog waits from the roles that emit them", () => {
    expect(named("TemporalHistoryLockLatencyHigh").expr).toContain('lock_latency_bucket{temporal_cluster="temporal", service_name="history"}');
    expect(named("TemporalTaskBacklogWaitHigh").expr).toContain('asyncmatch_latency_bucket{temporal_cluster="temporal", service_name="matching"}');
    expect(named("TemporalFrontendRateLimited").expr).toContain('service_errors_resource_exhausted{temporal_cluster="temporal", service_name="frontend"}');
  });

  it("follows the thresholds it is given", () => {
    const strict = temporalAlerts({ cluster: "temporal", roles: [...ALL_ROLES], thresholds: { ...thresholds, shardClosesPer10m: 7 } });
    expect(strict.find((alert) => alert.name === "TemporalShardOwnershipChurn")!.expr).toMatch(/> 7$/);
  });

  it("adds the internal frontend's down alert when that role runs, and leaves out role-specific alerts for roles that do not", () => {
    const names = temporalAlerts({ cluster: "temporal", roles: ["frontend", "internal-frontend"], thresholds }).map((alert) => alert.name);
    expect(names).toContain("TemporalInternalFrontendDown");
    expect(names).not.toContain("TemporalHistoryLockLatencyHigh");
    expect(names).not.toContain("TemporalTaskBacklogWaitHigh");
  });
});
