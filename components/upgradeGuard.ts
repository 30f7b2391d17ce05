import * as pulumi from "@pulumi/pulumi";
import { GuardedFacts, upgradeGuardFailures } from "./temporal/upgradeGuardCheck";
import { formatVersion, serverVersionOf } from "./temporal/versionSkew";

/**
 * The provider's `check` is the point of the resource: Pulumi calls it during `pulumi preview`
 * (and before anything changes in `pulumi up`) with the inputs stored by the last deployment as
 * `olds`, and any failure it returns stops the preview. Nothing outside the stack's state is read
 * or written. Pulumi serializes this object into the state, so it captures only the pure check.
 */
export const upgradeGuardProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<GuardedFacts>, news: GuardedFacts) {
    return { inputs: news, failures: upgradeGuardFailures(olds, news) };
  },
  async diff(_id: string, olds: GuardedFacts, news: GuardedFacts) {
    const changed = (["numHistoryShards", "serverVersion", "allowVersionSkew"] as const).some((key) => olds[key] !== news[key]);
    return { changes: changed, replaces: [], deleteBeforeReplace: false };
  },
  async create(inputs: GuardedFacts) {
    return { id: "temporal-kit-upgrade-guard", outs: inputs };
  },
  async update(_id: string, _olds: GuardedFacts, news: GuardedFacts) {
    return { outs: news };
  },
};

export interface UpgradeGuardArgs {
  numHistoryShards: number;
  /** The release the server image names ("1.31.2"), empty when its tag names none. */
  serverVersion: string;
  allowVersionSkew: boolean;
}

/**
 * Remembers the shard count and server version of the deployed cluster in the stack's state and
 * refuses, at preview, a stack that changes the shard count or moves the version further than one
 * minor up. The schema job and every role wait for it, so a refused change touches nothing.
 */
export class UpgradeGuard extends pulumi.dynamic.Resource {
  declare readonly numHistoryShards: pulumi.Output<number>;
  declare readonly serverVersion: pulumi.Output<string>;

  constructor(name: string, args: UpgradeGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(upgradeGuardProvider, name, { ...args }, opts, "temporal-kit", "UpgradeGuard");
  }
}

/** The guard for a stack: the shard count and the release its server image names. */
export function guardUpgrades(
  name: string,
  temporal: { numHistoryShards: number; serverImage: string; allowVersionSkew: boolean },
  opts?: pulumi.CustomResourceOptions,
): UpgradeGuard {
  const version = serverVersionOf(temporal.serverImage);
  if (temporal.allowVersionSkew) {
    pulumi.log.warn(
      "temporal.allowVersionSkew is set: this deploy does not check the server version against the deployed one. Remove it again after this deploy so the next upgrade is checked.",
    );
  }
  return new UpgradeGuard(
    name,
    { numHistoryShards: temporal.numHistoryShards, serverVersion: version ? formatVersion(version) : "", allowVersionSkew: temporal.allowVersionSkew },
    opts,
  );
}
