import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/schema";
import type { ArchivalKind, ArchivalSpec } from "../temporal/archival";
import { ArchivalBucket } from "./archivalBucket";

/** The archive bucket of a stack that turns archival on (the config admits that on AWS only). */
export function archivalBucketFor(name: string, config: StackConfig, tags: Record<string, string>, opts: pulumi.ComponentResourceOptions): ArchivalBucket | undefined {
  const archival = config.archival;
  if (!archival.enabled) return undefined;
  const kinds = (["history", "visibility"] as ArchivalKind[]).filter((kind) => archival[kind]);
  return new ArchivalBucket(
    name,
    {
      bucketPrefix: `${config.clusterName}-archival-`.slice(0, 37),
      existingBucketName: archival.existingBucket,
      kinds,
      lifecycle: archival.lifecycle,
      retain: config.environment === "production",
      tags,
    },
    opts,
  );
}

/** What the server config needs to know about the archive; nothing when archival is off. */
export function archivalSpecOf(config: StackConfig, bucket: ArchivalBucket | undefined): pulumi.Output<ArchivalSpec | undefined> {
  if (!bucket) return pulumi.output(undefined);
  return pulumi.all([bucket.bucketName, bucket.region]).apply(([name, region]) => ({
    bucket: name,
    region,
    history: config.archival.history,
    visibility: config.archival.visibility,
  }));
}
