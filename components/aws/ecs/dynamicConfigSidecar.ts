import type { ResourcesConfig } from "../../config/schema";
import type { RoleName } from "../../temporal/roles";
import { FILES_DIR } from "./bootstrap";
import { ECS_USERS, SCRATCH_TMP, hardening } from "./containerHardening";
import type { ContainerDefinition, LogTarget } from "./containerDefinitions";
import { awsLogs } from "./awsLogs";
import { withExtraMemory } from "../../config/fargateSize";

/**
 * Dynamic config on Fargate without restarts. On Kubernetes the file comes from a ConfigMap the
 * kubelet refreshes in place; Fargate has nothing like it, and a file carried in the task
 * definition changes only by rolling the tasks. So the file lives in a Parameter Store parameter,
 * and beside each role this sidecar fetches it into the /tmp the role shares with it, at start
 * and then every DYNAMIC_CONFIG_REFRESH_SECONDS. It replaces the file only when the text changed,
 * by rename, so the server never reads half a file; the server's own poll (dynamicConfigClient,
 * every 10 s) then picks the new values up. A failed fetch keeps the last file.
 */

/** Pinned like every image of the kit; the AWS CLI is published on Amazon ECR Public. */
export const AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.32.9";

export const DYNAMIC_CONFIG_CONTAINER = "dynamic-config";
export const DYNAMIC_CONFIG_REFRESH_SECONDS = 30;
/** Python's AWS CLI needs about 60 MiB while it runs; the task is sized to hold it beside the role. */
export const DYNAMIC_CONFIG_SIDECAR_MEMORY_MIB = 128;
export const DYNAMIC_CONFIG_PARAMETER_ENV = "TEMPORAL_KIT_DYNAMIC_CONFIG_PARAMETER";

/** The refresh loop, in POSIX sh; `target` is the kit's own path, the parameter's name arrives as a variable. */
export function dynamicConfigRefreshScript(target: string, intervalSeconds: number = DYNAMIC_CONFIG_REFRESH_SECONDS): string[] {
  const next = `${target}.next`;
  return [
    "set -u",
    `mkdir -p ${FILES_DIR}`,
    "refresh() {",
    `  if aws ssm get-parameter --name "$${DYNAMIC_CONFIG_PARAMETER_ENV}" --query Parameter.Value --output text > ${next}; then`,
    `    if [ ! -f ${target} ] || [ "$(cat ${next})" != "$(cat ${target})" ]; then mv -f ${next} ${target} && echo "dynamic config updated"; fi`,
    "  else",
    `    echo "cannot read parameter $${DYNAMIC_CONFIG_PARAMETER_ENV}; the roles keep the last dynamic config" >&2`,
    "  fi",
    "}",
    "refresh",
    `while sleep ${intervalSeconds}; do refresh; done`,
  ];
}

export interface DynamicConfigSidecarArgs {
  role: RoleName;
  parameterName: string;
  /** Where the role's server config tells it to read the file. */
  target: string;
  log: LogTarget;
}

export function dynamicConfigSidecarContainer(args: DynamicConfigSidecarArgs): ContainerDefinition {
  return {
    name: DYNAMIC_CONFIG_CONTAINER,
    image: AWS_CLI_IMAGE,
    // A running role keeps its last file; only a role's first start waits for one (see dependsOn).
    essential: false,
    entryPoint: ["/bin/sh", "-c"],
    command: [dynamicConfigRefreshScript(args.target).join("\n")],
    environment: [
      { name: DYNAMIC_CONFIG_PARAMETER_ENV, value: args.parameterName },
      { name: "AWS_REGION", value: args.log.region },
      // The CLI may cache under $HOME; the root filesystem is read-only.
      { name: "HOME", value: SCRATCH_TMP.path },
    ],
    secrets: [],
    portMappings: [],
    healthCheck: { command: ["CMD-SHELL", `test -s ${args.target}`], interval: 5, timeout: 2, retries: 3, startPeriod: 10 },
    memory: DYNAMIC_CONFIG_SIDECAR_MEMORY_MIB,
    // The role's user, so the file it writes into the shared /tmp is the role's own.
    ...hardening(ECS_USERS.temporal, [SCRATCH_TMP]),
    restartPolicy: { enabled: true, restartAttemptPeriod: 60 },
    logConfiguration: awsLogs(args.log, `${args.role}-dynamic-config`),
  };
}

/** A role's resources with room for the sidecar, for sizing the Fargate task. */
export function withDynamicConfigSidecar(resources: ResourcesConfig): ResourcesConfig {
  return withExtraMemory(resources, DYNAMIC_CONFIG_SIDECAR_MEMORY_MIB);
}
