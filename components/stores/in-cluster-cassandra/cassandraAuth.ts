import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { JobPodOverridesConfig } from "../../config/podSchema";
import type { ClusterNames } from "../../kubernetes/names";
import { IMAGE_USERS, hardenedPod, restrictedContainerSecurity, scratchTmp } from "../../kubernetes/podDefaults";
import { retryingJob } from "../../kubernetes/retryingJob";
import type { SecretKeyRef } from "../../kubernetes/secretRef";

/** The superuser the image creates; Temporal logs in as it once the Job below has changed its password. */
export const CASSANDRA_SUPERUSER = "cassandra";

/**
 * Starts the official image with authentication on. The image ships AllowAllAuthenticator and its
 * entrypoint has no setting for it, so this edits cassandra.yaml in the container's own layer
 * (the image makes the config directory writable for exactly this) and then hands over to the
 * entrypoint, which still applies the CASSANDRA_* settings. Swapping the class names, rather than
 * mounting a whole cassandra.yaml, works for both 4.1 (`authenticator: X`) and 5.0
 * (`authenticator:` / `class_name: X`) and keeps every other default of the image's version; the
 * check after it stops the node rather than start it open if a future image changes the layout.
 */
export const START_WITH_AUTH = `set -eu
conf="\${CASSANDRA_CONF:-/etc/cassandra}/cassandra.yaml"
sed -E -i '/^[[:space:]]*#/!{s/\\bAllowAllAuthenticator\\b/PasswordAuthenticator/;s/\\bAllowAllAuthorizer\\b/CassandraAuthorizer/}' "$conf"
if grep -Eq '^[^#]*\\b(AllowAllAuthenticator|AllowAllAuthorizer)\\b' "$conf" \\
  || ! grep -Eq '^[^#]*\\bPasswordAuthenticator\\b' "$conf" || ! grep -Eq '^[^#]*\\bCassandraAuthorizer\\b' "$conf"; then
  echo "could not turn on PasswordAuthenticator and CassandraAuthorizer in $conf" >&2
  exit 1
fi
exec docker-entrypoint.sh cassandra -f
`;

/**
 * Logs in as the superuser with the generated password or, on a fresh cluster, with the image's
 * default one, and sets the generated password; run again it does the same with the new password,
 * so it is idempotent. The values spliced into CQL come from the kit (a password of letters and
 * digits, a data-center name, a number) and are checked against exactly that before use.
 *
 * With AUTH_REPLICATION set (HA), system_auth first moves to NetworkTopologyStrategy with that many
 * replicas. Rows written before the change live on one node only, and the superuser's login reads
 * at QUORUM, so the role's login and superuser flags are written again at ALL (the password by
 * ALTER ROLE) and every replica holds the whole row without waiting for a repair.
 */
export const SECURE_SUPERUSER = `set -eu
case "$CASSANDRA_PASSWORD" in ''|*[!A-Za-z0-9]*) echo "the generated password must be letters and digits" >&2; exit 1;; esac
case "\${AUTH_REPLICATION:-}" in *[!0-9]*) echo "AUTH_REPLICATION must be a number" >&2; exit 1;; esac
case "$CASSANDRA_DC" in ''|*[!A-Za-z0-9_-]*) echo "CASSANDRA_DC must be a data-center name" >&2; exit 1;; esac
cql() { cqlsh "$CQL_HOST" "$CQL_PORT" --connect-timeout=20 --request-timeout=60 -u ${CASSANDRA_SUPERUSER} -p "$1" -e "$2"; }
probe="SELECT release_version FROM system.local"
if cql "$CASSANDRA_PASSWORD" "$probe" >/dev/null 2>&1; then
  current="$CASSANDRA_PASSWORD"
elif cql ${CASSANDRA_SUPERUSER} "$probe" >/dev/null 2>&1; then
  current=${CASSANDRA_SUPERUSER}
else
  echo "cannot log in as ${CASSANDRA_SUPERUSER} yet, with either password; the Job retries" >&2
  exit 1
fi
statements=""
if [ -n "\${AUTH_REPLICATION:-}" ]; then
  statements="ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', '$CASSANDRA_DC': $AUTH_REPLICATION};
CONSISTENCY ALL;
UPDATE system_auth.roles SET can_login = true, is_superuser = true WHERE role = '${CASSANDRA_SUPERUSER}';"
fi
cql "$current" "$statements
ALTER ROLE ${CASSANDRA_SUPERUSER} WITH PASSWORD = '$CASSANDRA_PASSWORD';"
echo "the ${CASSANDRA_SUPERUSER} role has the generated password"
`;

export interface CassandraAuthJobArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  image: string;
  /** The Service of the ready nodes. */
  host: pulumi.Input<string>;
  port: number;
  datacenter: string;
  password: SecretKeyRef;
  /** Replicas of system_auth in the data center; absent leaves the image's default (one). */
  authReplication?: number;
  /** Where the Job schedules and what pulls its image: the nodes' own (inClusterCassandra.ts authJobOverrides). */
  podOverrides?: JobPodOverridesConfig;
}

/** The Job that secures the superuser: see SECURE_SUPERUSER. */
export function cassandraAuthJob(resourceName: string, args: CassandraAuthJobArgs, opts: pulumi.CustomResourceOptions): k8s.batch.v1.Job {
  const settings = { CASSANDRA_DC: args.datacenter, AUTH_REPLICATION: args.authReplication?.toString() ?? "" };
  // A Job's pod template cannot change in place: where it schedules is part of its name too, and left out when unset so the name stays.
  const scheduling = args.podOverrides && Object.keys(args.podOverrides).length > 0 ? { podOverrides: args.podOverrides } : {};
  const specHash = createHash("sha256").update(JSON.stringify({ script: SECURE_SUPERUSER, settings, ...scheduling })).digest("hex");
  return retryingJob(
    resourceName,
    {
      name: args.names.cassandraAuthJob(specHash),
      namespace: args.namespace,
      labels: args.labels,
      pod: {
        ...hardenedPod(IMAGE_USERS.cassandra),
        volumes: [scratchTmp.volume],
        containers: [
          {
            name: "secure-superuser",
            // The server image carries cqlsh, so the Job needs no image of its own.
            image: args.image,
            imagePullPolicy: "IfNotPresent",
            command: ["bash", "-c", SECURE_SUPERUSER],
            env: [
              { name: "CQL_HOST", value: args.host },
              { name: "CQL_PORT", value: String(args.port) },
              { name: "CASSANDRA_PASSWORD", valueFrom: { secretKeyRef: args.password } },
              { name: "CASSANDRA_DC", value: settings.CASSANDRA_DC },
              { name: "AUTH_REPLICATION", value: settings.AUTH_REPLICATION },
              // The image's user has no home directory, and cqlsh keeps its settings under it.
              { name: "HOME", value: "/tmp" },
            ],
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            securityContext: restrictedContainerSecurity,
            volumeMounts: [scratchTmp.mount],
          },
        ],
      },
      podOverrides: args.podOverrides,
    },
    opts,
  );
}
