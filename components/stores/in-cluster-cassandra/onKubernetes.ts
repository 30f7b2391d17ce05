import { type CassandraOnKubernetes, cassandraSpec } from "../cassandra/onKubernetes";
import { InClusterCassandra } from "./inClusterCassandra";

export const inClusterCassandraOnKubernetes: CassandraOnKubernetes = (name, args, config, _managed, opts) => {
  if (config.hosting !== "in-cluster-cassandra") throw new Error(`not an in-cluster Cassandra: ${config.hosting}`);
  const node = new InClusterCassandra(
    `${name}-cassandra`,
    {
      names: args.names,
      namespace: args.namespace,
      image: config.image,
      replicas: config.replicas,
      datacenter: config.datacenter,
      storageSize: config.storageSize,
      storageClassName: config.storageClassName,
      resources: config.resources,
      heapSize: config.heapSize,
      highAvailability: args.highAvailability,
      pod: config.pod,
    },
    opts,
  );
  return {
    spec: cassandraSpec(config, node.host, { port: node.port, datacenter: config.datacenter, replicationFactor: config.replicationFactor }, node.user),
    password: node.password,
    ready: node.ready,
  };
};
