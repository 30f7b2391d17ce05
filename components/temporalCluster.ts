import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PersistenceConfig, StackConfig } from "./config/schema";
import { InClusterMysql } from "./kubernetes/inClusterMysql";
import { ClusterNames } from "./kubernetes/names";
import { NamespaceRegistration } from "./kubernetes/namespaceRegistration";
import type { SecretKeyRef } from "./kubernetes/secretRef";
import { SchemaSetup } from "./kubernetes/schemaSetup";
import { TemporalServerConfig } from "./kubernetes/serverConfig";
import { TemporalServiceRole } from "./kubernetes/serviceRole";
import { WebConsole } from "./kubernetes/webConsole";
import { WorkerPool } from "./kubernetes/workerPool";
import { renderDynamicConfig } from "./temporal/dynamicConfig";
import { sqlConnectionsNeeded } from "./temporal/connectionBudget";
import { ROLES, RoleName, SERVER_ENV } from "./temporal/roles";
import { SqlStoreSpec, renderServerConfig } from "./temporal/serverConfig";

export interface TemporalClusterArgs {
  config: StackConfig;
}

interface DataStore {
  defaultStore: pulumi.Output<SqlStoreSpec>;
  visibilityStore: pulumi.Output<SqlStoreSpec>;
  password: SecretKeyRef;
  /** What must be running before the schema job can connect. */
  ready: pulumi.Resource[];
}

const ROLE_CONFIG_KEYS: Record<RoleName, keyof StackConfig["roles"]> = {
  frontend: "frontend",
  "internal-frontend": "internalFrontend",
  history: "history",
  matching: "matching",
  worker: "worker",
};

/**
 * A whole Temporal deployment on Kubernetes, composed from the parsed stack config: data store,
 * schema job, the four service roles, namespace registration, web console and worker pools, in
 * the order the resource graph enforces.
 */
export class TemporalCluster extends pulumi.ComponentResource {
  readonly kubernetesNamespace: pulumi.Output<string>;
  readonly frontendAddress: pulumi.Output<string>;
  readonly roles: Partial<Record<RoleName, TemporalServiceRole>> = {};
  readonly webConsole?: WebConsole;
  readonly temporalNamespaces: string[];

