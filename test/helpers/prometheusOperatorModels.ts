import { z } from "zod";

/**
 * Structural schemas of the two Prometheus Operator kinds the kit renders (monitoring.coreos.com/v1
 * ServiceMonitor and PrometheusRule), written from the operator's API reference for the fields the
 * kit uses. kubernetes-models has no schema for custom resources, and an unchecked custom resource
 * would let a misspelt field through to a deploy that ignores it. Strict objects: any field not
 * listed here fails, so a new field must be looked up and added on purpose.
 */

const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.strictObject({ key: z.string().min(1), operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]), values: z.array(z.string()).optional() }))
    .optional(),
});

const metadata = z.object({ name: z.string().min(1).max(253), namespace: z.string().min(1), labels: z.record(z.string(), z.string()).optional() });

// The operator's duration pattern (monitoring.coreos.com Duration).
const duration = z.string().regex(/^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/);

const relabelConfig = z.strictObject({
  action: z.enum(["replace", "keep", "drop", "hashmod", "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase", "keepequal", "dropequal"]).optional(),
  sourceLabels: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)).optional(),
  separator: z.string().optional(),
  targetLabel: z.string().optional(),
  regex: z.string().optional(),
  modulus: z.number().int().optional(),
  replacement: z.string().optional(),
});

const serviceMonitor = z.strictObject({
  apiVersion: z.literal("monitoring.coreos.com/v1"),
  kind: z.literal("ServiceMonitor"),
  metadata,
  spec: z.strictObject({
    selector: labelSelector,
    namespaceSelector: z.strictObject({ any: z.boolean().optional(), matchNames: z.array(z.string()).optional() }).optional(),
    endpoints: z
      .array(
        z.strictObject({
          port: z.string().optional(),
          path: z.string().startsWith("/").optional(),
          scheme: z.enum(["http", "https"]).optional(),
          interval: duration.optional(),
          scrapeTimeout: duration.optional(),
          honorLabels: z.boolean().optional(),
          relabelings: z.array(relabelConfig).optional(),
          metricRelabelings: z.array(relabelConfig).optional(),
        }),
      )
      .min(1),
    jobLabel: z.string().optional(),
    targetLabels: z.array(z.string()).optional(),
  }),
});

const rule = z
  .strictObject({
    alert: z.string().optional(),
    record: z.string().optional(),
    expr: z.string().min(1),
    for: duration.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .refine((value) => (value.alert === undefined) !== (value.record === undefined), { message: "a rule is either an alert or a recording rule" });

const prometheusRule = z.strictObject({
  apiVersion: z.literal("monitoring.coreos.com/v1"),
  kind: z.literal("PrometheusRule"),
  metadata,
  spec: z.strictObject({
    groups: z.array(z.strictObject({ name: z.string().min(1), interval: duration.optional(), rules: z.array(rule).min(1) })).min(1),
  }),
});

const MODELS: Record<string, z.ZodType> = { ServiceMonitor: serviceMonitor, PrometheusRule: prometheusRule };

export const PROMETHEUS_OPERATOR_API = "monitoring.coreos.com/v1";

/** Validates a Prometheus Operator object; throws naming the kind and every problem. */
export function validatePrometheusOperatorObject(object: { apiVersion: string; kind: string }): void {
  const model = MODELS[object.kind];
  if (object.apiVersion !== PROMETHEUS_OPERATOR_API || !model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  const result = model.safeParse(object);
  if (!result.success) throw new Error(`${object.kind} breaks its schema: ${result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
}
