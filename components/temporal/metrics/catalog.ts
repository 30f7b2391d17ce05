import type { RoleName } from "../roles";

/**
 * The Temporal server metrics the kit's alerts and dashboards use, each checked against
 * temporalio/temporal `common/metrics/metric_defs.go` (NewCounterDef, NewGaugeDef, NewTimerDef).
 *
 * How they reach Prometheus: the server config sets `global.metrics.prometheus` without a
 * `framework`, so the server uses its tally reporter (`MetricsHandlerFromConfig` takes the
 * OpenTelemetry path only for `framework: opentelemetry`). Tally exposes counters under their own
 * name (no `_total`), gauges as they are, and timers as Prometheus histograms (`timerType:
 * histogram`) with `_bucket`/`_sum`/`_count` series whose buckets are in seconds. Every series
 * carries `service_name` (the role; `ServiceNameTag`) and most carry `operation`. Tally's default
 * sanitizer turns every character outside [A-Za-z0-9_] into `_` in label values, so the
 * internal-frontend role reports as `internal_frontend`.
 */

export type MetricKind = "counter" | "gauge" | "timer";

export interface TemporalMetric {
  /** The name in metric_defs.go. */
  name: string;
  kind: MetricKind;
  /** What it measures, for dashboards and docs. */
  help: string;
}

const counter = (name: string, help: string): TemporalMetric => ({ name, kind: "counter", help });
const gauge = (name: string, help: string): TemporalMetric => ({ name, kind: "gauge", help });
const timer = (name: string, help: string): TemporalMetric => ({ name, kind: "timer", help });

export const METRICS = {
  serviceRequests: counter("service_requests", "gRPC requests a role received"),
  serviceErrors: counter("service_errors", "gRPC requests a role failed with an unexpected error"),
  serviceErrorWithType: counter("service_error_with_type", "gRPC errors by error_type"),
  serviceResourceExhausted: counter("service_errors_resource_exhausted", "requests refused with ResourceExhausted (rate limits)"),
  servicePanics: counter("service_panics", "panics recovered while serving a request"),
  serviceLatency: timer("service_latency", "gRPC request latency"),
  persistenceRequests: counter("persistence_requests", "calls to the default store"),
  persistenceErrors: counter("persistence_errors", "calls to the default store that failed"),
  persistenceLatency: timer("persistence_latency", "latency of calls to the default store"),
  visibilityPersistenceLatency: timer("visibility_persistence_latency", "latency of calls to the visibility store"),
  visibilityPersistenceErrors: counter("visibility_persistence_errors", "calls to the visibility store that failed"),
  lockLatency: timer("lock_latency", "time spent acquiring shard and workflow locks in history"),
  membershipChanged: counter("membership_changed_count", "changes of the membership ring a role saw"),
  shardsOwned: gauge("numshards_gauge", "history shards a history pod owns"),
  shardClosed: counter("shard_closed_count", "history shards closed, mostly on ownership loss"),
  shardOwnershipLost: counter("service_errors_shard_ownership_lost", "requests that failed because the shard moved"),
  shardAcquisitionLatency: timer("acquire_shards_latency", "time history takes to acquire its shards"),
  historyTaskScheduleToStart: timer("task_schedule_to_start_latency", "time history tasks wait before processing"),
  asyncMatchLatency: timer("asyncmatch_latency", "time a task waited in a matching backlog before a poller took it"),
  syncMatchLatency: timer("syncmatch_latency", "time to hand a task straight to a waiting poller"),
  pollSuccess: counter("poll_success", "polls that returned a task"),
  pollSuccessSync: counter("poll_success_sync", "polls that got a task without the backlog"),
  pollTimeouts: counter("poll_timeouts", "polls that returned empty"),
  backlogCount: gauge("approximate_backlog_count", "approximate tasks waiting in a task queue backlog"),
  workflowSuccess: counter("workflow_success", "workflows completed"),
  workflowFailed: counter("workflow_failed", "workflows failed"),
  workflowTimeout: counter("workflow_timeout", "workflows timed out"),
  restarts: counter("restarts", "server process starts"),
} as const satisfies Record<string, TemporalMetric>;

export type MetricKey = keyof typeof METRICS;

/** Prometheus's own per-target series: 1 while a scrape succeeds. */
export const SCRAPE_UP = "up";

/** The Prometheus series names a metric appears under. */
export function seriesOf(metric: TemporalMetric): string[] {
  return metric.kind === "timer" ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`] : [metric.name];
}

/** Every series name the kit may query: the alert and dashboard expressions use no other. */
export const KNOWN_SERIES: ReadonlySet<string> = new Set([SCRAPE_UP, ...Object.values(METRICS).flatMap(seriesOf)]);

/** The `service_name` label value a role reports under (tally's sanitizer turns `-` into `_`). */
export function serviceNameOf(role: RoleName): string {
  return role.replace(/[^A-Za-z0-9_]/g, "_");
}
