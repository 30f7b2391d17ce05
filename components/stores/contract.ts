import type * as pulumi from "@pulumi/pulumi";
import type { SqlPlugin } from "../temporal/serverConfig";

/**
 * What the rest of the kit knows of a data store, whatever its kind: the stores a cloud platform
 * made, and what a store kind declares about itself. Neutral ground, so the cloud platforms and the
 * Kubernetes side meet here instead of importing each other.
 */

/** A SQL server a cloud platform created, as the Kubernetes runtime and the ECS runtime both consume it. */
export interface ManagedSqlServer {
  kind: "sql";
  engine: SqlPlugin;
  host: pulumi.Output<string>;
  port: number;
  password: pulumi.Output<string>;
  /** The certificate authorities its clients verify it with. */
  caBundle?: pulumi.Input<string>;
  ready: pulumi.Resource[];
}

/** A store a cloud platform created or found for the cluster, as the runtimes consume it. */
export type ManagedStore =
  | ManagedSqlServer
  | {
      kind: "cassandra";
      hosts: pulumi.Output<string>;
      port: number;
      user: pulumi.Input<string>;
      password: pulumi.Output<string>;
      caBundle?: pulumi.Input<string>;
      /**
       * The name every node's certificate is verified against, when it is not the address dialed:
       * the nodes are reached by IP, and a certificate that names no IP fails host verification.
       */
      tlsServerName?: string;
      /** The service's data center name, for DC-aware routing; none for Cosmos DB. */
      datacenter?: string;
      /** Cosmos DB provisions its keyspace itself (with throughput); others get it from the schema job. */
      keyspaceProvisioned: boolean;
      ready: pulumi.Resource[];
    }
  | { kind: "elasticsearch"; version: "v7" | "v8"; host: pulumi.Output<string>; username: string; password: pulumi.Output<string>; ready: pulumi.Resource[] };

/** The stores a cloud platform made: the default store, and visibility when it is a store of its own. */
export interface ManagedStores {
  default?: ManagedStore;
  visibility?: ManagedStore;
}

/** A store that runs as pods in the cluster, as the NetworkPolicies open it. */
export interface InClusterStorePorts {
  /** The `app.kubernetes.io/component` label of its pods. */
  component: string;
  /** The port its clients connect to. */
  port: number;
  /** The port its nodes talk to each other on, when it runs several. */
  peerPort?: number;
  /** Components of its own that log in to it beside the roles and the schema job (Cassandra's auth job). */
  ownClients?: string[];
}

/**
 * Where the stack config picks a kind: the `hosting` of the default store or of visibility's own
 * SQL server, or the `store` of a visibility store that is neither.
 */
export type StoreSelector = { hosting: string } | { visibilityStore: string };

/** What the diagram knows of a store from the rendered resources, to name the store's host. */
export interface DiagramStore {
  /** The engine the server config's datastore speaks. */
  engine: "mysql" | "postgresql" | "cassandra" | "elasticsearch";
  /** The address the datastore dials. */
  address: string;
  /** Inputs of the first resource of one of these Pulumi types, if the stack has one. */
  resourceOfType(...types: string[]): Record<string, any> | undefined;
  /** Replicas of the in-cluster workload with this component label, if the stack runs one. */
  inClusterReplicas(component: string): number | undefined;
}

/** One kind of data store, as the rest of the kit looks it up instead of switching on its name. */
export interface StoreKind {
  /** Its folder under components/stores/. */
  name: string;
  selectedBy: StoreSelector;
  /** Set for a store that runs as pods in the cluster. */
  inCluster?: InClusterStorePorts;
  /** How the architecture diagram names it; undefined when the datastore is not of this kind. */
  diagramLabel(store: DiagramStore): string | undefined;
}
