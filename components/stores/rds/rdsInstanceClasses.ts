/**
 * RDS instance classes offered for MySQL and PostgreSQL (Amazon RDS "Supported DB engines for DB
 * instance classes"). Kept as data so a typo or a class that only other engines offer (db.x1e
 * for Oracle and SQL Server, db.serverless for Aurora) fails in config, not halfway through a
 * deploy.
 */
const SIZES = {
  burstable: ["micro", "small", "medium", "large", "xlarge", "2xlarge"],
  upTo16: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"],
  upTo24: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"],
  upTo32: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"],
  upTo48: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"],
};

const FAMILIES: Record<string, string[]> = {
  t3: SIZES.burstable,
  t4g: SIZES.burstable,
  m5: SIZES.upTo24,
  m6g: SIZES.upTo16,
  m6i: SIZES.upTo32,
  m7g: SIZES.upTo16,
  m7i: SIZES.upTo48,
  m8g: SIZES.upTo48,
  r5: SIZES.upTo24,
  r6g: SIZES.upTo16,
  r6i: SIZES.upTo32,
  r7g: SIZES.upTo16,
  r7i: SIZES.upTo48,
  r8g: SIZES.upTo48,
  x2g: SIZES.upTo16,
};

const CLASSES = new Set(Object.entries(FAMILIES).flatMap(([family, sizes]) => sizes.map((size) => `db.${family}.${size}`)));

/** MySQL and PostgreSQL are offered on the same classes. */
export function isMysqlOrPostgresInstanceClass(instanceClass: string): boolean {
  return CLASSES.has(instanceClass);
}

export const RDS_FAMILIES = Object.keys(FAMILIES).map((family) => `db.${family}`);
