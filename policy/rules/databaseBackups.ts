import { ofType, stackPolicy } from "../stackRule";

export const MIN_BACKUP_DAYS = 7;

export const databaseBackups = stackPolicy({
  name: "database-backups",
  description: `Production databases keep automated backups for at least ${MIN_BACKUP_DAYS} days (RDS backupRetentionPeriod, Azure Flexible Server backup.backupRetentionDays).`,
  environments: ["production"],
  check: (resources, reportViolation) => {
    for (const type of ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"]) {
      for (const database of ofType(resources, type)) {
        if (database.type === "aws:rds/instance:Instance" && database.props.replicateSourceDb) continue;
        const days = Number(database.props.backupRetentionPeriod ?? 0);
        if (!(days >= MIN_BACKUP_DAYS)) reportViolation(`${database.name}: backupRetentionPeriod is ${days}, at least ${MIN_BACKUP_DAYS} required.`, database.urn);
      }
    }
    for (const type of ["azure-native:dbforpostgresql:Server", "azure-native:dbformysql:Server"]) {
      for (const server of ofType(resources, type)) {
        const days = Number(server.props.backup?.backupRetentionDays ?? 0);
        if (!(days >= MIN_BACKUP_DAYS)) reportViolation(`${server.name}: backup.backupRetentionDays is ${days}, at least ${MIN_BACKUP_DAYS} required.`, server.urn);
      }
    }
  },
});
