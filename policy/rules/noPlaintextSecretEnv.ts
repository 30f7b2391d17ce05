import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TASK_DEFINITION_TYPE, ecsContainersOf } from "../ecs";
import { containersOf, objectName, podSpecOf } from "../kubernetes";

const SECRET_WORD = /(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|KEY|CREDENTIALS?)(_|$)/i;
/** A variable that names where a secret lives (a file, a path) holds no secret itself. */
const POINTER_SUFFIX = /_(FILE|PATH|DIR|NAME|ARN|ID|REF)$/i;

/** True for names like DB_PASSWORD, TEMPORAL_AUTH_CLIENT_SECRET, API_KEY, GITHUB_TOKEN. */
export function looksSecret(name: string): boolean {
  return SECRET_WORD.test(name) && !POINTER_SUFFIX.test(name);
}

export const noPlaintextSecretEnv: ResourceValidationPolicy = {
  name: "no-plaintext-secret-env",
  description:
    "Environment variables named like secrets (PASSWORD, SECRET, KEY, TOKEN) come from a Kubernetes Secret (valueFrom.secretKeyRef) or, on ECS, from `secrets`, never from a literal value.",
  validateResource: (args, reportViolation) => {
    const spec = podSpecOf(args.type, args.props);
    if (spec) {
      for (const { container } of containersOf(spec)) {
        for (const variable of container.env ?? []) {
          if (!looksSecret(variable.name)) continue;
          if (variable.value !== undefined || !variable.valueFrom?.secretKeyRef) {
            reportViolation(`${objectName(args.props)}: container "${container.name}" sets ${variable.name} without valueFrom.secretKeyRef.`);
          }
        }
      }
      return;
    }
    if (args.type === TASK_DEFINITION_TYPE) {
      for (const container of ecsContainersOf(args.props) ?? []) {
        for (const variable of container.environment ?? []) {
          if (looksSecret(variable.name)) {
            reportViolation(`task ${args.props.family}: container "${container.name}" puts ${variable.name} in environment; use secrets (Secrets Manager valueFrom).`);
          }
        }
      }
      return;
    }
    return args.notApplicable("no environment variables");
  },
};
