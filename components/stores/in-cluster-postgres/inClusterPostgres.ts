import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import * as random from "@pulumi/random";
import { serviceHost } from "../../kubernetes/names";
import { IMAGE_USERS } from "../../kubernetes/podDefaults";
import { type InClusterSqlArgs, singleNodeSqlServer } from "../sql/singleNodeSqlServer";
import type { SecretKeyRef } from "../../kubernetes/secretRef";
import { POSTGRES_PORT } from "./index";
import { POSTGRES_DATA_DIR, POSTGRES_SOCKET_DIR } from "./pod";

export type InClusterPostgresArgs = InClusterSqlArgs;

const PASSWORD_KEY = "password";

/**
 * The cluster's files one level below the volume: initdb refuses a non-empty directory, and the
 * root of many provisioners' volumes holds lost+found (the image's README recommends a subdirectory).
 */
const PGDATA = `${POSTGRES_DATA_DIR}/pgdata`;

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

    // pg_isready needs no password: a server that asks for one is accepting connections. The
    // database is named so that the check does not log a failed login to a database that is missing.
    // During the first start the entrypoint's setup server listens on the socket only.
    const ready = { exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", String(POSTGRES_PORT), "-U", args.user, "-d", args.database] } };
    const { service, statefulSet } = singleNodeSqlServer(
      name,
      {
        namespace: args.namespace,
        labels,
        selector,
        objectName: names.postgres,
        initConfigMapName: names.postgresInit,
        initScripts: { "01-visibility.sql": visibilityDatabaseScript(args.user, args.visibilityDatabase) },
        image: args.image,
        imageUser: IMAGE_USERS.postgres,
        engine: "postgres",
        port: POSTGRES_PORT,
        // Arguments starting with "-" go to postgres itself (docker-entrypoint.sh).
        args: ["-c", `max_connections=${args.maxConnections}`],
        env: [
          { name: "POSTGRES_USER", value: args.user },
          { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: this.password } },
          { name: "POSTGRES_DB", value: args.database },
          { name: "PGDATA", value: PGDATA },
        ],
        ready,
        dataDir: POSTGRES_DATA_DIR,
        socketDir: POSTGRES_SOCKET_DIR,
        storageSize: args.storageSize,
        storageClassName: args.storageClassName,
        resources: args.resources,
        pod: args.pod,
      },
      this,
      opts,
    );
    this.statefulSet = statefulSet;

    this.host = serviceHost(service.metadata.name, args.namespace);

    this.registerOutputs({ host: this.host, port: this.port });
  }
}
