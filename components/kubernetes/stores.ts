import * as pulumi from "@pulumi/pulumi";
import type { PersistenceConfig, VisibilityConfig, VisibilitySqlServerConfig } from "../config/schema";
import { SERVER_ENV } from "../temporal/roles";
import type { CassandraStoreSpec, DefaultStoreSpec, ElasticsearchStoreSpec, SqlPlugin, SqlStoreSpec, StoreTls, VisibilityStoreSpec } from "../temporal/serverConfig";
import { InClusterCassandra } from "../stores/in-cluster-cassandra/inClusterCassandra";
import { InClusterElasticsearch } from "../stores/in-cluster-elasticsearch/inClusterElasticsearch";
import { InClusterMysql } from "../stores/in-cluster-mysql/inClusterMysql";
import { InClusterPostgres } from "../stores/in-cluster-postgres/inClusterPostgres";
import { ManagedStoreCredentials, STORE_CA_DIR, STORE_CA_FILE } from "./managedStoreCredentials";
import type { ClusterNames } from "./names";
import type { ManagedStore, ManagedStores } from "../stores/contract";
import type { SecretKeyRef } from "./secretRef";

/** How the Temporal pods on Kubernetes reach their stores. */
export interface KubernetesStores {
  defaultStore: pulumi.Output<DefaultStoreSpec>;
  visibilityStore: pulumi.Output<VisibilityStoreSpec>;
  defaultPassword: SecretKeyRef;
  visibilityPassword?: SecretKeyRef;
  /** ConfigMap with the managed stores' CA bundle, mounted where `tls.caFile` points. */
  caConfigMapName?: pulumi.Output<string>;
  ready: pulumi.Resource[];
}

export interface StoresArgs {
  names: ClusterNames;
  namespace: pulumi.Output<string>;
  persistence: PersistenceConfig;
  visibility: VisibilityConfig;
  connectionsNeeded: number;
  highAvailability: boolean;
  managed?: ManagedStores;
}

const CA_FILE = `${STORE_CA_DIR}/${STORE_CA_FILE}`;

/**
 * Turns the configured default and visibility stores into what the schema job and the roles need:
 * connection specs and secret references. In-cluster stores are created here, an external one is
 * only referenced, and managed ones get their passwords and CA bundle into the cluster.
 */
export function storesOnKubernetes(name: string, args: StoresArgs, opts: pulumi.ComponentResourceOptions): KubernetesStores {
  const { names, namespace, persistence, visibility } = args;
  const managed = args.managed ?? {};
  const ready: pulumi.Resource[] = [...(managed.default?.ready ?? []), ...(managed.visibility?.ready ?? [])];

  // One Secret and one CA ConfigMap carry whatever the cloud platform handed over.
  const caBundles = [managed.default, managed.visibility].flatMap((store) => (store && "caBundle" in store && store.caBundle !== undefined ? [store.caBundle] : []));
  const credentials =
    managed.default || managed.visibility
      ? new ManagedStoreCredentials(
          `${name}-store-credentials`,
          {
            names,
            namespace,
            passwords: { default: managed.default?.password, visibility: managed.visibility?.password },
            ...(caBundles.length ? { caBundle: pulumi.all(caBundles).apply((bundles) => bundles.join("\n")) } : {}),
          },
          opts,
        )
      : undefined;
  if (credentials) ready.push(credentials);

  const defaults = defaultStore(name, args, managed.default, credentials?.passwords.default, opts);
  ready.push(...defaults.ready);
  const visibilityStore =
    visibility.store === "sql"
      ? { spec: sqlSpec(defaults.sqlServer!, persistenceSql(persistence).visibilityDatabase, SERVER_ENV.visibilityStorePassword), password: defaults.password, ready: [] }
      : separateVisibility(name, args, visibility, managed.visibility, credentials?.passwords.visibility, opts);
  ready.push(...visibilityStore.ready);

  return {
    defaultStore: defaults.spec,
    visibilityStore: visibilityStore.spec,
    defaultPassword: defaults.password,
    ...(visibilityStore.password ? { visibilityPassword: visibilityStore.password } : {}),
    ...(credentials?.caConfigMapName ? { caConfigMapName: credentials.caConfigMapName } : {}),
    ready,
  };
}

