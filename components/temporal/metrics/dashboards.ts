import { METRICS, serviceNameOf } from "./catalog";
import { CLUSTER_LABEL } from "./alerts";
import { Matchers, quantile, ratio, sumGauge, sumIncrease, sumRate } from "./promql";

/**
 * Grafana dashboards for one Temporal cluster, generated from the metric catalog: an overview of
 * every role (requests, errors, latency, the data store) and the internals of history and matching
 * (shards, locks, membership, task queues). Output is deterministic: the same cluster name gives
 * the same JSON, so a deploy changes the ConfigMaps only when the dashboards change.
 */

export interface Dashboard {
  uid: string;
  /** The ConfigMap key and the file name the Grafana sidecar writes. */
  fileName: string;
  json: GrafanaDashboard;
}

interface Target {
  expr: string;
  legendFormat: string;
}

interface PanelSpec {
  title: string;
  description: string;
  unit: "reqps" | "percentunit" | "s" | "short";
  targets: Target[];
}

interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

type GrafanaDashboard = Record<string, unknown> & { panels: Record<string, unknown>[] };

// Grafana's own variable: the scrape interval-aware window for rate().
const WINDOW = "$__rate_interval";
const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

/**
 * Series carry `temporal_cluster` when the kit's ServiceMonitor scrapes them; scraped through the
 * pod annotations they may not, and `=~".*"` (the "All" value) also matches a missing label.
 */
const inCluster: Matchers = { [CLUSTER_LABEL]: "=~$cluster" };
const ofRole = (role: Parameters<typeof serviceNameOf>[0]): Matchers => ({ ...inCluster, service_name: serviceNameOf(role) });

export function temporalDashboards(cluster: string): Dashboard[] {
  return [
    dashboard(cluster, "overview", `Temporal ${cluster}: overview`, overviewRows()),
    dashboard(cluster, "internals", `Temporal ${cluster}: history and matching`, internalsRows()),
  ];
}

function overviewRows(): RowSpec[] {
  return [
    {
      title: "Requests by role",
      panels: [
        { title: "Requests", description: METRICS.serviceRequests.help, unit: "reqps", targets: [{ expr: sumRate(METRICS.serviceRequests, inCluster, WINDOW, ["service_name"]), legendFormat: "{{service_name}}" }] },
        { title: "Error ratio", description: "service_errors / service_requests", unit: "percentunit", targets: [{ expr: ratio(METRICS.serviceErrors, METRICS.serviceRequests, inCluster, WINDOW, ["service_name"]), legendFormat: "{{service_name}}" }] },
        { title: "Request latency p99", description: METRICS.serviceLatency.help, unit: "s", targets: [{ expr: quantile(0.99, METRICS.serviceLatency, inCluster, WINDOW, ["service_name"]), legendFormat: "{{service_name}}" }] },
        { title: "Errors by type", description: METRICS.serviceErrorWithType.help, unit: "reqps", targets: [{ expr: sumRate(METRICS.serviceErrorWithType, inCluster, WINDOW, ["service_name", "error_type"]), legendFormat: "{{service_name}} {{error_type}}" }] },
        { title: "Rate limited at the frontend", description: METRICS.serviceResourceExhausted.help, unit: "reqps", targets: [{ expr: sumRate(METRICS.serviceResourceExhausted, ofRole("frontend"), WINDOW, ["operation"]), legendFormat: "{{operation}}" }] },
        {
          title: "Workflows closed",
          description: "workflow_success, workflow_failed and workflow_timeout",
          unit: "reqps",
          targets: [
            { expr: sumRate(METRICS.workflowSuccess, ofRole("history"), WINDOW), legendFormat: "completed" },
            { expr: sumRate(METRICS.workflowFailed, ofRole("history"), WINDOW), legendFormat: "failed" },
            { expr: sumRate(METRICS.workflowTimeout, ofRole("history"), WINDOW), legendFormat: "timed out" },
          ],
        },
      ],
    },
    {
      title: "Data store",
      panels: [
        { title: "Persistence requests", description: METRICS.persistenceRequests.help, unit: "reqps", targets: [{ expr: sumRate(METRICS.persistenceRequests, inCluster, WINDOW, ["service_name"]), legendFormat: "{{service_name}}" }] },
        { title: "Persistence error ratio", description: "persistence_errors / persistence_requests", unit: "percentunit", targets: [{ expr: ratio(METRICS.persistenceErrors, METRICS.persistenceRequests, inCluster, WINDOW, ["service_name"]), legendFormat: "{{service_name}}" }] },
        { title: "Persistence latency p99 by operation", description: METRICS.persistenceLatency.help, unit: "s", targets: [{ expr: quantile(0.99, METRICS.persistenceLatency, inCluster, WINDOW, ["operation"]), legendFormat: "{{operation}}" }] },
        {
          title: "Visibility store",
          description: `${METRICS.visibilityPersistenceLatency.help}; ${METRICS.visibilityPersistenceErrors.help}`,
          unit: "s",
          targets: [
            { expr: quantile(0.99, METRICS.visibilityPersistenceLatency, inCluster, WINDOW), legendFormat: "p99 latency" },
            { expr: sumRate(METRICS.visibilityPersistenceErrors, inCluster, WINDOW), legendFormat: "errors/s" },
          ],
        },
      ],
    },
  ];
}

