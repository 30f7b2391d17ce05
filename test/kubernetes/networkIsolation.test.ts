import { beforeAll, describe, expect, it } from "vitest";
import { ClusterNames } from "../../components/kubernetes/names";
import { NetworkIsolation } from "../../components/kubernetes/networkIsolation";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { settle, startMockRuntime } from "../helpers/mockRuntime";

type PeerSelector = { podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; values: string[] }[] }; namespaceSelector?: { matchLabels?: Record<string, string> }; ipBlock?: { cidr: string } };
interface Rule {
  from: PeerSelector[];
  ports: { port: number; protocol: string }[];
}
interface EgressRule {
  to?: PeerSelector[];
  ports?: { port: number; protocol: string }[];
}
interface Policy {
  metadata: { name: string };
  spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: Rule[]; egress: EgressRule[] };
}

let records: ResourceRecord[];

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  new NetworkIsolation("net", {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    roles: ["frontend", "history", "matching", "worker"],
    stores: [
      { component: "cassandra", port: 9042, peerPort: 7000, ownClients: ["cassandra-auth"] },
      { component: "elasticsearch", port: 9200 },
    ],
    workers: [
      { name: "orders", egress: "any" },
      { name: "billing", egress: "frontend-only" },
    ],
  });
  // A cluster whose stores live outside it (RDS and OpenSearch) and whose console signs people in.
  new NetworkIsolation("managed", {
    names: new ClusterNames("managed"),
    namespace: "temporal",
    roles: ["frontend", "history", "matching", "worker"],
    stores: [],
    outOfClusterStorePorts: [3306, 443, 3306],
    webConsoleSignsIn: true,
  });
  // Archival to S3 and a JWT authorizer: roles call HTTPS, namespace jobs use the internal frontend.
  new NetworkIsolation("guarded", {
    names: new ClusterNames("guarded"),
    namespace: "temporal",
    roles: ["frontend", "internal-frontend", "history", "matching", "worker"],
    stores: [],
    rolesCallingHttps: ["frontend", "history"],
    namespaceJobsUseInternalFrontend: true,
    nodeCidrs: ["172.18.0.0/16", "10.89.0.0/24"],
  });
  await settle();
});

