import * as pulumi from "@pulumi/pulumi";
import { childAfter } from "../childOptions";

/**
 * Creates children one after another. Azure serialises writes to sub-resources of one parent (the
 * subnets of a virtual network, the parameters of a database server) and answers a second write
 * that arrives meanwhile with AnotherOperationInProgress or ServerBusy, failing the deployment.
 */
export function oneAtATime<T extends pulumi.Resource>(
  parent: pulumi.Resource,
  opts: pulumi.ComponentResourceOptions | undefined,
  first: pulumi.Resource[],
  makers: ((options: pulumi.CustomResourceOptions) => T)[],
): T[] {
  const made: T[] = [];
  for (const make of makers) {
    const previous = made.length > 0 ? [made[made.length - 1]] : first;
    made.push(make(childAfter(parent, opts, previous)));
  }
  return made;
}
