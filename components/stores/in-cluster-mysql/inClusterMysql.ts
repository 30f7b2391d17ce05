import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import * as random from "@pulumi/random";
import { serviceHost } from "../../kubernetes/names";
import { IMAGE_USERS } from "../../kubernetes/podDefaults";
import { type InClusterSqlArgs, singleNodeSqlServer } from "../sql/singleNodeSqlServer";
import type { SecretKeyRef } from "../../kubernetes/secretRef";
import { MYSQL_PORT } from "./index";
import { MYSQL_DATA_DIR, MYSQL_SOCKET_DIR } from "./pod";

export type InClusterMysqlArgs = InClusterSqlArgs;

const PASSWORD_KEY = "password";
const ROOT_PASSWORD_KEY = "root-password";

/**
 * A single MySQL 8 server inside the cluster, for dev and for trying the kit out: a StatefulSet
 * with its own volume, a governing Service, and generated passwords kept in a Kubernetes Secret.
 * Not highly available; staging and production move to a managed database.
 */
export class InClusterMysql extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;
  readonly port = MYSQL_PORT;
  readonly password: SecretKeyRef;
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  readonly secret: k8s.core.v1.Secret;

  constructor(name: string, args: InClusterMysqlArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:InClusterMysql", name, {}, opts);
    const { names } = args;
    const labels = names.labels("mysql");
    const selector = names.selector("mysql");

    const generate = (suffix: string) =>
      // Letters and digits only: the password travels through a DSN and a YAML template.
      new random.RandomPassword(`${name}-${suffix}`, { length: 32, special: false }, childOf(this, opts));
    const userPassword = generate("password");
    const rootPassword = generate("root-password");

    this.secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: names.storeCredentials, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: { [PASSWORD_KEY]: userPassword.result, [ROOT_PASSWORD_KEY]: rootPassword.result },
      },
      childOf(this, opts),
    );
    this.password = { name: this.secret.metadata.name, key: PASSWORD_KEY };

    // mysqladmin ping answers 0 once the server accepts TCP, even without credentials.
    const ping = { exec: { command: ["mysqladmin", "ping", "-h", "127.0.0.1", "--silent"] } };
    const { service, statefulSet } = singleNodeSqlServer(
      name,
      {
        namespace: args.namespace,
        labels,
        selector,
        objectName: names.mysql,
        initConfigMapName: names.mysqlInit,
        // The image creates the user and the first database; the visibility database needs a grant too.
        initScripts: {
          "01-visibility.sql": [
            `CREATE DATABASE IF NOT EXISTS \`${args.visibilityDatabase}\`;`,
            `GRANT ALL PRIVILEGES ON \`${args.visibilityDatabase}\`.* TO '${args.user}'@'%';`,
            "",
          ].join("\n"),
        },
        image: args.image,
        imageUser: IMAGE_USERS.mysql,
        engine: "mysql",
        port: MYSQL_PORT,
        args: [`--max-connections=${args.maxConnections}`],
        env: [
          { name: "MYSQL_ROOT_PASSWORD", valueFrom: { secretKeyRef: { name: this.secret.metadata.name, key: ROOT_PASSWORD_KEY } } },
          { name: "MYSQL_USER", value: args.user },
          { name: "MYSQL_PASSWORD", valueFrom: { secretKeyRef: this.password } },
          { name: "MYSQL_DATABASE", value: args.database },
        ],
        ready: ping,
        dataDir: MYSQL_DATA_DIR,
        socketDir: MYSQL_SOCKET_DIR,
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
