/**
 * RDS engine versions a new DB instance can be created with, kept as data so that a version RDS no
 * longer creates (a pinned minor such as 16.4, a major past standard support) fails in config, not
 * halfway through a deploy: Pulumi's mocks accept any string.
 *
 * Read 2026-12-03. Sources:
 * - Major versions and their RDS end of standard support: the AWS release calendars,
 *   https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
 *   and https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html
 *   (section "Supported MySQL major versions on Amazon RDS"). The stored copies searched here hold
 *   those pages' tables of contents but not their tables, so the dates were read from
 *   awslabs/aws-service-eol-data data/eol.json (lastUpdated 2026-09-13, commit f10afaf9), which
 *   cites those two pages for every RDS entry: PostgreSQL 18 to 2031-02-28, 17 to 2030-02-28,
 *   16 to 2029-02-28, 15 to 2028-02-29, 14 to 2027-02-28, 13 ended 2026-02-28, 12 ended
 *   2025-02-28, 11 ended 2024-02-29; MySQL 8.4 to 2029-07-31, 8.0 ended 2026-07-31, 5.7 ended
 *   2024-02-29. A major past that date is created only under RDS Extended Support, which is billed
 *   extra (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-overview.html).
 * - Minor versions: RDS stops creating a minor about a year after its release. AWS's Health
 *   notice of 2026, which the stored copies hold only as quoted (the saayam-for-all/database wiki
 *   page "AWS RDS instances - Health Checks", 2026-05-30, and lucaberton.com "AWS RDS PostgreSQL
 *   Minor Version Deprecation"), says that from 2026-05-01 no new instance can be created on
 *   PostgreSQL 14.14-14.17, 15.9-15.12, 16.5-16.8 or 17.1-17.4, and that those move to 14.20,
 *   15.15, 16.11, 17.7 or higher; 16.4 is older still. No list of the minors RDS creates today
 *   could be read, so the kit takes major versions only: RDS then creates the newest minor of the
 *   major (which one, `aws rds describe-db-engine-versions --default-only --engine postgres`
 *   shows, per AWS's "Amazon RDS for PostgreSQL updates" page) and the instance's
 *   autoMinorVersionUpgrade keeps it patched.
 *
 * Temporal's plugins need MySQL 8.0.17+ (mysql8) and PostgreSQL 12+ (postgres12), which every
 * major here satisfies. Update this list from the calendars when a major is added or leaves
 * standard support; the unit tests check it stays consistent with its own date.
 */

export type RdsEngine = "mysql8" | "postgres12";

export const RDS_ENGINE_VERSIONS_READ_ON = "2026-12-03";
export const RDS_ENGINE_VERSIONS_SOURCE = "the RDS release calendar, read 2026-12-03";

interface MajorVersion {
  major: string;
  /** The last day of RDS standard support, as the release calendar gives it. */
  standardSupportEnds: string;
}

const ENGINES: Record<RdsEngine, { name: string; offered: MajorVersion[]; extendedSupportOnly: MajorVersion[] }> = {
  mysql8: {
    name: "MySQL",
    offered: [{ major: "8.4", standardSupportEnds: "2029-07-31" }],
    extendedSupportOnly: [
      { major: "8.0", standardSupportEnds: "2026-07-31" },
      { major: "5.7", standardSupportEnds: "2024-02-29" },
    ],
  },
  postgres12: {
    name: "PostgreSQL",
    offered: [
      { major: "14", standardSupportEnds: "2027-02-28" },
      { major: "15", standardSupportEnds: "2028-02-29" },
      { major: "16", standardSupportEnds: "2029-02-28" },
      { major: "17", standardSupportEnds: "2030-02-28" },
      { major: "18", standardSupportEnds: "2031-02-28" },
    ],
    extendedSupportOnly: [
      { major: "13", standardSupportEnds: "2026-02-28" },
      { major: "12", standardSupportEnds: "2025-02-28" },
      { major: "11", standardSupportEnds: "2024-02-29" },
    ],
  },
};

/** The major versions RDS creates under standard support, oldest first. */
export function offeredRdsMajors(engine: RdsEngine): MajorVersion[] {
  return ENGINES[engine].offered;
}

/** Majors RDS still creates, but only under (paid) RDS Extended Support. */
export function extendedSupportRdsMajors(engine: RdsEngine): MajorVersion[] {
  return ENGINES[engine].extendedSupportOnly;
}

/** The major a version string belongs to: `8.4` for MySQL 8.4.6, `16` for PostgreSQL 16.4. */
export function rdsMajorOf(engine: RdsEngine, version: string): string | undefined {
  const match = engine === "mysql8" ? /^(\d+\.\d+)(\.\d+)?$/.exec(version) : /^(\d+)(\.\d+)?$/.exec(version);
  return match?.[1];
}

/**
 * Why RDS would not create `version` for a new instance of `engine`, or undefined when it would.
 * The reason names the versions it does create.
 */
export function rdsEngineVersionProblem(engine: RdsEngine, version: string, acceptExtendedSupport = false): string | undefined {
  const { name, offered, extendedSupportOnly } = ENGINES[engine];
  const majors = offered.map((entry) => entry.major);
  const allowed = `${name} major versions RDS creates under standard support: ${majors.join(", ")} (${RDS_ENGINE_VERSIONS_SOURCE})`;
  if (majors.includes(version)) return undefined;

  const major = rdsMajorOf(engine, version);
  if (major !== undefined && majors.includes(major)) {
    return `must be the major version ${major} without a minor: RDS creates the newest ${major} minor it offers and keeps it patched, while a pinned minor stops being creatable about a year after its release; ${allowed}`;
  }
  const past = extendedSupportOnly.find((entry) => entry.major === major);
  if (past && acceptExtendedSupport && version === past.major) return undefined;
  if (past) {
    return (
      `must be one of the ${allowed}; ${name} ${past.major} left RDS standard support on ${past.standardSupportEnds} and is created only under RDS Extended Support, billed extra ` +
      `(an instance already on it may stay, as the major version ${past.major}, with persistence.acceptExtendedSupport: true until its major-version upgrade)`
    );
  }
  return `must be one of the ${allowed}`;
}
