import * as pulumi from "@pulumi/pulumi";
import type { PersistenceConfig } from "../config/schema";
import { SERVER_ENV } from "../temporal/roles";
import type { SqlPlugin, SqlStoreSpec } from "../temporal/serverConfig";
import { InClusterMysql } from "./inClusterMysql";
import { ManagedSqlCredentials, STORE_CA_DIR, STORE_CA_FILE } from "./managedSqlCredentials";
import type { ClusterNames } from "./names";
import type { SecretKeyRef } from "./secretRef";

/** A database server a cloud platform created for the cluster (RDS, Azure Database). */
export interface ManagedSqlServer {
  engine: SqlPlugin;
  host: pulumi.Output<string>;
  port: number;
  password: pulumi.Output<string>;
  caBundle: string;
  /** What must exist before the schema job can connect. */
  ready: pulumi.Resource[];
}

/** How the Temporal pods on Kubernetes reach their SQL stores. */
export interface KubernetesSqlStore {
  defaultStore: pulumi.Output<SqlStoreSpec>;
  visibilityStore: pulumi.Output<SqlStoreSpec>;
  password: SecretKeyRef;
  /** ConfigMap with the server's CA bundle, mounted where `tls.caFile` points. */
  caConfigMapName?: pulumi.Output<string>;
  ready: pulumi.Resource[];
}

export interface SqlStoreArgs {
  names: ClusterNames;
  namespace: pulumi.Output<string>;
  persistence: PersistenceConfig;
  connectionsNeeded: number;
  managed?: ManagedSqlServer;
}

/**
 * Turns the configured data store into what the schema job and the roles need: connection specs
 * for both stores and a secret reference for the password. In-cluster MySQL is created here; an
 * external server is only referenced; a managed server gets its password and CA into the cluster.
 */
export function sqlStoreOnKubernetes(name: string, args: SqlStoreArgs, opts: pulumi.ComponentResourceOptions): KubernetesSqlStore {
  const { persistence, names, namespace } = args;
  const specs = (host: pulumi.Input<string>, port: number, tls?: SqlStoreSpec["tls"]) => {
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
          ...(tls ? { tls: { ...tls, serverName: tls.serverName ?? resolvedHost } } : {}),
        }),
      );
    return {
      defaultStore: spec(persistence.database, SERVER_ENV.defaultStorePassword),
      visibilityStore: spec(persistence.visibilityDatabase, SERVER_ENV.visibilityStorePassword),
    };
  };

  switch (persistence.hosting) {
    case "in-cluster": {
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
          maxConnections: args.connectionsNeeded,
        },
        opts,
      );
      return { ...specs(mysql.host, mysql.port), password: mysql.password, ready: [mysql] };
    }
    case "external": {
      const tls = persistence.tls.enabled ? { enabled: true, serverName: persistence.tls.serverName } : undefined;
      return { ...specs(persistence.host, persistence.port, tls), password: persistence.passwordSecret, ready: [] };
    }
    case "rds": {
      if (!args.managed) throw new Error("a managed data store needs the cloud platform that created it");
      const credentials = new ManagedSqlCredentials(
        `${name}-store-credentials`,
        { names, namespace, password: args.managed.password, caBundle: args.managed.caBundle },
        opts,
      );
      const tls = { enabled: true, caFile: `${STORE_CA_DIR}/${STORE_CA_FILE}` };
      return {
        ...specs(args.managed.host, args.managed.port, tls),
        password: credentials.password,
        caConfigMapName: credentials.caConfigMapName,
        ready: [...args.managed.ready, credentials],
      };
    }
  }
}
