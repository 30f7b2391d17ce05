import { SCRAPE_UP, TemporalMetric } from "./catalog";

/**
 * A few PromQL builders. Every series selector is written as `name{...}`, never bare, so a test
 * can find each series an expression reads and check it against the catalog.
 */

/** Label matchers every expression of one cluster carries, e.g. `temporal_cluster="temporal"`. */
export type Matchers = Record<string, string>;

function renderMatchers(matchers: Matchers): string {
  return Object.entries(matchers)
    .map(([label, value]) => (value.startsWith("=~") ? `${label}=~${JSON.stringify(value.slice(2))}` : `${label}=${JSON.stringify(value)}`))
    .join(", ");
}

/** `name{matchers}` for a counter or gauge, or one of a timer's series. */
export function series(metric: TemporalMetric, matchers: Matchers, suffix: "" | "_bucket" | "_count" | "_sum" = ""): string {
  if (metric.kind === "timer" && suffix === "") throw new Error(`${metric.name} is a timer: pick its _bucket, _count or _sum series`);
  if (metric.kind !== "timer" && suffix !== "") throw new Error(`${metric.name} is a ${metric.kind}: it has no ${suffix} series`);
  return `${metric.name}${suffix}{${renderMatchers(matchers)}}`;
}

export function scrapeUp(matchers: Matchers): string {
  return `${SCRAPE_UP}{${renderMatchers(matchers)}}`;
}

const by = (labels: string[]) => (labels.length ? ` by (${labels.join(", ")})` : "");

export function sumRate(metric: TemporalMetric, matchers: Matchers, window: string, labels: string[] = []): string {
  return `sum${by(labels)} (rate(${series(metric, matchers)}[${window}]))`;
}

/** A gauge summed across series, by the given labels. */
export function sumGauge(metric: TemporalMetric, matchers: Matchers, labels: string[] = []): string {
  return `sum${by(labels)} (${series(metric, matchers)})`;
}

export function sumIncrease(metric: TemporalMetric, matchers: Matchers, window: string, labels: string[] = []): string {
  return `sum${by(labels)} (increase(${series(metric, matchers)}[${window}]))`;
}

/** A quantile of a timer, in seconds (tally's histogram buckets are in seconds). */
export function quantile(q: number, metric: TemporalMetric, matchers: Matchers, window: string, labels: string[] = []): string {
  return `histogram_quantile(${q}, sum${by([...labels, "le"])} (rate(${series(metric, matchers, "_bucket")}[${window}])))`;
}

/** failures / total, both summed by the same labels. */
export function ratio(failures: TemporalMetric, total: TemporalMetric, matchers: Matchers, window: string, labels: string[] = []): string {
  return `${sumRate(failures, matchers, window, labels)}\n  /\n${sumRate(total, matchers, window, labels)}`;
}

/** The series names an expression reads: every `name{` in it. */
export function seriesIn(expression: string): string[] {
  return [...new Set([...expression.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\{/g)].map((match) => match[1]))];
}
