import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { TemporalCluster } from "../../components/temporalCluster";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { K8S, envOf, ofType, podSpecOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

const SOURCE = "stacks/Pulumi.stores.yaml";
const MYSQL = "temporal-kit:kubernetes:InClusterMysql";
const POSTGRES = "temporal-kit:kubernetes:InClusterPostgres";
const cassandra = { persistence: { hosting: "in-cluster-cassandra" } };

/** A dev stack with NetworkPolicies on, named after its Pulumi name so that object names differ. */
const cluster = (name: string, stack: Record<string, unknown>) =>
  new TemporalCluster(name, { config: parseStackConfig({ environment: "dev", clusterName: name, kubernetes: { networkPolicies: true }, ...stack }, SOURCE) });

let records: ResourceRecord[];

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  cluster("pg", { persistence: { hosting: "in-cluster-postgres" } });
  cluster("pgx", { persistence: { hosting: "in-cluster-postgres", engine: "postgres12_pgx" } });
  cluster("cass", { ...cassandra, visibility: { store: "sql-server", server: { hosting: "in-cluster-postgres" } } });
  cluster("my", {});
  cluster("cassmy", { ...cassandra, visibility: { store: "sql-server", server: { hosting: "in-cluster" } } });
  await settle();
}, 60_000);

const namesOf = (type: string) => ofType(records, type).map((record) => record.name).sort();
const configMap = (name: string) => ofType(records, K8S.configMap).find((record) => (record.inputs.metadata as { name: string }).name === name)!;
const datastores = (cluster: string) =>
  (parse((configMap(`${cluster}-server-config`).inputs.data as Record<string, string>)["temporal.yaml"].replace(/\{\{[^}]*\}\}/g, "x")) as {
    persistence: { datastores: Record<string, Record<string, Record<string, unknown>>> };
  }).persistence.datastores;
const schemaJob = (cluster: string) => ofType(records, K8S.job).find((record) => record.name === `${cluster}-schema-job`)!;
const policy = (name: string) => ofType(records, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find((record) => (record.inputs.metadata as { name: string }).name === name)?.inputs as
  | { spec: { ingress?: Rule[]; egress?: Rule[] } }
  | undefined;
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port: number }[];
}
interface Peer {
  podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { values: string[] }[] };
  ipBlock?: { cidr: string };
}
const componentsOf = (peers: Peer[] = []) => peers.flatMap((peer) => peer.podSelector?.matchExpressions?.[0]?.values ?? [peer.podSelector?.matchLabels?.["app.kubernetes.io/component"] ?? "?"]).sort();
const portsOf = (rule: Rule) => (rule.ports ?? []).map((port) => port.port);

describe("an in-cluster PostgreSQL default store", () => {
  it("points both datastores at the one server with the postgres12 plugin", () => {
    const stores = datastores("pg");
    expect(stores.default.sql).toMatchObject({ pluginName: "postgres12", connectAddr: "pg-postgres.temporal.svc.cluster.local:5432", databaseName: "temporal", user: "temporal" });
    expect(stores.visibility.sql).toMatchObject({ pluginName: "postgres12", connectAddr: "pg-postgres.temporal.svc.cluster.local:5432", databaseName: "temporal_visibility" });
  });

  it("passes the pgx plugin through to the server and the schema tool", () => {
    expect(datastores("pgx").default.sql).toMatchObject({ pluginName: "postgres12_pgx" });
    const steps = podSpecOf(schemaJob("pgx")).initContainers!;
    expect(envOf(steps[0], "SQL_PLUGIN")?.value).toBe("postgres12_pgx");
  });

  it("runs the schema tool against it with the postgresql/v12 schemas and the password from its Secret", () => {
    const steps = podSpecOf(schemaJob("pg")).initContainers!;
    expect(envOf(steps[0], "SQL_PLUGIN")?.value).toBe("postgres12");
    expect(envOf(steps[0], "SQL_PORT")?.value).toBe("5432");
    expect(envOf(steps[0], "SQL_PASSWORD")?.valueFrom?.secretKeyRef).toEqual({ name: "pg-postgres-credentials", key: "password" });
    const dirs = steps.flatMap((step) => step.command ?? []).filter((arg) => arg.startsWith("/etc/temporal/schema/"));
    expect(dirs).toEqual(["/etc/temporal/schema/postgresql/v12/temporal/versioned", "/etc/temporal/schema/postgresql/v12/visibility/versioned"]);
  });

  it("starts the schema job only after the server's StatefulSet", () => {
    const statefulSet = ofType(records, K8S.statefulSet).find((record) => record.name === "pg-postgres-statefulset")!;
    expect(schemaJob("pg").dependsOn).toContain(statefulSet.urn);
  });

  it("admits the roles and the schema job on 5432, and lets them reach it there only", () => {
    const [clients] = policy("pg-postgres-ingress")!.spec.ingress!;
    expect(componentsOf(clients.from)).toEqual(["frontend", "history", "matching", "schema", "worker"]);
    expect(portsOf(clients)).toEqual([5432]);
    const egress = policy("pg-schema-egress")!.spec.egress!;
    expect(egress.map((rule) => [componentsOf(rule.to), portsOf(rule)])).toEqual([[["postgres"], [5432]]]);
    expect(policy("pg-history-egress")!.spec.egress!.some((rule) => rule.to?.some((peer) => peer.ipBlock))).toBe(false);
    expect(policy("pg-mysql-ingress")).toBeUndefined();
  });
});

describe("an in-cluster PostgreSQL visibility server beside Cassandra", () => {
  it("keeps visibility in its visibility database and Temporal's state in Cassandra", () => {
    const stores = datastores("cass");
    expect(Object.keys(stores.default)).toEqual(["cassandra"]);
    expect(stores.visibility.sql).toMatchObject({ pluginName: "postgres12", connectAddr: "cass-postgres.temporal.svc.cluster.local:5432", databaseName: "temporal_visibility" });
  });

  it("admits the roles and the schema job to both stores", () => {
    expect(portsOf(policy("cass-postgres-ingress")!.spec.ingress![0])).toEqual([5432]);
    expect(portsOf(policy("cass-cassandra-ingress")!.spec.ingress![0])).toEqual([9042]);
  });
});

describe("Pulumi names of the in-cluster SQL servers", () => {
  it("name PostgreSQL after its engine and keep MySQL's names, so existing stacks see no replacement", () => {
    expect(namesOf(POSTGRES)).toEqual(["cass-visibility-postgres", "pg-postgres", "pgx-postgres"]);
    expect(namesOf(MYSQL)).toEqual(["cassmy-visibility-mysql", "my-mysql"]);
    expect(workloadOf(ofType(records, K8S.statefulSet).find((record) => record.name === "my-mysql-statefulset")!).metadata.name).toBe("my-mysql");
  });
});
