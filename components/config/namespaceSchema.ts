import { z } from "zod";
import { namespaceArchival } from "./archivalSchema";

/** A Temporal namespace the stack declares: created when missing, brought to this spec when not. */

const DURATION_HOURS_OR_DAYS = /^([1-9][0-9]*)(h|d)$/;

export const namespace = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,254}$/, "must be a Temporal namespace name").meta({ description: "The Temporal namespace's name." }),
  retention: z
    .string()
    .regex(DURATION_HOURS_OR_DAYS, "must be a duration in hours or days such as 72h or 30d")
    .refine((value) => retentionHours(value) >= 24, { message: "must be at least 24h: Temporal's minimum retention" }).meta({ description: "How long Temporal keeps closed workflows' histories, in hours or days (at least 24h)." }),
  description: z.string().optional().meta({ description: "The namespace's description in Temporal." }),
  archival: namespaceArchival.optional().meta({ description: "This namespace's archival; without it the namespace follows the cluster's `archival` settings." }),
});
export type NamespaceConfig = z.infer<typeof namespace>;

export function retentionHours(retention: string): number {
  const match = DURATION_HOURS_OR_DAYS.exec(retention);
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === "d" ? 24 : 1);
}