const policies = () => records.filter((record) => record.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((record) => record.inputs as unknown as Policy);
const named = (suffix: string, cluster = "temporal") => policies().find((policy) => policy.metadata.name === `${cluster}-${suffix}`)!;
const egressOf = (suffix: string, cluster = "temporal") => {
  const policy = named(suffix, cluster);
  expect(policy.spec.policyTypes).toEqual(["Egress"]);
  return policy.spec.egress;
};
const egressPorts = (rule: EgressRule) => (rule.ports ?? []).map((port) => port.port).sort((a, b) => a - b);
const egressComponents = (rule: EgressRule) =>
  (rule.to ?? []).flatMap((peer) => peer.podSelector?.matchExpressions?.[0]?.values ?? (peer.podSelector?.matchLabels?.["app.kubernetes.io/component"] ? [peer.podSelector.matchLabels["app.kubernetes.io/component"]] : [])).sort();
const anyAddress = (rule: EgressRule) => (rule.to ?? []).some((peer) => peer.ipBlock?.cidr === "0.0.0.0/0");
const ports = (rule: Rule) => rule.ports.map((port) => port.port).sort();
const componentsAllowed = (rule: Rule) => rule.from.flatMap((peer) => peer.podSelector?.matchExpressions?.[0]?.values ?? []).sort();
const openToCluster = (rule: Rule) => rule.from.some((peer) => peer.namespaceSelector !== undefined);

describe("NetworkIsolation", () => {
  it("admits the declared node networks to every pod of the cluster, so kubelet's probes pass where the implementation does not exempt the node", () => {
    expect(named("node-ingress", "guarded").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "guarded" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ ipBlock: { cidr: "172.18.0.0/16" } }, { ipBlock: { cidr: "10.89.0.0/24" } }] }],
    });
    // Without declared node networks, the kit leaves the node to the API's own exemption.
    expect(named("node-ingress")).toBeUndefined();
  });

  it("denies all ingress and all egress but cluster DNS to every pod of the cluster unless another policy allows it", () => {
    expect(named("default-deny").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "temporal" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    });
  });

  it("lets only the server roles reach a role's gRPC and membership ports", () => {
    const [peers, metrics] = named("history-ingress").spec.ingress;
    expect(ports(peers)).toEqual([6934, 7234]);
    expect(componentsAllowed(peers)).toEqual(["frontend", "history", "matching", "worker"]);
    expect(openToCluster(peers)).toBe(false);
    expect(ports(metrics)).toEqual([9090]);
  });

  it("opens the frontend's gRPC and HTTP ports to clients anywhere in the cluster, and nothing else of it", () => {
    const rules = named("frontend-ingress").spec.ingress;
    const clients = rules.find((rule) => openToCluster(rule) && !ports(rule).includes(9090))!;
    expect(ports(clients)).toEqual([7233, 7243]);
    expect(ports(rules[0])).toEqual([6933, 7233, 7243]);
    expect(openToCluster(rules[0])).toBe(false);
  });

  it("lets the roles and the schema job (and Cassandra's auth job) reach the stores, and Cassandra nodes gossip among themselves", () => {
    const [clients, gossip] = named("cassandra-ingress").spec.ingress;
    expect(ports(clients)).toEqual([9042]);
    expect(componentsAllowed(clients)).toEqual(["cassandra-auth", "frontend", "history", "matching", "schema", "worker"]);
    expect(ports(gossip)).toEqual([7000]);
    expect(gossip.from[0].podSelector?.matchLabels?.["app.kubernetes.io/component"]).toBe("cassandra");
    expect(componentsAllowed(named("elasticsearch-ingress").spec.ingress[0])).toEqual(["frontend", "history", "matching", "schema", "worker"]);
  });

  it("gives worker pools no ingress policy of their own, so the default denial of ingress holds for them", () => {
    expect(policies().some((policy) => /^temporal-worker-.+-ingress$/.test(policy.metadata.name))).toBe(false);
  });

  it("lets a role reach every role's gRPC, membership and HTTP ports and the in-cluster stores, and nothing else", () => {
    const [servers, ...stores] = egressOf("history-egress");
    expect(egressComponents(servers)).toEqual(["frontend", "history", "matching", "worker"]);
    expect(egressPorts(servers)).toEqual([6933, 6934, 6935, 6939, 7233, 7234, 7235, 7239, 7243]);
    expect(stores.map((rule) => [egressComponents(rule)[0], egressPorts(rule)])).toEqual([
      ["cassandra", [9042]],
      ["elasticsearch", [9200]],
    ]);
    expect(stores.some(anyAddress)).toBe(false);
  });

  it("lets the schema job reach the stores only", () => {
    expect(egressOf("schema-egress").map((rule) => egressComponents(rule)[0])).toEqual(["cassandra", "elasticsearch"]);
  });

  it("lets Cassandra nodes reach each other's intra-node port and its auth job reach CQL only", () => {
    expect(egressOf("cassandra-egress").map((rule) => [egressComponents(rule), egressPorts(rule)])).toEqual([[["cassandra"], [7000]]]);
    expect(egressOf("cassandra-auth-egress").map((rule) => [egressComponents(rule), egressPorts(rule)])).toEqual([[["cassandra"], [9042]]]);
  });

  it("lets the console and the namespace jobs reach the frontend's gRPC port only", () => {
    for (const suffix of ["web-egress", "namespace-registration-egress"]) {
      expect(egressOf(suffix).map((rule) => [egressComponents(rule), egressPorts(rule)])).toEqual([[["frontend"], [7233]]]);
    }
  });

  it("confines a frontend-only worker pool to the frontend and leaves an 'any' pool free to call its own services", () => {
    expect(egressOf("worker-billing-egress").map((rule) => [egressComponents(rule), egressPorts(rule)])).toEqual([[["frontend"], [7233]]]);
    expect(egressOf("worker-orders-egress")).toEqual([{}]);
  });

  it("lets the roles and the schema job reach stores outside the cluster on their ports at any address, each port once", () => {
    const outside = egressOf("frontend-egress", "managed").filter(anyAddress);
    expect(outside.map(egressPorts)).toEqual([[443, 3306]]);
    expect(egressOf("schema-egress", "managed").map(egressPorts)).toEqual([[443, 3306]]);
  });

  it("lets a console that signs people in reach its identity provider over HTTPS", () => {
    const [frontend, provider] = egressOf("web-egress", "managed");
    expect(egressComponents(frontend)).toEqual(["frontend"]);
    expect(anyAddress(provider) && egressPorts(provider)).toEqual([443]);
  });
});

describe("roles and jobs that reach beyond the cluster's own services", () => {
  it("lets only the roles that call HTTPS APIs reach port 443 at any address", () => {
    const https = (role: string) => egressOf(`${role}-egress`, "guarded").some((rule) => anyAddress(rule) && egressPorts(rule).includes(443));
    expect(["frontend", "internal-frontend", "history", "matching", "worker"].filter(https)).toEqual(["frontend", "history"]);
    expect(egressOf("frontend-egress").some((rule) => egressPorts(rule).includes(443))).toBe(false);
  });

  it("sends the namespace jobs to the internal frontend's gRPC port when authorization is on", () => {
    const [rule] = egressOf("namespace-registration-egress", "guarded");
    expect(egressComponents(rule)).toEqual(["internal-frontend"]);
    expect(egressPorts(rule)).toEqual([7236]);
    expect(egressComponents(egressOf("namespace-registration-egress")[0])).toEqual(["frontend"]);
  });
});
