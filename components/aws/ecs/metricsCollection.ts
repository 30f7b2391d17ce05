import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import type { AlertThresholds } from "../../config/observabilitySchema";
import { CLUSTER_LABEL } from "../../temporal/metrics/alerts";
import { METRICS, TemporalMetric, serviceNameOf } from "../../temporal/metrics/catalog";
import type { RoleName } from "../../temporal/roles";
import { awsTags } from "../tags";
import { CLOUDWATCH_NAMESPACE } from "./metricsSidecar";

export interface EcsMetricsArgs {
  /** The Temporal cluster's name, the `temporal_cluster` dimension of every metric. */
  cluster: string;
  roles: RoleName[];
  logRetentionDays: number;
  thresholds: AlertThresholds;
  tags: Record<string, string>;
}

/**
 * Where the roles' CloudWatch agents send their metrics: a log group for the embedded metric
 * format events, a managed policy that writes to that group and nothing else (for the roles' task
 * roles), and CloudWatch alarms for the alerts that counters can express.
 */
export class EcsMetrics extends pulumi.ComponentResource {
  readonly logGroupName: pulumi.Output<string>;
  /** What the agent needs, for the task role of the task it runs in. */
  readonly logsPolicyArn: pulumi.Output<string>;
  readonly alarms: cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: EcsMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:EcsMetrics", name, {}, opts);
    if (args.roles.length === 0) throw new Error("EcsMetrics needs at least one role to collect from");
    const child = childOf(this, opts);
    const identity = getCallerIdentityOutput({}, { parent: this });
    const partition = getPartitionOutput({}, { parent: this }).partition;
    const region = getRegionOutput({}, { parent: this }).region;

    const logGroup = new cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays, tags: awsTags(args.tags, `${name}-logs`) }, child);
    this.logGroupName = logGroup.name;

    // A managed policy, since the roles' task roles take it beside their other policies.
    const policy = new iam.Policy(
      `${name}-policy`,
      {
        description: "Writes the Temporal metrics of the CloudWatch agent",
        policy: pulumi.all([partition, region, identity.accountId, logGroup.name]).apply(([partitionName, regionName, account, group]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                // Embedded metric format needs only log writes: CloudWatch extracts the metrics itself.
                Sid: "MetricsLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [`arn:${partitionName}:logs:${regionName}:${account}:log-group:${group}`, `arn:${partitionName}:logs:${regionName}:${account}:log-group:${group}:*`],
              },
            ],
          }),
        ),
        tags: awsTags(args.tags, `${name}-policy`),
      },
      child,
    );
    this.logsPolicyArn = policy.arn;

    const t = args.thresholds;
    for (const roleName of args.roles) {
      this.alarms.push(
        ratioAlarm(`${name}-${roleName}-errors`, args, roleName, METRICS.serviceErrors, METRICS.serviceRequests, t.serviceErrorRatio, `More than ${t.serviceErrorRatio * 100}% of ${roleName} requests fail`, child),
        ratioAlarm(`${name}-${roleName}-persistence-errors`, args, roleName, METRICS.persistenceErrors, METRICS.persistenceRequests, t.persistenceErrorRatio, `More than ${t.persistenceErrorRatio * 100}% of ${roleName} data store calls fail`, child),
      );
    }
    if (args.roles.includes("frontend")) {
      this.alarms.push(
        ratioAlarm(`${name}-frontend-rate-limited`, args, "frontend", METRICS.serviceResourceExhausted, METRICS.serviceRequests, t.resourceExhaustedRatio, `More than ${t.resourceExhaustedRatio * 100}% of frontend requests hit a rate limit`, child),
      );
    }
    this.registerOutputs({ logGroupName: this.logGroupName, logsPolicyArn: this.logsPolicyArn });
  }
}

/**
 * failures / total over 5-minute sums, alarming after three periods in a row; no data (an idle
 * cluster, or a role without requests) is not an alarm.
 */
function ratioAlarm(
  name: string,
  args: EcsMetricsArgs,
  role: RoleName,
  failures: TemporalMetric,
  total: TemporalMetric,
  threshold: number,
  description: string,
  opts: pulumi.CustomResourceOptions,
): cloudwatch.MetricAlarm {
  const dimensions = { [CLUSTER_LABEL]: args.cluster, service_name: serviceNameOf(role) };
  const sum = (id: string, metric: TemporalMetric) => ({
    id,
    returnData: false,
    metric: { namespace: CLOUDWATCH_NAMESPACE, metricName: metric.name, dimensions, period: 300, stat: "Sum" },
  });
  return new cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription: `${description} (Temporal cluster ${args.cluster}); see docs/observability.md`,
      comparisonOperator: "GreaterThanThreshold",
      threshold,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      metricQueries: [
        sum("failures", failures),
        sum("total", total),
        { id: "ratio", expression: "failures / total", label: `${failures.name} / ${total.name}`, returnData: true },
      ],
      tags: awsTags(args.tags, name),
    },
    opts,
  );
}
