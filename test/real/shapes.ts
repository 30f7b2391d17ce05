import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { ROOT } from "./stackSynth";

/**
 * The stacks the real runs deploy, as a platform team's stack files would say them: the shipped
 * dev-postgres stack, and a production shape (staging presets, two pods per role, generated mutual
 * TLS). Both carry a worker pool of the real-run worker image (test/real/worker).
 */

const WORKER_IMAGE = "temporal-kit.test/worker:1.0.0";

type StackConfig = Record<string, unknown>;

/** A worker pool of the test worker image, shaped like a team's pool (probe, limits, non-root). */
export function greeterPool(taskQueue: string, replicas: number): Record<string, unknown> {
  return {
    name: "greeter",
    image: WORKER_IMAGE,
    replicas,
    namespace: "default",
    taskQueue,
    env: { HEALTH_PORT: "8080" },
    probe: { httpGet: { path: "/healthz", port: 8080 } },
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    user: "1000:1000",
  };
}

/** The shipped stacks/Pulumi.dev-postgres.yaml with one greeter pod. */
export function devPostgresStack(taskQueue: string): StackConfig {
  const stack = parse(readFileSync(join(ROOT, "stacks", "Pulumi.dev-postgres.yaml"), "utf8")) as { config: StackConfig };
  return { ...stack.config, "temporal-kit:workers": [greeterPool(taskQueue, 1)] };
}

export const PRODUCTION_SHAPE_NAMESPACE = "temporal-prod";

/** Staging presets on plain Kubernetes with the in-cluster PostgreSQL, two pods of every role, generated mTLS, two greeter pods. */
export function productionShapeStack(taskQueue: string): StackConfig {
  return {
    "temporal-kit:environment": "staging",
    "temporal-kit:platform": "kubernetes",
    "temporal-kit:kubernetes": { namespace: PRODUCTION_SHAPE_NAMESPACE, networkPolicies: true },
    "temporal-kit:persistence": { hosting: "in-cluster-postgres" },
    "temporal-kit:roles": { frontend: { replicas: 2 }, history: { replicas: 2 }, matching: { replicas: 2 }, worker: { replicas: 2 } },
    "temporal-kit:security": { tls: { certificates: "generated" } },
    "temporal-kit:workers": [greeterPool(taskQueue, 2)],
  };
}

/** Writes `config` as stacks/Pulumi.<stack>.yaml under dir; returns the file. */
export function writeStackFile(dir: string, stack: string, config: StackConfig): string {
  mkdirSync(join(dir, "stacks"), { recursive: true });
  const file = join(dir, "stacks", `Pulumi.${stack}.yaml`);
  writeFileSync(file, stringify({ config }));
  return file;
}
