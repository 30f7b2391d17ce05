import * as pulumi from "@pulumi/pulumi";
import type { CassandraPersistenceConfig } from "../../config/schema";
import type { SecretKeyRef } from "../../kubernetes/secretRef";
import type { StoresArgs } from "../../kubernetes/stores";
import { SERVER_ENV } from "../../temporal/roles";
import type { CassandraStoreSpec } from "../../temporal/serverConfig";
import type { ManagedStore } from "../contract";
import { MANAGED_STORE_CA_FILE } from "../managedOnKubernetes";

/** A Cassandra kind's part on Kubernetes: the default store's connection spec, password and what to wait for. */
export type CassandraOnKubernetes = (
  name: string,
  args: StoresArgs,
  config: CassandraPersistenceConfig,
  managed: { store?: ManagedStore; password?: SecretKeyRef },
  opts: pulumi.ComponentResourceOptions,
) => { spec: pulumi.Output<CassandraStoreSpec>; password: SecretKeyRef; ready: pulumi.Resource[] };

/** The default store's spec once its hosts and user are known. */
export function cassandraSpec(
  config: CassandraPersistenceConfig,
  hosts: pulumi.Input<string>,
  fields: Omit<CassandraStoreSpec, "kind" | "hosts" | "passwordEnv" | "keyspace" | "maxConns" | "user">,
  user: pulumi.Input<string>,
): pulumi.Output<CassandraStoreSpec> {
  return pulumi.all([hosts, user]).apply(([resolvedHosts, resolvedUser]): CassandraStoreSpec => ({
    kind: "cassandra",
    hosts: resolvedHosts,
    user: resolvedUser,
    passwordEnv: SERVER_ENV.defaultStorePassword,
    keyspace: config.keyspace,
    maxConns: config.maxConns,
    ...fields,
  }));
}

/** A Cassandra service a cloud platform made (Managed Instance, Cosmos DB), reached over TLS. */
export const managedCassandraOnKubernetes: CassandraOnKubernetes = (_name, _args, config, managed) => {
  const store = managed.store;
  if (store?.kind !== "cassandra" || !managed.password) throw new Error(`a ${config.hosting} store needs the cloud platform that created it`);
  const replication = "replicationFactor" in config ? { replicationFactor: config.replicationFactor } : {};
  return {
    spec: cassandraSpec(
      config,
      store.hosts,
      {
        port: store.port,
        ...(store.datacenter ? { datacenter: store.datacenter } : {}),
        ...(store.keyspaceProvisioned ? {} : replication),
        tls: {
          enabled: true,
          ...(store.caBundle !== undefined ? { caFile: MANAGED_STORE_CA_FILE } : {}),
          ...(store.tlsServerName !== undefined ? { serverName: store.tlsServerName } : {}),
        },
      },
      store.user,
    ),
    password: managed.password,
    ready: [],
  };
};
