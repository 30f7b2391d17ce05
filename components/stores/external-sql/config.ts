import { z } from "zod";
import { secretRef, sqlPool } from "../../config/primitives";
import type { ReportIssue, StoreRuleInput } from "../rules";

/** A MySQL or PostgreSQL server the kit only points at. */
export const externalSql = z.strictObject({
  hosting: z.literal("external").meta({ description: "A MySQL or PostgreSQL server you run; no preset fills it, so give every key." }),
  engine: z.enum(["mysql8", "postgres12", "postgres12_pgx"]).meta({ description: "Temporal's SQL plugin: MySQL 8, or PostgreSQL through lib/pq (postgres12) or pgx (postgres12_pgx)." }),
  host: z.string().min(1).meta({ description: "The database server's host name." }),
  port: z.number().int().min(1).max(65535).meta({ description: "The database server's port." }),
  user: z.string().min(1).meta({ description: "The user Temporal connects as; the schema Job creates the databases as this user unless they exist." }),
  passwordSecret: secretRef.meta({ description: "The key of an existing Kubernetes Secret in kubernetes.namespace that holds the user's password." }),
  database: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier").meta({ description: "The database holding Temporal's state." }),
  visibilityDatabase: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a SQL identifier").meta({ description: "The database holding the visibility records, on the same server and for the same user." }),
  // Verified against the system CA bundle of the images; custom CA bundles arrive with the cloud stores.
  tls: z
    .strictObject({
      enabled: z.boolean().meta({ description: "Connect to the server over TLS, its certificate checked against the images' system CA bundle." }),
      serverName: z.string().optional().meta({ description: "The name checked in the server's certificate, when it differs from host." }),
    })
    .meta({ description: "TLS to the server, verified against the images' system CA bundle." }),
  pool: sqlPool.meta({ description: "Temporal's connection pool to the database, per role pod." }),
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
