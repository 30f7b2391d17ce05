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

const ABSOLUTE_PATH = /^\/[A-Za-z0-9._\/-]+$/;

/**
 * A secret-named variable may hold the path of the file the secret was mounted at (the UI's
 * TEMPORAL_TLS_KEY is a path): on Kubernetes under one of the container's volume mounts, on ECS a
 * path the task writes its `secrets` to. A PEM or a password never looks like a bare path.
 */
function pointsAtMountedFile(value: string | undefined, mountPaths: string[] | undefined): boolean {
  if (value === undefined || !ABSOLUTE_PATH.test(value)) return false;
  return mountPaths === undefined || mountPaths.some((mount) => value.startsWith(`${mount.replace(/\/$/, "")}/`));
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
          const mounts = (container.volumeMounts ?? []).map((mount) => mount.mountPath);
          if (pointsAtMountedFile(variable.value, mounts)) continue;
          // An empty literal holds nothing and overrides an image's default; it states there is no
          // credential, so the program signs in some other way (s3proxy under AKS workload identity).
          if (variable.value === "") continue;
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
          if (looksSecret(variable.name) && !pointsAtMountedFile(variable.value, undefined)) {
            reportViolation(`task ${args.props.family}: container "${container.name}" puts ${variable.name} in environment; use secrets (Secrets Manager valueFrom).`);
          }
        }
      }
      return;
    }
    return args.notApplicable("no environment variables");
  },
};
