import { beforeAll, describe, expect, it } from "vitest";
import { ArchivalBucket, ArchivalBucketArgs, NONCURRENT_VERSION_DAYS } from "../../components/aws/archivalBucket";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { caseQueries } from "../helpers/caseQueries";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  iamPolicy: "aws:iam/policy:Policy",
} as const;

const base: ArchivalBucketArgs = { bucketPrefix: "temporal-archival-", kinds: ["history", "visibility"], lifecycle: {}, retain: false, tags: { "temporal-kit:environment": "test" } };
const cases = {
  /** Production: retained, moved to cheaper classes, deleted after three years. */
  prd: { ...base, retain: true, lifecycle: { infrequentAccessAfterDays: 30, glacierInstantRetrievalAfterDays: 90, expireAfterDays: 1095 } },
  /** Staging: history only, kept until someone deletes it. */
  stg: { ...base, kinds: ["history"] },
  /** An existing bucket the kit only grants access to. */
  ext: { ...base, existingBucketName: "acme-temporal-archive" },
} satisfies Record<string, ArchivalBucketArgs>;
type Case = keyof typeof cases;

let records: ResourceRecord[];
const buckets = {} as Record<Case, ArchivalBucket>;
beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  for (const name of Object.keys(cases) as Case[]) buckets[name] = new ArchivalBucket(name, cases[name]);
  await settle();
});
const { of, only } = caseQueries<Case>(() => records, "temporal-kit:aws:ArchivalBucket");
const documentOf = (record: ResourceRecord) => JSON.parse(String(record.inputs.policy)) as { Statement: Record<string, any>[] };

describe("ArchivalBucket argument checks", () => {
  it("refuses to archive nothing", () => {
    expect(() => new ArchivalBucket("none", { ...base, kinds: [] })).toThrow("ArchivalBucket needs history, visibility or both to archive");
  });

  it("refuses a prefix S3 would not accept", () => {
    expect(() => new ArchivalBucket("long", { ...base, bucketPrefix: "x".repeat(38) })).toThrow(`bucketPrefix must be at most 37 lower-case letters, digits and '-'; given "${"x".repeat(38)}"`);
  });
});

describe("ArchivalBucket", () => {
  it.each(["prd", "stg"] as const)("blocks every kind of public access (%s)", (name) => {
    expect(only(name, TYPES.publicAccess).inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(only(name, TYPES.ownership).inputs).toMatchObject({ rule: { objectOwnership: "BucketOwnerEnforced" } });
  });

  it("encrypts every archive at rest with S3-managed keys", () => {
    expect(only("prd", TYPES.encryption).inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  it("refuses any request that does not arrive over TLS", async () => {
    const arn = await promiseOf(buckets.prd.bucketArn);
    expect(documentOf(only("prd", TYPES.policy)).Statement).toEqual([
      { Sid: "DenyPlainHttp", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ]);
  });

  it("versions objects so an errant delete can be undone, and cleans old versions up", () => {
    expect(only("prd", TYPES.versioning).inputs).toMatchObject({ versioningConfiguration: { status: "Enabled" } });
    const [archives] = only("stg", TYPES.lifecycle).inputs.rules as Record<string, any>[];
    expect(archives.noncurrentVersionExpiration).toEqual({ noncurrentDays: NONCURRENT_VERSION_DAYS });
    expect(archives.abortIncompleteMultipartUpload).toEqual({ daysAfterInitiation: 7 });
  });

  it("moves archives only to classes GetObject reads at once, and expires them when told", () => {
    const rules = only("prd", TYPES.lifecycle).inputs.rules as Record<string, any>[];
    expect(rules[0]).toMatchObject({
      id: "archives",
      status: "Enabled",
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 90, storageClass: "GLACIER_IR" },
      ],
      expiration: { days: 1095 },
    });
    expect(rules[1]).toMatchObject({ id: "expired-delete-markers", expiration: { expiredObjectDeleteMarker: true } });
  });

  it("keeps archives until someone deletes them when no expiry is set", () => {
    const rules = only("stg", TYPES.lifecycle).inputs.rules as Record<string, any>[];
    expect(rules).toHaveLength(1);
    expect(rules[0].expiration).toBeUndefined();
    expect(rules[0].transitions).toBeUndefined();
  });

  it("is protected and retained in production: archives outlive the stack", () => {
    expect(only("prd", TYPES.bucket)).toMatchObject({ protect: true, retainOnDelete: true });
    expect(only("prd", TYPES.bucket).inputs.forceDestroy).toBe(false);
  });

  it("goes with the stack outside production", () => {
    const bucket = only("stg", TYPES.bucket);
    expect(bucket.protect).toBeUndefined();
    expect(bucket.retainOnDelete).toBeUndefined();
    expect(bucket.inputs.forceDestroy).toBe(true);
  });

  it("creates nothing in an existing bucket, and grants access to that bucket alone", async () => {
    expect(of("ext", TYPES.bucket)).toEqual([]);
    expect(of("ext", TYPES.publicAccess)).toEqual([]);
    expect(await promiseOf(buckets.ext.bucketArn)).toBe("arn:aws:s3:::acme-temporal-archive");
    expect(documentOf(only("ext", TYPES.iamPolicy)).Statement[0].Resource).toEqual(["arn:aws:s3:::acme-temporal-archive"]);
  });
});

describe("ArchivalBucket access policy", () => {
  it("allows exactly what Temporal's S3 archiver calls, on this bucket and each archived kind's prefix only", async () => {
    const arn = await promiseOf(buckets.prd.bucketArn);
    expect(arn).toMatch(/^arn:aws:s3:::temporal-archival-/);
    expect(documentOf(only("prd", TYPES.iamPolicy)).Statement).toEqual([
      { Sid: "FindArchives", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn] },
      { Sid: "ReadAndWriteArchives", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${arn}/history/*`, `${arn}/visibility/*`] },
    ]);
  });

  it("opens only the history prefix when only history is archived", async () => {
    const arn = await promiseOf(buckets.stg.bucketArn);
    expect(documentOf(only("stg", TYPES.iamPolicy)).Statement[1].Resource).toEqual([`${arn}/history/*`]);
  });

  it("never allows deleting, wildcards over actions, or another bucket", () => {
    for (const name of Object.keys(cases) as Case[]) {
      for (const statement of documentOf(only(name, TYPES.iamPolicy)).Statement) {
        expect(statement.Effect).toBe("Allow");
        for (const action of statement.Action) expect(action).toMatch(/^s3:(ListBucket|GetObject|PutObject)$/);
        for (const resource of statement.Resource) expect(resource).toMatch(/^arn:aws:s3:::(temporal-archival-|acme-temporal-archive)/);
      }
    }
  });
});

describe("ArchivalBucket region", () => {
  it("is the existing bucket's own region, which may differ from the stack's", async () => {
    expect(await promiseOf(buckets.ext.region)).toBe("us-west-2");
  });

  it("is the created bucket's region", async () => {
    expect(await promiseOf(buckets.stg.region)).toBe("us-east-1");
  });
});
