import type { KubeObject } from "./runner/manifests";

/**
 * Would a NetworkPolicy-enforcing cluster let this connection through? The rules of
 * networking.k8s.io/v1 (kubernetes.io/docs/concepts/services-networking/network-policies): a pod
 * is isolated for a direction once any policy of that type selects it, and then a connection
 * passes only if some such policy's rule admits the peer and the port. The runner enforces
 * nothing; this judges the connections a real run actually held against what the kit rendered.
 */

export interface PolicyPod {
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  /** Named container ports, for rules that name theirs. */
  ports: Record<string, number>;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PortRule {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PortRule[];
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every((expression) => {
    const value = labels[expression.key];
    switch (expression.operator) {
      case "In":
        return value !== undefined && (expression.values ?? []).includes(value);
      case "NotIn":
        return value === undefined || !(expression.values ?? []).includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
    }
  });
  return byLabel && byExpression;
}

const ipNumber = (ip: string) => ip.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base) / size);
}

function peerAdmits(peer: Peer, policyNamespace: string, other: PolicyPod, namespaceLabels: (name: string) => Record<string, string>): boolean {
  if (peer.ipBlock) return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip, cidr));
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(other.namespace)) : other.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.labels);
}

function portAdmits(rule: PortRule, port: number, target: PolicyPod): boolean {
  if ((rule.protocol ?? "TCP") !== "TCP") return false;
  if (rule.port === undefined) return true;
  const first = typeof rule.port === "number" ? rule.port : target.ports[rule.port];
  return first !== undefined && port >= first && port <= (rule.endPort ?? first);
}

/** A policy that does not admit the TCP connection from `source` to `target:port`, or undefined when it passes. */
export function policyRefusal(policies: KubeObject[], namespaceLabels: (name: string) => Record<string, string>, source: PolicyPod, target: PolicyPod, port: number): string | undefined {
  const direction = (kind: "Ingress" | "Egress", self: PolicyPod, other: PolicyPod) => {
    const applying = policies.filter((policy) => (policy.metadata.namespace ?? "default") === self.namespace && selects(policy.spec.podSelector, self.labels) && (policy.spec.policyTypes ?? ["Ingress"]).includes(kind));
    if (applying.length === 0) return undefined;
    const admitted = applying.some((policy) =>
      ((kind === "Ingress" ? policy.spec.ingress : policy.spec.egress) ?? []).some((rule: Rule) => {
        const peers = kind === "Ingress" ? rule.from : rule.to;
        const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerAdmits(peer, self.namespace, other, namespaceLabels));
        const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((portRule) => portAdmits(portRule, port, target));
        return peerOk && portOk;
      }),
    );
    return admitted ? undefined : `${kind.toLowerCase()} of ${self.labels["app.kubernetes.io/component"] ?? self.ip} (policies ${applying.map((policy) => policy.metadata.name).join(", ")})`;
  };
  return direction("Egress", source, target) ?? direction("Ingress", target, source);
}
