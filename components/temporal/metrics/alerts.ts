import type { RoleName } from "../roles";
import { METRICS, serviceNameOf } from "./catalog";
import { Matchers, quantile, ratio, scrapeUp, sumIncrease } from "./promql";

/**
 * The alerts of Temporal's production guidance for a self-hosted cluster, as data: a role that
 * stops reporting, failing requests, a slow or failing data store, history lock contention, shard
 * and membership churn, tasks waiting in backlogs, and rate limiting at the frontend.
 */

export type Severity = "critical" | "warning";

export interface TemporalAlert {
  name: string;
  expr: string;
  /** How long the condition must hold before the alert fires. */
  for: string;
  severity: Severity;
  summary: string;
  description: string;
  /** The first thing to check when it fires. */
  runbook: string;
}

/** Labels the kit's scrape configuration puts on every series of the cluster (see the ServiceMonitor). */
export const CLUSTER_LABEL = "temporal_cluster";
export const ROLE_LABEL = "temporal_role";

/** The levels at which the alerts fire (the stack file's `observability.alerts.thresholds`). */
export interface AlertThresholds {
  /** Share of a role's requests that fail. */
  serviceErrorRatio: number;
  /** Share of persistence requests that fail. */
  persistenceErrorRatio: number;
  persistenceLatencyP99Seconds: number;
  /** Time history waits on its shard and workflow locks. */
  lockLatencyP99Seconds: number;
  /** Time a task waits in a matching backlog before a worker takes it. */
  taskBacklogWaitP95Seconds: number;
  /** Share of frontend requests refused with ResourceExhausted (rate limits). */
  resourceExhaustedRatio: number;
  /** Membership ring changes per role in 10 minutes beyond which pods are flapping. */
  membershipChangesPer10m: number;
  /** History shards closed in 10 minutes beyond which shard ownership is churning. */
  shardClosesPer10m: number;
}

export interface AlertArgs {
  cluster: string;
  roles: RoleName[];
  thresholds: AlertThresholds;
}

const WINDOW = "5m";
const percent = (fraction: number) => `${+(fraction * 100).toFixed(2)}%`;

