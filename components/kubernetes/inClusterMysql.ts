import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import * as random from "@pulumi/random";
import type { ResourcesConfig } from "../config/schema";
import { type ClusterNames, serviceHost } from "./names";
import { IMAGE_USERS, containerResources, dataVolumeClaim, hardenedPod, restrictedContainerSecurity, scratchDir, scratchTmp } from "./podDefaults";
import type { SecretKeyRef } from "./secretRef";

export interface InClusterMysqlArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  image: string;
  storageSize: string;
  storageClassName?: string;
  resources: ResourcesConfig;
  user: string;
  database: string;
  visibilityDatabase: string;
  /** From the Temporal connection budget: the default of 151 is too few for a real cluster. */
  maxConnections: number;
}

const MYSQL_PORT = 3306;
const PASSWORD_KEY = "password";
const ROOT_PASSWORD_KEY = "root-password";
/** mysqld writes its socket and pid file here; on a read-only root filesystem it needs its own volume. */
const mysqlSocket = scratchDir("run", "/var/run/mysqld");

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

    // The image creates the user and the first database; the visibility database needs a grant too.
    const initScript = new k8s.core.v1.ConfigMap(
      `${name}-init`,
      {
        metadata: { name: names.mysqlInit, namespace: args.namespace, labels },
        data: {
          "01-visibility.sql": [
            `CREATE DATABASE IF NOT EXISTS \`${args.visibilityDatabase}\`;`,
            `GRANT ALL PRIVILEGES ON \`${args.visibilityDatabase}\`.* TO '${args.user}'@'%';`,
            "",
          ].join("\n"),
        },
      },
      childOf(this, opts),
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: names.mysql, namespace: args.namespace, labels },
        spec: {
          clusterIP: "None",
          selector,
          ports: [{ name: "mysql", port: MYSQL_PORT, targetPort: "mysql", protocol: "TCP" }],
        },
      },
      childOf(this, opts),
    );

    const ping = { exec: { command: ["mysqladmin", "ping", "-h", "127.0.0.1", "--silent"] } };
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: names.mysql, namespace: args.namespace, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels, annotations: { "temporal-kit/init-script": initScript.metadata.name } },
            spec: {
              // As the image's own user from the start, the entrypoint skips its root-only chown and gosu.
              ...hardenedPod(IMAGE_USERS.mysql),
              containers: [
                {
                  name: "mysql",
                  image: args.image,
                  imagePullPolicy: "IfNotPresent",
                  args: [`--max-connections=${args.maxConnections}`],
                  env: [
                    { name: "MYSQL_ROOT_PASSWORD", valueFrom: { secretKeyRef: { name: this.secret.metadata.name, key: ROOT_PASSWORD_KEY } } },
                    { name: "MYSQL_USER", value: args.user },
                    { name: "MYSQL_PASSWORD", valueFrom: { secretKeyRef: this.password } },
                    { name: "MYSQL_DATABASE", value: args.database },
                  ],
                  ports: [{ name: "mysql", containerPort: MYSQL_PORT, protocol: "TCP" }],
                  // mysqladmin ping answers 0 once the server accepts TCP, even without credentials.
                  startupProbe: { ...ping, periodSeconds: 5, failureThreshold: 60 },
                  readinessProbe: { ...ping, periodSeconds: 10, timeoutSeconds: 5 },
                  livenessProbe: { ...ping, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                  resources: containerResources(args.resources),
                  securityContext: restrictedContainerSecurity,
                  volumeMounts: [
                    { name: "data", mountPath: "/var/lib/mysql" },
                    { name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true },
                    mysqlSocket.mount,
                    scratchTmp.mount,
                  ],
                },
              ],
              volumes: [{ name: "init", configMap: { name: initScript.metadata.name } }, mysqlSocket.volume, scratchTmp.volume],
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
