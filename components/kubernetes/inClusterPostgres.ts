import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import * as random from "@pulumi/random";
import type { ResourcesConfig } from "../config/schema";
import { type ClusterNames, serviceHost } from "./names";
import { IMAGE_USERS, containerResources, dataVolumeClaim, hardenedPod, restrictedContainerSecurity, scratchDir, scratchTmp } from "./podDefaults";
import type { SecretKeyRef } from "./secretRef";

export interface InClusterPostgresArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  image: string;
  storageSize: string;
  storageClassName?: string;
  resources: ResourcesConfig;
  user: string;
  database: string;
  visibilityDatabase: string;
  /** From the Temporal connection budget: the default of 100 is too few for a real cluster. */
  maxConnections: number;
}

const POSTGRES_PORT = 5432;
const PASSWORD_KEY = "password";
const DATA_DIR = "/var/lib/postgresql/data";
/**
 * The cluster's files one level below the volume: initdb refuses a non-empty directory, and the
 * root of many provisioners' volumes holds lost+found (the image's README recommends a subdirectory).
 */
const PGDATA = `${DATA_DIR}/pgdata`;
/** postgres keeps its Unix socket and lock file here; on a read-only root filesystem it needs its own volume. */
const postgresSocket = scratchDir("run", "/var/run/postgresql");

/**
 * The init script the image's entrypoint runs once, on an empty data directory, after creating the
 * user (as initdb's superuser) and `POSTGRES_DB` owned by it. The visibility database is made the
 * user's too: Temporal's visibility schema creates the btree_gin extension, and from PostgreSQL 15
 * only a database's owner may create objects in its public schema. `\gexec` runs the CREATE only
 * when the database is missing, so a name shared with `database` cannot fail the first start.
 * Both names are SQL identifiers (checked by the stack config), safe inside double quotes.
 */
export function visibilityDatabaseScript(user: string, visibilityDatabase: string): string {
  return [
    `SELECT 'CREATE DATABASE "${visibilityDatabase}" OWNER "${user}"'`,
    `WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${visibilityDatabase}')\\gexec`,
    "",
  ].join("\n");
}

/**
 * A single PostgreSQL server inside the cluster, for dev and for machines where MySQL 8 cannot run:
 * a StatefulSet on the official postgres image with its own volume, a governing Service, and a
 * generated password kept in a Kubernetes Secret. Not highly available; staging and production
 * move to a managed database.
 */
export class InClusterPostgres extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;
  readonly port = POSTGRES_PORT;
  readonly password: SecretKeyRef;
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  readonly secret: k8s.core.v1.Secret;

  constructor(name: string, args: InClusterPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:InClusterPostgres", name, {}, opts);
    const { names } = args;
    const labels = names.labels("postgres");
    const selector = names.selector("postgres");

    // Letters and digits only: the password travels through a DSN and a YAML template.
    const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, childOf(this, opts));

    this.secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: names.postgresCredentials, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: { [PASSWORD_KEY]: password.result },
      },
      childOf(this, opts),
    );
    this.password = { name: this.secret.metadata.name, key: PASSWORD_KEY };

    const initScript = new k8s.core.v1.ConfigMap(
      `${name}-init`,
      {
        metadata: { name: names.postgresInit, namespace: args.namespace, labels },
        data: { "01-visibility.sql": visibilityDatabaseScript(args.user, args.visibilityDatabase) },
      },
      childOf(this, opts),
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: names.postgres, namespace: args.namespace, labels },
        spec: {
          clusterIP: "None",
          selector,
          ports: [{ name: "postgres", port: POSTGRES_PORT, targetPort: "postgres", protocol: "TCP" }],
        },
      },
      childOf(this, opts),
    );

    // pg_isready needs no password: a server that asks for one is accepting connections. The
    // database is named so that the check does not log a failed login to a database that is missing.
    const ready = { exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", String(POSTGRES_PORT), "-U", args.user, "-d", args.database] } };
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: names.postgres, namespace: args.namespace, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels, annotations: { "temporal-kit/init-script": initScript.metadata.name } },
            spec: {
              // As the image's own user from the start, the entrypoint skips its root-only chown and gosu.
              ...hardenedPod(IMAGE_USERS.postgres),
              containers: [
                {
                  name: "postgres",
                  image: args.image,
                  imagePullPolicy: "IfNotPresent",
                  // Arguments starting with "-" go to postgres itself (docker-entrypoint.sh).
                  args: ["-c", `max_connections=${args.maxConnections}`],
                  env: [
                    { name: "POSTGRES_USER", value: args.user },
                    { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: this.password } },
                    { name: "POSTGRES_DB", value: args.database },
                    { name: "PGDATA", value: PGDATA },
                  ],
                  ports: [{ name: "postgres", containerPort: POSTGRES_PORT, protocol: "TCP" }],
                  // During the first start the entrypoint's setup server listens on the socket only.
                  startupProbe: { ...ready, periodSeconds: 5, failureThreshold: 60 },
                  readinessProbe: { ...ready, periodSeconds: 10, timeoutSeconds: 5 },
                  livenessProbe: { ...ready, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                  resources: containerResources(args.resources),
                  securityContext: restrictedContainerSecurity,
                  volumeMounts: [
                    { name: "data", mountPath: DATA_DIR },
                    { name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true },
                    postgresSocket.mount,
                    scratchTmp.mount,
                  ],
                },
              ],
              volumes: [{ name: "init", configMap: { name: initScript.metadata.name } }, postgresSocket.volume, scratchTmp.volume],
            },
          },
          volumeClaimTemplates: [dataVolumeClaim(labels, args.storageSize, args.storageClassName)],
        },
      },
      childOf(this, opts),
    );

    this.host = serviceHost(service.metadata.name, args.namespace);

    this.registerOutputs({ host: this.host, port: this.port });
  }
}