export function temporalAlerts(args: AlertArgs): TemporalAlert[] {
  const { thresholds: t } = args;
  const cluster: Matchers = { [CLUSTER_LABEL]: args.cluster };
  const role = (name: RoleName): Matchers => ({ ...cluster, service_name: serviceNameOf(name) });
  const has = (name: RoleName) => args.roles.includes(name);

  const roleDown = args.roles.map(
    (name): TemporalAlert => ({
      name: `Temporal${pascal(name)}Down`,
      // absent(... == 1) fires both when no target of the role exists and when every one fails.
      expr: `absent(${scrapeUp({ ...cluster, [ROLE_LABEL]: name })} == 1)`,
      for: "5m",
      severity: "critical",
      summary: `No ${name} pod of Temporal cluster ${args.cluster} is serving metrics`,
      description: `Prometheus has had no successful scrape of any ${name} pod for 5 minutes: the role is down, crash-looping, or unreachable on its metrics port.`,
      runbook: `kubectl get pods -l app.kubernetes.io/instance=${args.cluster},app.kubernetes.io/component=${name} in the cluster's namespace; read the pods' events and logs. A role that cannot reach its data store fails its startup probe.`,
    }),
  );

  return [
    ...roleDown,
    {
      name: "TemporalServiceErrorRateHigh",
      expr: `(\n${ratio(METRICS.serviceErrors, METRICS.serviceRequests, cluster, WINDOW, ["service_name"])}\n) > ${t.serviceErrorRatio}`,
      for: "10m",
      severity: "critical",
      summary: "{{ $labels.service_name }} fails too many requests",
      description: `More than ${percent(t.serviceErrorRatio)} of the requests to {{ $labels.service_name }} fail with unexpected errors (service_errors / service_requests).`,
      runbook: "Break service_error_with_type down by error_type and operation on the overview dashboard; persistence errors and shard moves are the usual causes.",
    },
    {
      name: "TemporalPersistenceErrorRateHigh",
      expr: `(\n${ratio(METRICS.persistenceErrors, METRICS.persistenceRequests, cluster, WINDOW, ["service_name"])}\n) > ${t.persistenceErrorRatio}`,
      for: "10m",
      severity: "critical",
      summary: "Calls from {{ $labels.service_name }} to the data store fail",
      description: `More than ${percent(t.persistenceErrorRatio)} of the data store calls from {{ $labels.service_name }} fail (persistence_errors / persistence_requests).`,
      runbook: "Check the database: availability, connections in use against max connections, failover events, disk. The roles' logs name the failing operation.",
    },
    {
      name: "TemporalPersistenceLatencyHigh",
      expr: `${quantile(0.99, METRICS.persistenceLatency, cluster, WINDOW, ["service_name", "operation"])} > ${t.persistenceLatencyP99Seconds}`,
      for: "10m",
      severity: "warning",
      summary: "Data store calls of {{ $labels.operation }} are slow",
      description: `The p99 latency of {{ $labels.operation }} from {{ $labels.service_name }} is above ${t.persistenceLatencyP99Seconds}s. Every workflow state transition waits on the data store.`,
      runbook: "Check the database's CPU, IOPS and lock waits, and give it more capacity if it is saturated. Slowness on every operation points at the database as a whole; on one operation, at the table behind it.",
    },
    ...(has("history")
      ? [
          {
            name: "TemporalHistoryLockLatencyHigh",
            expr: `${quantile(0.99, METRICS.lockLatency, role("history"), WINDOW)} > ${t.lockLatencyP99Seconds}`,
            for: "10m",
            severity: "warning" as const,
            summary: "History waits long for shard and workflow locks",
            description: `The p99 time history spends acquiring locks is above ${t.lockLatencyP99Seconds}s: hot workflows, or too few shards or history pods for the load.`,
            runbook: "Look for a workflow receiving a flood of signals or updates; otherwise add history pods (shard count is fixed for the cluster's life).",
          },
          {
            name: "TemporalShardOwnershipChurn",
            expr: `${sumIncrease(METRICS.shardClosed, role("history"), "10m")} > ${t.shardClosesPer10m}`,
            for: "15m",
            severity: "warning" as const,
            summary: "History shards keep moving between pods",
            description: `More than ${t.shardClosesPer10m} history shards were closed in 10 minutes, for 15 minutes: pods keep losing shard ownership, which stalls workflows on those shards.`,
            runbook: "Look for history pods restarting (OOM kills, failing liveness probes) or unable to renew ownership because the data store is slow.",
          },
        ]
      : []),
    {
      name: "TemporalMembershipFlapping",
      expr: `${sumIncrease(METRICS.membershipChanged, cluster, "10m", ["service_name"])} > ${t.membershipChangesPer10m}`,
      for: "15m",
      severity: "warning",
      summary: "The membership ring seen by {{ $labels.service_name }} keeps changing",
      description: `{{ $labels.service_name }} saw more than ${t.membershipChangesPer10m} ring changes in 10 minutes, for 15 minutes: pods join and leave repeatedly.`,
      runbook: "Look for pods restarting or failing readiness, and for blocked membership ports between pods (NetworkPolicies, security groups).",
    },
    ...(has("matching")
      ? [
          {
            name: "TemporalTaskBacklogWaitHigh",
            expr: `${quantile(0.95, METRICS.asyncMatchLatency, role("matching"), WINDOW)} > ${t.taskBacklogWaitP95Seconds}`,
            for: "10m",
            severity: "warning" as const,
            summary: "Tasks wait long in task queue backlogs",
            description: `The p95 time a task waits in a matching backlog before a worker takes it is above ${t.taskBacklogWaitP95Seconds}s: the server-side view of schedule-to-start latency.`,
            runbook: "Workers are too few or too slow for the task queues in question (see the matching panels); scale the worker pools or their pollers.",
          },
        ]
      : []),
    {
      name: "TemporalFrontendRateLimited",
      expr: `(\n${ratio(METRICS.serviceResourceExhausted, METRICS.serviceRequests, role("frontend"), WINDOW)}\n) > ${t.resourceExhaustedRatio}`,
      for: "10m",
      severity: "warning",
      summary: "The frontend refuses requests with ResourceExhausted",
      description: `More than ${percent(t.resourceExhaustedRatio)} of frontend requests hit a rate limit (service_errors_resource_exhausted).`,
      runbook: "Raise frontend.rps or frontend.namespaceRPS in temporal.dynamicConfig if the load is expected, or find the client that floods the cluster.",
    },
    {
      name: "TemporalServicePanics",
      expr: `${sumIncrease(METRICS.servicePanics, cluster, "10m", ["service_name"])} > 0`,
      for: "1m",
      severity: "critical",
      summary: "{{ $labels.service_name }} recovered from a panic",
      description: "A Temporal role panicked while serving a request: a server bug or corrupt state.",
      runbook: "Find the stack trace in the role's logs and report it to Temporal with the server version.",
    },
  ];
}

function pascal(role: RoleName): string {
  return role.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
