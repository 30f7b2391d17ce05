import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { METRICS_PORT, ROLES, RoleName } from "../temporal/roles";
import type { InClusterStorePorts } from "../stores/contract";
import type { ClusterNames } from "./names";

export interface NetworkIsolationArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  roles: RoleName[];
  /** In-cluster stores that run in this namespace, with the port clients use. */
  stores: InClusterStorePorts[];
  /**
   * Ports of the stores outside the cluster (RDS, Azure, an external server, OpenSearch). Their
   * addresses are not pods and may change (fail-over), so the roles and the schema job may reach
   * these ports at any address.
   */
  outOfClusterStorePorts?: pulumi.Input<number[]>;
  /** Worker pools and what each may reach: "frontend-only", or "any" for activities' own calls. */
  workers?: { name: string; egress: "any" | "frontend-only" }[];
  /** The console signs people in through an OIDC provider, which it calls over HTTPS. */
  webConsoleSignsIn?: boolean;
  /** Roles that call HTTPS APIs outside the cluster: the archive bucket and STS, the JWKS of the authorizer. */
  rolesCallingHttps?: RoleName[];
  /** With authorization on, the namespace jobs register through the internal frontend instead. */
  namespaceJobsUseInternalFrontend?: boolean;
  /** The nodes' addresses, admitted everywhere: kubelet's probes come from the pod's node. */
  nodeCidrs?: string[];
}

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

const tcp = (port: number): Port => ({ protocol: "TCP", port });
const ANY_NAMESPACE: Peer = { namespaceSelector: {} };
export const ANY_ADDRESS: Peer = { ipBlock: { cidr: "0.0.0.0/0" } };
const WEB_PORT = 8080;
export const HTTPS_PORT = 443;
/** Cluster DNS (CoreDNS/kube-dns) lives in kube-system on EKS, AKS, GKE and kind alike. */
export const CLUSTER_DNS: k8s.types.input.networking.v1.NetworkPolicyEgressRule = {
  to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/**
 * NetworkPolicies that let only what must talk do so. Everything of this cluster denies ingress by
 * default; then roles reach each other on gRPC and membership, the frontend also takes clients
 * (workers, the console, jobs, other namespaces' applications), stores take the roles and the
 * schema job, and Prometheus anywhere may scrape metrics. Workers take no ingress at all.
 *
 * Egress is denied by default too, except to the cluster's DNS: roles reach roles and the stores,
 * the schema and auth jobs reach their stores, the console, the namespace jobs and workers reach
 * the frontend only (a worker pool may be given "any" egress for its activities' own calls).
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

    const create = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
      this.policies.push(
        new k8s.networking.v1.NetworkPolicy(
          `${name}-${suffix}`,
          { metadata: { name: `${names.cluster}-${suffix}`, namespace: args.namespace, labels: names.labels("network-policy") }, spec },
          childOf(this, opts),
        ),
      );
    const policy = (suffix: string, podSelector: k8s.types.input.meta.v1.LabelSelector, ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[]) =>
      create(suffix, { podSelector, policyTypes: ["Ingress"], ingress });
    const egressPolicy = (suffix: string, podSelector: k8s.types.input.meta.v1.LabelSelector, egress: pulumi.Input<k8s.types.input.networking.v1.NetworkPolicyEgressRule[]>) =>
      create(suffix, { podSelector, policyTypes: ["Egress"], egress });
    const only = (value: string) => ({ matchLabels: { ...instance, "app.kubernetes.io/component": value } });

    // Anything of this cluster not named below, workers included, takes no connections and opens
    // none but name lookups.
    create("default-deny", { podSelector: { matchLabels: instance }, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [CLUSTER_DNS] });
    // NetworkPolicy v1 lets a pod's own node in regardless (design-proposals-archive network/network-policy.md,
    // "Behavior"), which is how kubelet's probes pass. Implementations that forget it (kind v0.27.0's kindnetd
    // v20250214-acbabc1a: kubernetes-sigs/kind#3875) fail every probe; declared node networks restore it.
    if (args.nodeCidrs?.length) {
      policy("node-ingress", { matchLabels: instance }, [{ from: args.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } })) }]);
    }

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
      const clients = components([...args.roles, "schema", ...(store.ownClients ?? [])]);
      policy(`${store.component}-ingress`, { matchLabels: { ...instance, "app.kubernetes.io/component": store.component } }, [
        { from: [clients], ports: [tcp(store.port)] },
        ...(store.peerPort ? [{ from: [component(store.component)], ports: [tcp(store.peerPort)] }] : []),
      ]);
    }

    // The console is what people open: an ingress controller or a port-forward, from anywhere.
    policy("web-ingress", only("web"), [{ from: [ANY_NAMESPACE], ports: [tcp(WEB_PORT)] }]);

    const serverPorts = args.roles.flatMap((role) => {
      const spec = ROLES[role];
      return [spec.grpcPort, spec.membershipPort, ...(spec.httpPort ? [spec.httpPort] : [])];
    });
    const toServers = { to: [servers], ports: serverPorts.map(tcp) };
    const toFrontend = { to: [component("frontend")], ports: [tcp(ROLES.frontend.grpcPort)] };
    const toStores = pulumi.output(args.outOfClusterStorePorts ?? []).apply((outside) => [
      ...args.stores.map((store) => ({ to: [component(store.component)], ports: [tcp(store.port)] })),
      ...(outside.length ? [{ to: [ANY_ADDRESS], ports: [...new Set(outside)].sort((a, b) => a - b).map(tcp) }] : []),
    ]);

    for (const role of args.roles) {
      const https = args.rolesCallingHttps?.includes(role) ? [{ to: [ANY_ADDRESS], ports: [tcp(HTTPS_PORT)] }] : [];
      egressPolicy(`${role}-egress`, only(role), toStores.apply((stores) => [toServers, ...stores, ...https]));
    }
    egressPolicy("schema-egress", only("schema"), toStores);
    for (const store of args.stores) {
      if (store.peerPort) egressPolicy(`${store.component}-egress`, only(store.component), [{ to: [component(store.component)], ports: [tcp(store.peerPort)] }]);
    }
    for (const store of args.stores) {
      for (const client of store.ownClients ?? []) egressPolicy(`${client}-egress`, only(client), [{ to: [component(store.component)], ports: [tcp(store.port)] }]);
    }
    const toInternalFrontend = { to: [component("internal-frontend")], ports: [tcp(ROLES["internal-frontend"].grpcPort)] };
    egressPolicy("namespace-registration-egress", only("namespace-registration"), [args.namespaceJobsUseInternalFrontend ? toInternalFrontend : toFrontend]);
    egressPolicy("web-egress", only("web"), [toFrontend, ...(args.webConsoleSignsIn ? [{ to: [ANY_ADDRESS], ports: [tcp(HTTPS_PORT)] }] : [])]);
    for (const pool of args.workers ?? []) {
      // An empty rule allows every destination: the pool's activities call what they were written for.
      egressPolicy(`worker-${pool.name}-egress`, only(`worker-${pool.name}`), pool.egress === "any" ? [{}] : [toFrontend]);
    }

    this.registerOutputs({});
  }
}
