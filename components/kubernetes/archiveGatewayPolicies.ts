import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RoleName } from "../temporal/roles";
import type { ClusterNames } from "./names";
import { ANY_ADDRESS, CLUSTER_DNS, HTTPS_PORT } from "./networkIsolation";

export interface ArchiveGatewayPoliciesArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** The gateway's S3 port. */
  port: number;
  /** The Temporal roles that archive or read archives: the only pods that may call the gateway. */
  clients: RoleName[];
}

/**
 * The gateway's share of the cluster's NetworkPolicies (NetworkIsolation's default deny already
 * covers its pods): only the archiving roles reach its S3 port, and it reaches only name lookups
 * and HTTPS (Blob Storage and Entra ID's token endpoint, whose addresses are not fixed). Policies
 * add up, so the roles' way to the gateway is a policy of its own beside their other egress.
 */
export function archiveGatewayPolicies(name: string, args: ArchiveGatewayPoliciesArgs, opts: pulumi.CustomResourceOptions): k8s.networking.v1.NetworkPolicy[] {
  const { names } = args;
  const gateway = { matchLabels: names.selector("archive-gateway") };
  const clients = { matchLabels: names.instanceSelector, matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: args.clients }] };
  const port = [{ protocol: "TCP", port: args.port }];
  const policy = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
    new k8s.networking.v1.NetworkPolicy(
      `${name}-${suffix}`,
      { metadata: { name: `${names.archiveGateway}-${suffix}`, namespace: args.namespace, labels: names.labels("network-policy") }, spec },
      opts,
    );
  return [
    policy("ingress", { podSelector: gateway, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: clients }], ports: port }] }),
    policy("egress", { podSelector: gateway, policyTypes: ["Egress"], egress: [CLUSTER_DNS, { to: [ANY_ADDRESS], ports: [{ protocol: "TCP", port: HTTPS_PORT }] }] }),
    policy("clients", { podSelector: clients, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: gateway }], ports: port }] }),
  ];
}