/** Where a SQL server is and how to log in to it, before a database is picked. */
interface SqlServer {
  plugin: SqlPlugin;
  host: pulumi.Input<string>;
  port: number;
  user: string;
  pool: SqlStoreSpec["pool"];
  tls?: StoreTls;
}

function sqlSpec(server: SqlServer, database: string, passwordEnv: string): pulumi.Output<SqlStoreSpec> {
  return pulumi.output(server.host).apply(
    (host): SqlStoreSpec => ({
      plugin: server.plugin,
      host,
      port: server.port,
      database,
      user: server.user,
      passwordEnv,
      pool: server.pool,
      ...(server.tls ? { tls: { ...server.tls, serverName: server.tls.serverName ?? host } } : {}),
    }),
  );
}

type SqlPersistence = Extract<PersistenceConfig | VisibilitySqlServerConfig, { user: string; pool: unknown }>;

function persistenceSql(persistence: PersistenceConfig): SqlPersistence {
  if (persistence.engine === "cassandra") throw new Error("a Cassandra default store keeps no SQL visibility (checked by the stack config)");
  return persistence;
}

interface BuiltStore<T> {
  spec: pulumi.Output<T>;
  password?: SecretKeyRef;
  ready: pulumi.Resource[];
}

/**
 * A SQL server from config: in the cluster, external, or managed by the cloud platform. `name`
 * names what the server is for (the default store, or visibility beside Cassandra); an in-cluster
 * server's component adds its engine (`-mysql`, `-postgres`).
 */
function sqlServerOf(
  name: string,
  args: StoresArgs,
  config: SqlPersistence,
  managed: ManagedStore | undefined,
  managedPassword: SecretKeyRef | undefined,
  opts: pulumi.ComponentResourceOptions,
): { server: SqlServer; password: SecretKeyRef; ready: pulumi.Resource[] } {
  const common = { user: config.user, pool: config.pool };
  switch (config.hosting) {
    case "in-cluster":
    case "in-cluster-postgres": {
      const serverArgs = {
        names: args.names,
        namespace: args.namespace,
        image: config.image,
        storageSize: config.storageSize,
        storageClassName: config.storageClassName,
        resources: config.resources,
        user: config.user,
        database: config.database,
        visibilityDatabase: config.visibilityDatabase,
        maxConnections: args.connectionsNeeded,
      };
      const store = config.hosting === "in-cluster" ? new InClusterMysql(`${name}-mysql`, serverArgs, opts) : new InClusterPostgres(`${name}-postgres`, serverArgs, opts);
      return { server: { plugin: config.engine, host: store.host, port: store.port, ...common }, password: store.password, ready: [store] };
    }
    case "external": {
      const tls = config.tls.enabled ? { enabled: true, serverName: config.tls.serverName } : undefined;
      return { server: { plugin: config.engine, host: config.host, port: config.port, ...common, ...(tls ? { tls } : {}) }, password: config.passwordSecret, ready: [] };
    }
    default: {
      if (managed?.kind !== "sql" || !managedPassword) throw new Error(`a ${config.hosting} store needs the cloud platform that created it`);
      return {
        server: { plugin: managed.engine, host: managed.host, port: managed.port, ...common, tls: { enabled: true, ...(managed.caBundle !== undefined ? { caFile: CA_FILE } : {}) } },
        password: managedPassword,
        ready: [],
      };
    }
  }
}

