import type { z } from "zod";
import { formatVersion, serverVersionOf } from "../temporal/versionSkew";
import { image } from "./primitives";

interface UpgradeRuleInput {
  temporal?: { serverImage?: unknown; adminToolsImage?: unknown; allowVersionSkew?: unknown };
}

/**
 * Upgrades are only safe when the kit knows which release each image is: the admin-tools image
 * migrates the schema to its own release, so it must be the server's, and the upgrade guard
 * compares releases between deploys. A tag that names no release (a digest alone, a custom tag)
 * is accepted only with temporal.allowVersionSkew, which also turns the guard's version rule off.
 */
export function upgradeRules(config: UpgradeRuleInput, ctx: z.RefinementCtx): void {
  const temporal = config.temporal;
  if (!temporal || typeof temporal.serverImage !== "string" || typeof temporal.adminToolsImage !== "string") return;
  const server = serverVersionOf(temporal.serverImage);
  const adminTools = serverVersionOf(temporal.adminToolsImage);
  const overridden = temporal.allowVersionSkew === true;

  const unversioned = (key: "serverImage" | "adminToolsImage", reference: string) => {
    // An image reference that is already invalid (untagged, latest) has its own message.
    if (!image.safeParse(reference).success) return;
    ctx.addIssue({
      code: "custom",
      path: ["temporal", key],
      input: reference,
      message:
        "must carry the Temporal release in its tag (temporalio/server:1.31.2, optionally with @sha256:... after it) so that the kit can run the matching schema upgrade and refuse skipped versions; " +
        "for a custom build tagged otherwise, set temporal.allowVersionSkew: true and check each upgrade yourself",
    });
  };
  if (!server && !overridden) unversioned("serverImage", temporal.serverImage);
  if (!adminTools && !overridden) unversioned("adminToolsImage", temporal.adminToolsImage);

  if (server && adminTools && formatVersion(server) !== formatVersion(adminTools)) {
    ctx.addIssue({
      code: "custom",
      path: ["temporal", "adminToolsImage"],
      input: temporal.adminToolsImage,
      message: `must be the same Temporal release as temporal.serverImage (${formatVersion(server)}): the admin-tools image upgrades the schema to its own release (${formatVersion(adminTools)}), and a server on another release fails with "Expected version ... cannot be greater than Actual version ..."`,
    });
  }
}
