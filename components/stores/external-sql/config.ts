import { z } from "zod";
import { secretRef, sqlPool } from "../../config/primitives";
import type { ReportIssue, StoreRuleInput } from "../rules";

/** A MySQL or PostgreSQL server the kit only points at. */
export const externalSql = z.strictObject({
  hosting: z.literal("external"),
  engine: z.enum(["mysql8", "postgres12", "postgres12_pgx"]),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  passwordSecret: secretRef,
  database: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier"),
  visibilityDatabase: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier"),
  // Verified against the system CA bundle of the images; custom CA bundles arrive with the cloud stores.
  tls: z.strictObject({ enabled: z.boolean(), serverName: z.string().optional() }),
  pool: sqlPool,
});
export type ExternalSqlConfig = z.infer<typeof externalSql>;

export function externalSqlRules(config: StoreRuleInput, issue: ReportIssue): void {
  if (config.kubernetes?.createNamespace === true) {
    issue(
      ["kubernetes", "createNamespace"],
      true,
      "must be false with an external data store: its password Secret (persistence.passwordSecret) has to exist in the namespace before the deploy, so create both first",
    );
  }
}
