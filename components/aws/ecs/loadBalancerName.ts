import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childOf } from "../../childOptions";

/**
 * Load balancer and target group names may have 32 characters at most, letters, digits and
 * hyphens, unique per account and region (aws.lb.LoadBalancer and aws.lb.TargetGroup `name`, from
 * the Elastic Load Balancing API). Pulumi's auto-name appends 8 characters to the resource name,
 * which took the kit's names past 32, so every ECS stack failed at preview.
 */
export const ELB_NAME_MAX = 32;
const SUFFIX_LENGTH = 6;

/**
 * A name within the limit: the resource name cut to fit, then a random suffix drawn anew whenever
 * one of `replacedOn` changes. Those are the inputs that make AWS replace the resource, so the
 * replacement, created before the old one is deleted, never asks for the name still in use.
 */
export function loadBalancerName(
  resourceName: string,
  replacedOn: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
  opts?: pulumi.ComponentResourceOptions,
): pulumi.Output<string> {
  const base = resourceName.slice(0, ELB_NAME_MAX - SUFFIX_LENGTH - 1).replace(/-+$/, "");
  const suffix = new random.RandomString(
    `${resourceName}-name`,
    { length: SUFFIX_LENGTH, special: false, upper: false, keepers: replacedOn },
    childOf(parent, opts),
  );
  return suffix.result.apply((drawn) => `${base}-${drawn}`);
}
