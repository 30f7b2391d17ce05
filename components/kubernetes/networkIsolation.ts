import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { METRICS_PORT, ROLES, RoleName } from "../temporal/roles";
import type { ClusterNames } from "./names";

export interface NetworkIsolationArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  roles: RoleName[];
  /** In-cluster stores that run in this namespace, with the port clients use. */
  stores: { component: "mysql" | "cassandra" | "elasticsearch"; port: number; peerPort?: number }[];
}

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

const tcp = (port: number): Port => ({ protocol: "TCP", port });
const ANY_NAMESPACE: Peer = { namespaceSelector: {} };
const WEB_PORT = 8080;

/**
 * NetworkPolicies that let only what must talk do so. Everything of this cluster denies ingress by
 * default; then roles reach each other on gRPC and membership, the frontend also takes clients
 * (workers, the console, jobs, other namespaces' applications), stores take the roles and the
 * schema job, and Prometheus anywhere may scrape metrics. Workers take no ingress at all.
 */
export class NetworkIsolation extends pulumi.ComponentResource {
  readonly policies: k8s.networking.v1.NetworkPolicy[] = [];

  constructor(name: string, args: NetworkIsolationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:NetworkIsolation", name, {}, opts);
    const { names } = args;
    const instance = { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": names.cluster };
    const component = (value: string): Peer => ({ podSelector: { matchLabels: { ...instance, "app.kubernetes.io/component": value } } });
    const components = (values: string[]): Peer => ({
      podSelector: { matchLabels: instance, matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values }] },
    });
    const servers = components(args.roles);

    const policy = (suffix: string, podSelector: k8s.types.input.meta.v1.LabelSelector, ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[]) =>
      this.policies.push(
        new k8s.networking.v1.NetworkPolicy(
          `${name}-${suffix}`,
          {
            metadata: { name: `${names.cluster}-${suffix}`, namespace: args.namespace, labels: names.labels("network-policy") },
            spec: { podSelector, policyTypes: ["Ingress"], ingress },
          },
          childOf(this, opts),
        ),
      );

    // Anything of this cluster not named below, workers included, takes no connections.
    policy("default-deny", { matchLabels: instance }, []);

    for (const role of args.roles) {
      const spec = ROLES[role];
      const peerPorts = [spec.grpcPort, spec.membershipPort, ...(spec.httpPort ? [spec.httpPort] : [])].map(tcp);
      const clientPorts = role === "frontend" ? [spec.grpcPort, ...(spec.httpPort ? [spec.httpPort] : [])].map(tcp) : [];
      policy(`${role}-ingress`, { matchLabels: { ...instance, "app.kubernetes.io/component": role } }, [
        { from: [servers], ports: peerPorts },
        ...(clientPorts.length ? [{ from: [ANY_NAMESPACE], ports: clientPorts }] : []),
        { from: [ANY_NAMESPACE], ports: [tcp(METRICS_PORT)] },
      ]);
    }

    for (const store of args.stores) {
      const clients = components([...args.roles, "schema", ...(store.component === "cassandra" ? ["cassandra-auth"] : [])]);
      policy(`${store.component}-ingress`, { matchLabels: { ...instance, "app.kubernetes.io/component": store.component } }, [
        { from: [clients], ports: [tcp(store.port)] },
        ...(store.peerPort ? [{ from: [component(store.component)], ports: [tcp(store.peerPort)] }] : []),
      ]);
    }

    // The console is what people open: an ingress controller or a port-forward, from anywhere.
    policy("web-ingress", { matchLabels: { ...instance, "app.kubernetes.io/component": "web" } }, [{ from: [ANY_NAMESPACE], ports: [tcp(WEB_PORT)] }]);

    this.registerOutputs({});
  }
}
