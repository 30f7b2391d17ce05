import { beforeAll, describe, expect, it } from "vitest";
import { EcsMetrics } from "../../../components/aws/ecs/metricsCollection";
import { PRESETS } from "../../../components/config/presets";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { onlyOfType, settle, startMockRuntime } from "../../helpers/mockRuntime";

const thresholds = PRESETS.production.observability.alerts.thresholds;
const tags = { "temporal-kit:environment": "test" };

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
}
interface MetricQuery {
  id: string;
  expression?: string;
  returnData: boolean;
  metric?: { namespace: string; metricName: string; dimensions: Record<string, string>; stat: string; period: number };
}

let records: ResourceRecord[];

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  new EcsMetrics("metrics", { cluster: "temporal", roles: ["frontend", "history", "matching", "worker"], logRetentionDays: 30, thresholds, tags });
  await settle();
});

const alarms = () => records.filter((record) => record.type === "aws:cloudwatch/metricAlarm:MetricAlarm");

describe("EcsMetrics", () => {
  it("keeps the metrics events in their own log group with the cluster's retention", () => {
    expect(onlyOfType(records, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(30);
  });

  it("creates no role of its own: the roles' task roles take its policy", () => {
    expect(records.filter((record) => record.type === "aws:iam/role:Role")).toEqual([]);
  });

  it("writes log events to the metrics log group and does nothing else", () => {
    const managed = onlyOfType(records, "aws:iam/policy:Policy");
    const policy = JSON.parse(String(managed.inputs.policy)) as { Statement: Statement[] };
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement.Action.sort()).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    for (const resource of statement.Resource) expect(resource).toMatch(/^arn:aws:logs:us-east-1:\d{12}:log-group:metrics-logs[^*]*(:\*)?$/);
    expect(JSON.stringify(policy)).not.toContain('"*"');
  });

  it("alarms on each role's error ratio and data store error ratio, and on frontend rate limiting", () => {
    expect(alarms().map((alarm) => alarm.name).sort()).toEqual(
      [
        ...["frontend", "history", "matching", "worker"].flatMap((role) => [`metrics-${role}-errors`, `metrics-${role}-persistence-errors`]),
        "metrics-frontend-rate-limited",
      ].sort(),
    );
  });

  it("computes the ratio of 5-minute sums of the agent's metrics, by cluster and role, against the configured threshold", () => {
    const alarm = alarms().find((record) => record.name === "metrics-history-errors")!;
    expect(alarm.inputs).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: thresholds.serviceErrorRatio, evaluationPeriods: 3, treatMissingData: "notBreaching" });
    const queries = alarm.inputs.metricQueries as MetricQuery[];
    expect(queries.find((query) => query.returnData)!.expression).toBe("failures / total");
    expect(queries.find((query) => query.id === "failures")!.metric).toEqual({
      namespace: "TemporalKit",
      metricName: "service_errors",
      dimensions: { temporal_cluster: "temporal", service_name: "history" },
      period: 300,
      stat: "Sum",
    });
  });

  it("refuses an empty role list", () => {
    expect(() => new EcsMetrics("none", { cluster: "temporal", roles: [], logRetentionDays: 30, thresholds, tags })).toThrow("EcsMetrics needs at least one role to collect from");
  });
});
