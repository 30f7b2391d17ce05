import * as pulumi from "@pulumi/pulumi";

/**
 * Options for a component's children. Pulumi does not pass a component's `dependsOn` down to the
 * resources inside it, so a Job inside a component that "depends on the database" would not wait
 * for it; every component hands its own dependencies to its children through this.
 */
export function childOf(parent: pulumi.Resource, opts?: pulumi.ComponentResourceOptions): pulumi.CustomResourceOptions {
  return opts?.dependsOn ? { parent, dependsOn: opts.dependsOn } : { parent };
}

/**
 * `childOf`, plus resources inside the component that this child must also wait for; setting
 * `dependsOn` directly would drop the component's own.
 */
export function childAfter(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined, resources: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const inherited = opts?.dependsOn;
  const dependsOn = inherited ? pulumi.output(inherited).apply((items) => [...[items].flat(), ...resources]) : resources;
  return { ...childOf(parent, opts), dependsOn };
}
