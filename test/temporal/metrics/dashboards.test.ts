import { describe, expect, it } from "vitest";
import { KNOWN_SERIES } from "../../../components/temporal/metrics/catalog";
import { temporalDashboards } from "../../../components/temporal/metrics/dashboards";
import { seriesIn } from "../../../components/temporal/metrics/promql";

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: { refId: string; expr: string }[];
}

const dashboards = temporalDashboards("temporal");
const panelsOf = (index: number) => dashboards[index].json.panels as unknown as Panel[];
const allPanels = dashboards.flatMap((_, index) => panelsOf(index));

describe("the Grafana dashboards", () => {
  it("are an overview and a history-and-matching dashboard, with stable uids and file names", () => {
    expect(dashboards.map((dashboard) => dashboard.uid)).toEqual(["tk-temporal-overview", "tk-temporal-internals"]);
    expect(dashboards.map((dashboard) => dashboard.fileName)).toEqual(["tk-temporal-overview.json", "tk-temporal-internals.json"]);
  });

  it("render the same JSON every time", () => {
    expect(JSON.stringify(temporalDashboards("temporal"))).toBe(JSON.stringify(dashboards));
  });

  it("keep uids within Grafana's 40 characters for a long cluster name", () => {
    for (const dashboard of temporalDashboards("a-very-long-temporal-cluster-name-for-payments")) expect(dashboard.uid.length).toBeLessThanOrEqual(40);
  });

  it("query only series Temporal exposes", () => {
    const expressions = allPanels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    expect(expressions.length).toBeGreaterThan(20);
    for (const expr of expressions) {
      for (const name of seriesIn(expr)) expect(KNOWN_SERIES, expr).toContain(name);
    }
  });

  it("filter every query by the cluster variable", () => {
    for (const target of allPanels.flatMap((panel) => panel.targets ?? [])) expect(target.expr).toContain('temporal_cluster=~"$cluster"');
  });

  it("give every panel a unique id and a place on the 24-column grid without overlap", () => {
    for (let index = 0; index < dashboards.length; index++) {
      const panels = panelsOf(index);
      expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
      const cells = new Set<string>();
      for (const { gridPos } of panels) {
        expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
            const cell = `${x},${y}`;
            expect(cells.has(cell), `${cell} is taken twice`).toBe(false);
            cells.add(cell);
          }
        }
      }
    }
  });

  it("show per-role requests, errors and latency, the data store, shards, locks and task queues", () => {
    const titles = allPanels.map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining(["Requests", "Error ratio", "Request latency p99", "Persistence latency p99 by operation", "Shards per history pod", "Lock latency p99", "Match latency p95", "Backlog by task queue"]),
    );
  });

  it("let the user pick the data source and the cluster, defaulting to this one", () => {
    const variables = (dashboards[0].json.templating as { list: { name: string; current?: { value?: string } }[] }).list;
    expect(variables.map((variable) => variable.name)).toEqual(["datasource", "cluster"]);
    expect(variables[1].current?.value).toBe("temporal");
  });
});
