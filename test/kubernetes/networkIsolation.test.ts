import { beforeAll, describe, expect, it } from "vitest";
import { ClusterNames } from "../../components/kubernetes/names";
import { NetworkIsolation } from "../../components/kubernetes/networkIsolation";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { settle, startMockRuntime } from "../helpers/mockRuntime";

interface Rule {
  from: { podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; values: string[] }[] }; namespaceSelector?: object }[];
  ports: { port: number; protocol: string }[];
}
interface Policy {
  metadata: { name: string };
  spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: Rule[] };
}

let records: ResourceRecord[];

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  new NetworkIsolation("net", {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    roles: ["frontend", "history", "matching", "worker"],
    stores: [
      { component: "cassandra", port: 9042, peerPort: 7000 },
      { component: "elasticsearch", port: 9200 },
    ],
  });
  await settle();
});

const policies = () => records.filter((record) => record.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((record) => record.inputs as unknown as Policy);
const named = (suffix: string) => policies().find((policy) => policy.metadata.name === `temporal-${suffix}`)!;
const ports = (rule: Rule) => rule.ports.map((port) => port.port).sort();
const componentsAllowed = (rule: Rule) => rule.from.flatMap((peer) => peer.podSelector?.matchExpressions?.[0]?.values ?? []).sort();
const openToCluster = (rule: Rule) => rule.from.some((peer) => peer.namespaceSelector !== undefined);

describe("NetworkIsolation", () => {
  it("denies all ingress to every pod of the cluster unless another policy allows it", () => {
    expect(named("default-deny").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "temporal" } },
      policyTypes: ["Ingress"],
      ingress: [],
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

  it("gives worker pools no policy of their own, so the default denial holds for them", () => {
    expect(policies().some((policy) => policy.metadata.name.includes("worker-") && policy.metadata.name !== "temporal-worker-ingress")).toBe(false);
  });
});