  constructor(name: string, args: TemporalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:index:TemporalCluster", name, {}, opts);
    const { config } = args;
    const names = new ClusterNames(config.clusterName);
    const highAvailability = config.environment !== "dev";

    this.kubernetesNamespace = config.kubernetes.createNamespace
      ? new k8s.core.v1.Namespace(
          `${name}-namespace`,
          { metadata: { name: config.kubernetes.namespace, labels: names.labels("namespace") } },
          { parent: this },
        ).metadata.name
      : pulumi.output(config.kubernetes.namespace);
    const namespace = this.kubernetesNamespace;

    const enabledRoles = (Object.keys(ROLES) as RoleName[]).filter(
      (role) => role !== "internal-frontend" || config.roles.internalFrontend.enabled,
    );
    const connectionsNeeded = sqlConnectionsNeeded(
      enabledRoles.map((role) => config.roles[ROLE_CONFIG_KEYS[role]].replicas),
      config.persistence.pool.maxConns,
    );
    const store = this.dataStore(name, names, namespace, config.persistence, connectionsNeeded);
    const frontendAddress = namespace.apply((ns) => names.roleAddress("frontend", ns, ROLES.frontend.grpcPort));

    const serverConfig = new TemporalServerConfig(
      `${name}-config`,
      {
        names,
        namespace,
        serverConfig: pulumi
          .all([store.defaultStore, store.visibilityStore, frontendAddress])
          .apply(([defaultStore, visibilityStore, address]) =>
            renderServerConfig({
              numHistoryShards: config.temporal.numHistoryShards,
              logLevel: config.temporal.logLevel,
              defaultStore,
              visibilityStore,
              roles: enabledRoles,
              frontendAddress: address,
            }),
          ),
        dynamicConfig: renderDynamicConfig(config.temporal.dynamicConfig),
      },
      { parent: this },
    );

    const schema = new SchemaSetup(
      `${name}-schema`,
      {
        names,
        namespace,
        adminToolsImage: config.temporal.adminToolsImage,
        defaultStore: store.defaultStore,
        visibilityStore: store.visibilityStore,
        defaultStorePassword: store.password,
        visibilityStorePassword: store.password,
      },
      { parent: this, dependsOn: store.ready },
    );

    for (const role of enabledRoles) {
      const roleConfig = config.roles[ROLE_CONFIG_KEYS[role]];
      this.roles[role] = new TemporalServiceRole(
        `${name}-${role}`,
        {
          role,
          names,
          namespace,
          image: config.temporal.serverImage,
          replicas: roleConfig.replicas,
          resources: roleConfig.resources,
          configChecksum: serverConfig.checksum,
          defaultStorePassword: store.password,
          visibilityStorePassword: store.password,
          highAvailability,
        },
        // No pod may start before the schema is current.
        { parent: this, dependsOn: [schema, serverConfig] },
      );
    }
    this.frontendAddress = this.roles.frontend!.address;
    const allRoles = Object.values(this.roles);

    const registrations = new Map(
      config.namespaces.map((temporalNamespace) => [
        temporalNamespace.name,
        new NamespaceRegistration(
          `${name}-ns-${temporalNamespace.name}`,
          { names, namespace, adminToolsImage: config.temporal.adminToolsImage, temporalNamespace, frontendAddress: this.frontendAddress },
          // The frontend alone can answer before history owns its shards; wait for every role.
          { parent: this, dependsOn: allRoles },
        ),
      ]),
    );
    this.temporalNamespaces = config.namespaces.map((ns) => ns.name);

    if (config.webConsole.enabled) {
      this.webConsole = new WebConsole(
        `${name}-web`,
        { names, namespace, config: config.webConsole, frontendAddress: this.frontendAddress, highAvailability },
        { parent: this, dependsOn: [this.roles.frontend!] },
      );
    }

    for (const pool of config.workers) {
      new WorkerPool(
        `${name}-worker-${pool.name}`,
        { names, namespace, config: pool, frontendAddress: this.frontendAddress, highAvailability },
        // A worker polling a namespace that does not exist yet only crash-loops.
        { parent: this, dependsOn: [registrations.get(pool.namespace)!] },
      );
    }

    this.registerOutputs({
      kubernetesNamespace: this.kubernetesNamespace,
      frontendAddress: this.frontendAddress,
      temporalNamespaces: this.temporalNamespaces,
    });
  }

  private dataStore(
    name: string,
    names: ClusterNames,
    namespace: pulumi.Output<string>,
    persistence: PersistenceConfig,
    connectionsNeeded: number,
  ): DataStore {
    const storeSpecs = (host: pulumi.Input<string>, port: number, password: SecretKeyRef, ready: pulumi.Resource[]) => {
      const tls = persistence.hosting === "external" ? { enabled: persistence.tls.enabled, serverName: persistence.tls.serverName } : undefined;
      const spec = (database: string, passwordEnv: string) =>
        pulumi.output(host).apply(
          (resolvedHost): SqlStoreSpec => ({
            plugin: persistence.engine,
            host: resolvedHost,
            port,
            database,
            user: persistence.user,
            passwordEnv,
            pool: persistence.pool,
            ...(tls ? { tls } : {}),
          }),
        );
      return {
        defaultStore: spec(persistence.database, SERVER_ENV.defaultStorePassword),
        visibilityStore: spec(persistence.visibilityDatabase, SERVER_ENV.visibilityStorePassword),
        password,
        ready,
      };
    };

    if (persistence.hosting === "in-cluster") {
      const mysql = new InClusterMysql(
        `${name}-mysql`,
        {
          names,
          namespace,
          image: persistence.image,
          storageSize: persistence.storageSize,
          storageClassName: persistence.storageClassName,
          resources: persistence.resources,
          user: persistence.user,
          database: persistence.database,
          visibilityDatabase: persistence.visibilityDatabase,
          maxConnections: connectionsNeeded,
        },
        { parent: this },
      );
      return storeSpecs(mysql.host, mysql.port, mysql.password, [mysql]);
    }
    return storeSpecs(persistence.host, persistence.port, persistence.passwordSecret, []);
  }
}
