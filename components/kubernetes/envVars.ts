import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export type EnvVar = k8s.types.input.core.v1.EnvVar;

export function plainEnv(values: Record<string, pulumi.Input<string>>): EnvVar[] {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}
