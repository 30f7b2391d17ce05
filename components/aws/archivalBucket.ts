import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import type * as awsInputs from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { ArchivalConfig } from "../config/archivalSchema";
import type { ArchivalKind } from "../temporal/archival";
import { awsTags } from "./tags";

export interface ArchivalBucketArgs {
  /** The start of the created bucket's name; AWS appends a unique suffix. At most 37 characters. */
  bucketPrefix: string;
  /** Archive into this bucket rather than create one: the kit then only grants access to it. */
  existingBucketName?: string;
  /** What Temporal archives: each kind writes under its own prefix, and the policy opens only those. */
  kinds: ArchivalKind[];
  lifecycle: ArchivalConfig["lifecycle"];
  /** Production: the bucket survives `pulumi destroy` and cannot be deleted by a change. */
  retain: boolean;
  tags: Record<string, string>;
}

/** Versions an errant delete or overwrite leaves behind are kept this long, then removed. */
export const NONCURRENT_VERSION_DAYS = 30;
const INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * Exactly what Temporal's S3 archiver calls: PutObject (archive), GetObject and HeadObject (read
 * back), ListObjectsV2 (visibility queries) and HeadBucket (URI validation). IAM authorises the
 * last two with s3:ListBucket, and HeadObject with s3:GetObject. No delete: Temporal never deletes
 * archives, the lifecycle rules do.
 */
export function archivalAccessPolicy(bucketArn: string, kinds: ArchivalKind[]): object {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "FindArchives", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
      { Sid: "ReadAndWriteArchives", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: kinds.map((kind) => `${bucketArn}/${kind}/*`) },
    ],
  };
}

/** Refuses every request that does not arrive over TLS, whoever makes it. */
export function tlsOnlyBucketPolicy(bucketArn: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyPlainHttp",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** Moves archives to cheaper classes GetObject still reads at once, and deletes them when told to. */
export function archiveLifecycleRules(lifecycle: ArchivalConfig["lifecycle"]): awsInputs.s3.BucketLifecycleConfigurationRule[] {
  const transitions = [
    ...(lifecycle.infrequentAccessAfterDays ? [{ days: lifecycle.infrequentAccessAfterDays, storageClass: "STANDARD_IA" }] : []),
    ...(lifecycle.glacierInstantRetrievalAfterDays ? [{ days: lifecycle.glacierInstantRetrievalAfterDays, storageClass: "GLACIER_IR" }] : []),
  ];
  return [
    {
      id: "archives",
      status: "Enabled",
      filter: {},
      ...(transitions.length ? { transitions } : {}),
      ...(lifecycle.expireAfterDays ? { expiration: { days: lifecycle.expireAfterDays } } : {}),
      noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
      abortIncompleteMultipartUpload: { daysAfterInitiation: INCOMPLETE_UPLOAD_DAYS },
    },
    // Expiry in a versioned bucket leaves delete markers; once their versions are gone they are clutter.
    ...(lifecycle.expireAfterDays ? [{ id: "expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } }] : []),
  ];
}

/**
 * The S3 bucket Temporal archives closed workflows into, and the IAM policy that lets the server
 * use it and nothing else.
 *
 * A created bucket is private (every public access block on, ACLs disabled), encrypted with
 * S3-managed keys (SSE-S3: an archive is written once and read rarely, so per-request KMS charges
 * and a key policy to keep in step with every server role would buy nothing IAM does not already
 * decide), reachable over TLS only, and versioned so an errant delete or overwrite can be undone
 * for NONCURRENT_VERSION_DAYS. In production it is protected and retained: archives outlive the
 * stack, and a namespace's archival URI can never be pointed elsewhere.
 */
export class ArchivalBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  /** The bucket's own region, which the server's archiver must call S3 in. */
  readonly region: pulumi.Output<string>;
  /** The managed policy every server role that archives or reads archives carries. */
  readonly accessPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: ArchivalBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:ArchivalBucket", name, {}, opts);
    if (args.kinds.length === 0) throw new Error("ArchivalBucket needs history, visibility or both to archive");
    if (!/^[a-z0-9][a-z0-9-]{0,36}$/.test(args.bucketPrefix)) {
      throw new Error(`bucketPrefix must be at most 37 lower-case letters, digits and '-'; given "${args.bucketPrefix}"`);
    }
    const child = childOf(this, opts);
    if (args.existingBucketName) {
      // Looked up rather than assumed: the preview fails on a missing bucket, and one in another region still works.
      const existing = s3.getBucketOutput({ bucket: args.existingBucketName }, { parent: this });
      this.bucketName = pulumi.output(args.existingBucketName);
      this.bucketArn = existing.arn;
      this.region = existing.region;
    } else {
      const bucket = this.createBucket(name, args, child);
      this.bucketName = bucket.bucket;
      this.bucketArn = bucket.arn;
      this.region = bucket.region;
    }

    const policy = new iam.Policy(
      `${name}-access`,
      {
        description: "Lets the Temporal server write and read its archives in one bucket, and nothing else",
        policy: this.bucketArn.apply((arn) => JSON.stringify(archivalAccessPolicy(arn, args.kinds))),
        tags: awsTags(args.tags, `${name}-access`),
      },
      child,
    );
    this.accessPolicyArn = policy.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, accessPolicyArn: this.accessPolicyArn });
  }

  private createBucket(name: string, args: ArchivalBucketArgs, child: pulumi.CustomResourceOptions): s3.Bucket {
    const bucket = new s3.Bucket(
      `${name}-bucket`,
      {
        bucketPrefix: args.bucketPrefix,
        // Outside production a destroyed stack takes its archives along; production keeps them.
        forceDestroy: !args.retain,
        tags: awsTags(args.tags, `${name}-bucket`),
      },
      { ...child, ...(args.retain ? { protect: true, retainOnDelete: true } : {}) },
    );
    const onBucket = { ...child, parent: bucket };
    new s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      onBucket,
    );
    new s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, onBucket);
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      onBucket,
    );
    new s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) }, onBucket);
    const versioning = new s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, onBucket);
    new s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: bucket.id, rules: archiveLifecycleRules(args.lifecycle) },
      // S3 refuses noncurrent-version rules on a bucket whose versioning is not yet on.
      { ...onBucket, dependsOn: [versioning] },
    );
    return bucket;
  }
}
