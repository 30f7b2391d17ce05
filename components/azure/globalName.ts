import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Naming rules of Azure resources whose names become DNS labels shared by every Azure customer. */
export const GLOBAL_NAME_RULES = {
  /** `<name>.vault.azure.net`: 3-24 letters, digits and single hyphens, starting with a letter. */
  keyVault: { maxLength: 24, hyphens: true },
  /** `<name>.blob.core.windows.net`: 3-24 lower-case letters and digits. */
  storageAccount: { maxLength: 24, hyphens: false },
  /** `<name>.cassandra.cosmos.azure.com`: 3-44 lower-case letters, digits and hyphens. */
  cosmosAccount: { maxLength: 44, hyphens: true },
} as const;

export interface GlobalNameRule {
  maxLength: number;
  hyphens: boolean;
}

const SUFFIX_LENGTH = 8;

/**
 * A name that is valid for the rule, readable (it starts with the component's name) and unique
 * across Azure: the suffix hashes the subscription, resource group and component name, like Bicep's
 * `uniqueString`. Pulumi's own autonaming is not used because it ignores these length and
 * character limits; a hash, unlike a random suffix, survives losing the stack's state.
 */
export function globalName(componentName: string, seed: string, rule: GlobalNameRule): string {
  const allowed = rule.hyphens ? /[^a-z0-9-]/g : /[^a-z0-9]/g;
  let stem = componentName.toLowerCase().replace(allowed, "").replace(/-+/g, "-").replace(/^[^a-z]+/, "");
  stem = stem.slice(0, rule.maxLength - SUFFIX_LENGTH - (rule.hyphens ? 1 : 0)).replace(/-+$/, "");
  if (stem === "") stem = "temporal";
  const suffix = createHash("sha256").update(seed).digest("hex").slice(0, SUFFIX_LENGTH);
  return rule.hyphens ? `${stem}-${suffix}` : `${stem}${suffix}`;
}

/** {@link globalName} seeded with where the resource lives, once the subscription is known. */
export function globalNameOutput(
  componentName: string,
  subscriptionId: pulumi.Input<string>,
  resourceGroupName: pulumi.Input<string>,
  rule: GlobalNameRule,
): pulumi.Output<string> {
  return pulumi
    .all([subscriptionId, resourceGroupName])
    .apply(([subscription, group]) => globalName(componentName, `${subscription}/${group.toLowerCase()}/${componentName}`, rule));
}
