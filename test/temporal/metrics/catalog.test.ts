import { describe, expect, it } from "vitest";
import { KNOWN_SERIES, METRICS, seriesOf, serviceNameOf } from "../../../components/temporal/metrics/catalog";
import { quantile, ratio, series, seriesIn, sumRate } from "../../../components/temporal/metrics/promql";

describe("the metric catalog", () => {
  it("exposes a timer as Prometheus histogram series and a counter under its own name", () => {
    expect(seriesOf(METRICS.persistenceLatency)).toEqual(["persistence_latency_bucket", "persistence_latency_sum", "persistence_latency_count"]);
    expect(seriesOf(METRICS.serviceRequests)).toEqual(["service_requests"]);
  });

  it("holds metric names only in the snake_case Temporal defines them in, none with tally's absent _total suffix", () => {
    for (const metric of Object.values(METRICS)) {
      expect(metric.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(metric.name).not.toMatch(/_total$/);
    }
  });

  it("names the internal frontend as tally's sanitizer reports it", () => {
    expect(serviceNameOf("internal-frontend")).toBe("internal_frontend");
    expect(serviceNameOf("history")).toBe("history");
  });

  it("knows Prometheus's own up series besides Temporal's", () => {
    expect(KNOWN_SERIES.has("up")).toBe(true);
    expect(KNOWN_SERIES.has("lock_latency_bucket")).toBe(true);
    expect(KNOWN_SERIES.has("lock_latency")).toBe(false);
  });
});

describe("the PromQL builders", () => {
  it("select a timer only through one of its histogram series", () => {
    expect(() => series(METRICS.lockLatency, {})).toThrow("lock_latency is a timer: pick its _bucket, _count or _sum series");
    expect(() => series(METRICS.serviceRequests, {}, "_bucket")).toThrow("service_requests is a counter: it has no _bucket series");
  });

  it("compute a quantile from bucket rates summed by le", () => {
    expect(quantile(0.99, METRICS.persistenceLatency, { temporal_cluster: "t" }, "5m", ["operation"])).toBe(
      'histogram_quantile(0.99, sum by (operation, le) (rate(persistence_latency_bucket{temporal_cluster="t"}[5m])))',
    );
  });

  it("write a regex matcher for values given as =~", () => {
    expect(sumRate(METRICS.serviceRequests, { temporal_cluster: "=~$cluster" }, "1m")).toBe('sum (rate(service_requests{temporal_cluster=~"$cluster"}[1m]))');
  });

  it("find every series an expression reads", () => {
    expect(seriesIn(ratio(METRICS.serviceErrors, METRICS.serviceRequests, {}, "5m")).sort()).toEqual(["service_errors", "service_requests"]);
    expect(seriesIn('absent(up{temporal_role="history"} == 1) or servce_requests{a="b"}')).toEqual(["up", "servce_requests"]);
  });
});
