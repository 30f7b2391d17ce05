import type { ResourceValidationPolicy } from "@pulumi/policy";

type Check = (props: Record<string, any>) => string | undefined;

const CHECKS: Record<string, Check> = {
  "aws:rds/instance:Instance": (props) => (props.storageEncrypted === true ? undefined : "RDS instance does not set storageEncrypted"),
  "aws:rds/cluster:Cluster": (props) => (props.storageEncrypted === true ? undefined : "RDS cluster does not set storageEncrypted"),
  "aws:opensearch/domain:Domain": (props) =>
    props.encryptAtRest?.enabled === true ? undefined : "OpenSearch domain does not enable encryptAtRest",
  "aws:ebs/volume:Volume": (props) => (props.encrypted === true ? undefined : "EBS volume is not encrypted"),
  "aws:eks/cluster:Cluster": (props) =>
    (props.encryptionConfig?.resources ?? []).includes("secrets") ? undefined : "EKS cluster does not encrypt Kubernetes secrets with KMS (encryptionConfig)",
  "aws:efs/fileSystem:FileSystem": (props) => (props.encrypted === true ? undefined : "EFS file system is not encrypted"),
  "azure-native:storage:StorageAccount": (props) =>
    props.encryption?.requireInfrastructureEncryption === false || props.enableHttpsTrafficOnly === false
      ? "storage account turns off infrastructure encryption or allows plain HTTP"
      : undefined,
};

export const encryptionAtRest: ResourceValidationPolicy = {
  name: "encryption-at-rest",
  description: "Data at rest is encrypted: RDS storage, OpenSearch, EBS and EFS volumes, EKS secrets (KMS).",
  validateResource: (args, reportViolation) => {
    const check = CHECKS[args.type];
    if (!check) return args.notApplicable("stores no data the kit can encrypt");
    const problem = check(args.props);
    if (problem) reportViolation(`${problem}.`);
  },
};
