/**
 * Which server version changes Temporal can survive. The database schema moves forward with each
 * minor release and never back, and each release only upgrades from the minor just before it, so
 * the deployed cluster may only move by patches or one minor up.
 *
 * Deliberately free of imports: the upgrade guard's provider captures these functions, and
 * Pulumi serializes everything a dynamic provider captures.
 */

export interface ServerVersion {
  major: number;
  minor: number;
  patch: number;
}

// Temporal tags its images with the release (1.31.2); admin-tools tags may carry the CLI versions
// after it (1.29.1-tctl-1.18.4-cli-1.4.1) and release candidates a suffix (1.31.0-rc.1).
const RELEASE_TAG = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+.][\w.+-]*)?$/;

/** The tag of an image reference: after the last ':' of the last path segment, before any digest. */
export function tagOf(image: string): string | undefined {
  const withoutDigest = image.split("@")[0];
  const lastSegment = withoutDigest.split("/").pop() ?? "";
  const colon = lastSegment.indexOf(":");
  return colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
}

/** The Temporal release an image tag names, or undefined when the tag names none (digest only, custom tag). */
export function serverVersionOf(image: string): ServerVersion | undefined {
  const match = RELEASE_TAG.exec(tagOf(image) ?? "");
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

export function formatVersion(version: ServerVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/** "1.31.2" back into a version; undefined for anything else (an older guard's empty value). */
export function parseVersion(text: string | undefined): ServerVersion | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text ?? "");
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

const minorOf = (version: ServerVersion) => `${version.major}.${version.minor}`;

/**
 * Why the cluster must not move from `deployed` to `next`, or undefined when it may: the same
 * minor (any patch, either way) or the next minor up.
 */
export function versionChangeProblem(deployed: ServerVersion, next: ServerVersion): string | undefined {
  const from = formatVersion(deployed);
  const to = formatVersion(next);
  if (next.major !== deployed.major) {
    return (
      `the cluster runs Temporal ${from} and the stack asks for ${to}: a change of major version has no supported upgrade path in this kit. ` +
      `Stay on ${deployed.major}.x, or build a new cluster on ${next.major}.x and move the workloads to it`
    );
  }
  if (next.minor === deployed.minor || next.minor === deployed.minor + 1) return undefined;
  if (next.minor > deployed.minor + 1) {
    const nextStep = `${deployed.major}.${deployed.minor + 1}`;
    return (
      `the cluster runs Temporal ${from} and the stack asks for ${to}, which skips ${skippedMinors(deployed, next)}: ` +
      `Temporal upgrades one minor version at a time, each release migrating the schema from the one before it. ` +
      `Set temporal.serverImage and temporal.adminToolsImage to the latest ${nextStep}.x patch first, deploy and let every role roll, then continue to ${minorOf(next)}`
    );
  }
  return (
    `the cluster runs Temporal ${from} and the stack asks for ${to}, an older minor version: ` +
    `the database schema was already upgraded for ${minorOf(deployed)} and cannot go back, and older servers are not tested against it. ` +
    `Stay on ${minorOf(deployed)}.x (any patch), or restore the database from a backup taken before the upgrade and set temporal.allowVersionSkew for that one deploy`
  );
}

function skippedMinors(deployed: ServerVersion, next: ServerVersion): string {
  const skipped: string[] = [];
  for (let minor = deployed.minor + 1; minor < next.minor; minor++) skipped.push(`${deployed.major}.${minor}`);
  return skipped.length === 1 ? skipped[0] : `${skipped.slice(0, -1).join(", ")} and ${skipped[skipped.length - 1]}`;
}