function internalsRows(): RowSpec[] {
  const history = ofRole("history");
  const matching = ofRole("matching");
  return [
    {
      title: "History shards",
      panels: [
        { title: "Shards per history pod", description: METRICS.shardsOwned.help, unit: "short", targets: [{ expr: sumGauge(METRICS.shardsOwned, history, ["pod"]), legendFormat: "{{pod}}" }] },
        {
          title: "Shard moves",
          description: `${METRICS.shardClosed.help}; ${METRICS.shardOwnershipLost.help}`,
          unit: "short",
          targets: [
            { expr: sumIncrease(METRICS.shardClosed, history, "5m"), legendFormat: "shards closed / 5m" },
            { expr: sumIncrease(METRICS.shardOwnershipLost, history, "5m"), legendFormat: "ownership lost / 5m" },
          ],
        },
        { title: "Lock latency p99", description: METRICS.lockLatency.help, unit: "s", targets: [{ expr: quantile(0.99, METRICS.lockLatency, history, WINDOW, ["operation"]), legendFormat: "{{operation}}" }] },
        { title: "Shard acquisition latency p99", description: METRICS.shardAcquisitionLatency.help, unit: "s", targets: [{ expr: quantile(0.99, METRICS.shardAcquisitionLatency, history, WINDOW), legendFormat: "p99" }] },
        { title: "History task schedule-to-start p95", description: METRICS.historyTaskScheduleToStart.help, unit: "s", targets: [{ expr: quantile(0.95, METRICS.historyTaskScheduleToStart, history, WINDOW, ["task_category"]), legendFormat: "{{task_category}}" }] },
        { title: "Membership changes", description: METRICS.membershipChanged.help, unit: "short", targets: [{ expr: sumIncrease(METRICS.membershipChanged, inCluster, "5m", ["service_name"]), legendFormat: "{{service_name}}" }] },
      ],
    },
    {
      title: "Matching and task queues",
      panels: [
        {
          title: "Match latency p95",
          description: `${METRICS.syncMatchLatency.help}; ${METRICS.asyncMatchLatency.help}`,
          unit: "s",
          targets: [
            { expr: quantile(0.95, METRICS.syncMatchLatency, matching, WINDOW), legendFormat: "sync match" },
            { expr: quantile(0.95, METRICS.asyncMatchLatency, matching, WINDOW), legendFormat: "from backlog" },
          ],
        },
        {
          title: "Polls",
          description: `${METRICS.pollSuccess.help}; ${METRICS.pollSuccessSync.help}; ${METRICS.pollTimeouts.help}`,
          unit: "reqps",
          targets: [
            { expr: sumRate(METRICS.pollSuccess, matching, WINDOW), legendFormat: "with a task" },
            { expr: sumRate(METRICS.pollSuccessSync, matching, WINDOW), legendFormat: "sync matched" },
            { expr: sumRate(METRICS.pollTimeouts, matching, WINDOW), legendFormat: "empty" },
          ],
        },
        { title: "Backlog by task queue", description: METRICS.backlogCount.help, unit: "short", targets: [{ expr: `topk(10, ${sumGauge(METRICS.backlogCount, matching, ["taskqueue"])})`, legendFormat: "{{taskqueue}}" }] },
        { title: "Restarts", description: METRICS.restarts.help, unit: "short", targets: [{ expr: sumIncrease(METRICS.restarts, inCluster, "1h", ["service_name"]), legendFormat: "{{service_name}}" }] },
      ],
    },
  ];
}

function dashboard(cluster: string, slug: string, title: string, rows: RowSpec[]): Dashboard {
  const uid = `tk-${cluster}`.slice(0, 40 - slug.length - 1) + `-${slug}`;
  const panels: Record<string, unknown>[] = [];
  let y = 0;
  let id = 1;
  for (const row of rows) {
    panels.push({ id: id++, type: "row", title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    row.panels.forEach((panel, index) => {
      panels.push({
        id: id++,
        type: "timeseries",
        title: panel.title,
        description: panel.description,
        datasource: DATASOURCE,
        gridPos: { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (index % 2) * PANEL_WIDTH, y: y + Math.floor(index / 2) * PANEL_HEIGHT },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } },
        targets: panel.targets.map((target, index) => ({ refId: String.fromCharCode(65 + index), datasource: DATASOURCE, expr: target.expr, legendFormat: target.legendFormat })),
      });
    });
    y += Math.ceil(row.panels.length / 2) * PANEL_HEIGHT;
  }
  return {
    uid,
    fileName: `${uid}.json`,
    json: {
      uid,
      title,
      tags: ["temporal", "temporal-kit"],
      editable: true,
      schemaVersion: 39,
      timezone: "browser",
      refresh: "1m",
      time: { from: "now-3h", to: "now" },
      templating: {
        list: [
          { name: "datasource", label: "Data source", type: "datasource", query: "prometheus", current: {}, hide: 0 },
          {
            name: "cluster",
            label: "Temporal cluster",
            type: "query",
            datasource: DATASOURCE,
            query: { query: `label_values(${METRICS.serviceRequests.name}, ${CLUSTER_LABEL})`, refId: "cluster" },
            definition: `label_values(${METRICS.serviceRequests.name}, ${CLUSTER_LABEL})`,
            current: { text: cluster, value: cluster },
            includeAll: true,
            allValue: ".*",
            refresh: 2,
            hide: 0,
          },
        ],
      },
      annotations: { list: [] },
      panels,
    },
  };
}