function defaultStore(
  name: string,
  args: StoresArgs,
  managed: ManagedStore | undefined,
  managedPassword: SecretKeyRef | undefined,
  opts: pulumi.ComponentResourceOptions,
): BuiltStore<DefaultStoreSpec> & { password: SecretKeyRef; sqlServer?: SqlServer } {
  const persistence = args.persistence;
  if (persistence.engine !== "cassandra") {
    const { server, password, ready } = sqlServerOf(name, args, persistence, managed, managedPassword, opts);
    return { spec: sqlSpec(server, persistence.database, SERVER_ENV.defaultStorePassword), password, ready, sqlServer: server };
  }
  const cassandra = (hosts: pulumi.Input<string>, fields: Omit<CassandraStoreSpec, "kind" | "hosts" | "passwordEnv" | "keyspace" | "maxConns" | "user">, user: pulumi.Input<string>) =>
    pulumi.all([hosts, user]).apply(([resolvedHosts, resolvedUser]): CassandraStoreSpec => ({
      kind: "cassandra",
      hosts: resolvedHosts,
      user: resolvedUser,
      passwordEnv: SERVER_ENV.defaultStorePassword,
      keyspace: persistence.keyspace,
      maxConns: persistence.maxConns,
      ...fields,
    }));
  if (persistence.hosting === "in-cluster-cassandra") {
    const node = new InClusterCassandra(
      `${name}-cassandra`,
      {
        names: args.names,
        namespace: args.namespace,
        image: persistence.image,
        replicas: persistence.replicas,
        datacenter: persistence.datacenter,
        storageSize: persistence.storageSize,
        storageClassName: persistence.storageClassName,
        resources: persistence.resources,
        heapSize: persistence.heapSize,
        highAvailability: args.highAvailability,
      },
      opts,
    );
    return {
      spec: cassandra(node.host, { port: node.port, datacenter: persistence.datacenter, replicationFactor: persistence.replicationFactor }, node.user),
      password: node.password,
      ready: node.ready,
    };
  }
  if (managed?.kind !== "cassandra" || !managedPassword) throw new Error(`a ${persistence.hosting} store needs the cloud platform that created it`);
  const replication = "replicationFactor" in persistence ? { replicationFactor: persistence.replicationFactor } : {};
  return {
    spec: cassandra(
      managed.hosts,
      {
        port: managed.port,
        ...(managed.datacenter ? { datacenter: managed.datacenter } : {}),
        ...(managed.keyspaceProvisioned ? {} : replication),
        tls: {
          enabled: true,
          ...(managed.caBundle !== undefined ? { caFile: CA_FILE } : {}),
          ...(managed.tlsServerName !== undefined ? { serverName: managed.tlsServerName } : {}),
        },
      },
      managed.user,
    ),
    password: managedPassword,
    ready: [],
  };
}

function separateVisibility(
  name: string,
  args: StoresArgs,
  visibility: Exclude<VisibilityConfig, { store: "sql" }>,
  managed: ManagedStore | undefined,
  managedPassword: SecretKeyRef | undefined,
  opts: pulumi.ComponentResourceOptions,
): BuiltStore<VisibilityStoreSpec> {
  switch (visibility.store) {
    case "sql-server": {
      const { server, password, ready } = sqlServerOf(`${name}-visibility`, args, visibility.server, managed, managedPassword, opts);
      return { spec: sqlSpec(server, visibility.server.visibilityDatabase, SERVER_ENV.visibilityStorePassword), password, ready };
    }
    case "elasticsearch": {
      const search = new InClusterElasticsearch(
        `${name}-elasticsearch`,
        {
          names: args.names,
          namespace: args.namespace,
          image: visibility.image,
          storageSize: visibility.storageSize,
          storageClassName: visibility.storageClassName,
          resources: visibility.resources,
          heapSize: visibility.heapSize,
        },
        opts,
      );
      const spec = search.url.apply((url: string): ElasticsearchStoreSpec => {
        const parsed = new URL(url);
        return { kind: "elasticsearch", version: search.version, scheme: parsed.protocol === "https:" ? "https" : "http", host: parsed.host, index: visibility.index };
      });
      return { spec, ready: [search] };
    }
    case "opensearch": {
      if (managed?.kind !== "elasticsearch" || !managedPassword) throw new Error("an OpenSearch visibility store needs the AWS platform that created it");
      const spec = managed.host.apply(
        (host): ElasticsearchStoreSpec => ({
          kind: "elasticsearch",
          version: managed.version,
          scheme: "https",
          host: `${host}:443`,
          index: visibility.index,
          username: managed.username,
          passwordEnv: SERVER_ENV.visibilityStorePassword,
          // Amazon's endpoint certificate chains to a public CA, which the images trust.
          tls: { enabled: true, serverName: host },
        }),
      );
      return { spec, password: managedPassword, ready: [] };
    }
  }
}
