import type * as pulumi from "@pulumi/pulumi";

/**
 * Options for a component's children. Pulumi does not pass a component's `dependsOn` down to the
 * resources inside it, so a Job inside a component that "depends on the database" would not wait
 * for it; every component hands its own dependencies to its children through this.
 */
export function childOf(parent: pulumi.Resource, opts?: pulumi.ComponentResourceOptions): pulumi.CustomResourceOptions {
  return opts?.dependsOn ? { parent, dependsOn: opts.dependsOn } : { parent };
}
