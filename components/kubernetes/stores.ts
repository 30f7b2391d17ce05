import * as pulumi from "@pulumi/pulumi";
import type { PersistenceConfig, VisibilityConfig } from "../config/schema";
import { SERVER_ENV } from "../temporal/roles";
import type { DefaultStoreSpec, SqlStoreSpec, VisibilityStoreSpec } from "../temporal/serverConfig";
import type { ManagedStore, ManagedStores } from "../stores/contract";
import { CASSANDRA_ON_KUBERNETES, SEARCH_ON_KUBERNETES, SQL_SERVERS_ON_KUBERNETES } from "../stores/onKubernetes";
import type { SqlServer, SqlServerConfig } from "../stores/sql/onKubernetes";
import { ManagedStoreCredentials } from "./managedStoreCredentials";
import type { ClusterNames } from "./names";
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

/**
 * Turns the configured default and visibility stores into what the schema job and the roles need:
 * connection specs and secret references. Each store kind makes its own part (stores/onKubernetes.ts:
 * an in-cluster store is created, an external one only referenced); the passwords and CA bundle
 * of the stores a cloud platform made get into the cluster here.
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

/** The SQL server from config, by its kind's part on Kubernetes (stores/onKubernetes.ts). */
function sqlServerOf(name: string, args: StoresArgs, config: SqlServerConfig, managed: ManagedStore | undefined, managedPassword: SecretKeyRef | undefined, opts: pulumi.ComponentResourceOptions) {
  return SQL_SERVERS_ON_KUBERNETES[config.hosting](name, args, config, { store: managed, password: managedPassword }, opts);
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

function persistenceSql(persistence: PersistenceConfig): SqlServerConfig {
  if (persistence.engine === "cassandra") throw new Error("a Cassandra default store keeps no SQL visibility (checked by the stack config)");
  return persistence;
}

interface BuiltStore<T> {
  spec: pulumi.Output<T>;
  password?: SecretKeyRef;
  ready: pulumi.Resource[];
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
  return CASSANDRA_ON_KUBERNETES[persistence.hosting](name, args, persistence, { store: managed, password: managedPassword }, opts);
}

function separateVisibility(
  name: string,
  args: StoresArgs,
  visibility: Exclude<VisibilityConfig, { store: "sql" }>,
  managed: ManagedStore | undefined,
  managedPassword: SecretKeyRef | undefined,
  opts: pulumi.ComponentResourceOptions,
): BuiltStore<VisibilityStoreSpec> {
  if (visibility.store === "sql-server") {
    const { server, password, ready } = sqlServerOf(`${name}-visibility`, args, visibility.server, managed, managedPassword, opts);
    return { spec: sqlSpec(server, visibility.server.visibilityDatabase, SERVER_ENV.visibilityStorePassword), password, ready };
  }
  return SEARCH_ON_KUBERNETES[visibility.store](name, args, visibility, { store: managed, password: managedPassword }, opts);
}
