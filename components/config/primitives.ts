import { z } from "zod";

/** Value types shared by every part of the stack config schema. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Kubernetes resource.Quantity, e.g. 250m, 1, 1.5, 512Mi, 2Gi.
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const IMAGE_REFERENCE = /^[a-z0-9][\w.\-\/:@]*$/;

export const dnsLabel = (what: string) =>
  z
    .string()
    .max(63)
    .regex(DNS_LABEL, `must be a DNS label for ${what}: lower-case letters, digits and '-', at most 63 characters`);

export const quantity = z.string().regex(QUANTITY, "must be a Kubernetes quantity such as 250m, 1, 512Mi or 2Gi");

export const image = z
  .string()
  .regex(IMAGE_REFERENCE, "must be an image reference such as registry/name:1.2.3")
  .refine((ref) => ref.includes("@sha256:") || (ref.split("/").pop() ?? "").includes(":"), {
    message: "must pin a tag or a digest (name:1.2.3 or name@sha256:...), an untagged image is not reproducible",
  })
  .refine((ref) => !/:latest(@|$)/.test(ref), {
    message: "must not use the 'latest' tag: pin a version so every deploy is reproducible",
  });

export const resources = z.strictObject({
  requests: z.strictObject({
    cpu: quantity.meta({ description: "The CPU each pod is scheduled with." }),
    memory: quantity.meta({ description: "The memory each pod is scheduled with; every preset sets the same as the limit." }),
  }),
  limits: z.strictObject({
    cpu: quantity.optional().meta({ description: "A CPU ceiling; no preset sets one." }),
    memory: quantity.meta({ description: "The memory above which a pod is killed." }),
  }),
});
export type ResourcesConfig = z.infer<typeof resources>;

export const sqlIdentifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier");

export const sqlPool = z.strictObject({
  maxConns: z.number().int().min(1).max(1000).meta({ description: "The most connections Temporal opens to the database, per role pod." }),
  maxIdleConns: z.number().int().min(1).max(1000).meta({ description: "The most idle connections Temporal keeps open, per role pod." }),
  maxConnLifetime: z.string().regex(/^[0-9]+(s|m|h)$/, "must be a duration such as 30m or 1h").meta({ description: "How long a connection is reused before it is replaced." }),
});

/** A JVM heap size such as 512M or 4G. */
export const heapSize = z.string().regex(/^[1-9][0-9]*[MG]$/, "must be a JVM heap size such as 512M or 4G");

export const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR");

/** A key of a Kubernetes Secret in the stack's namespace. */
export const secretRef = z.strictObject({
  name: dnsLabel("a Kubernetes Secret").meta({ description: "The Secret's name, in kubernetes.namespace." }),
  key: z.string().min(1).meta({ description: "The key in the Secret's data." }),
});
