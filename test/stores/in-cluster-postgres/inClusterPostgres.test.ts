import { beforeAll, describe, expect, it } from "vitest";
import { PERSISTENCE_PRESETS } from "../../../components/config/storePresets";
import { InClusterPostgres, visibilityDatabaseScript } from "../../../components/stores/in-cluster-postgres/inClusterPostgres";
import { ClusterNames } from "../../../components/kubernetes/names";
import { type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { K8S, envOf, onlyOfType, podSpecOf, promiseOf, settle, startMockRuntime, workloadOf } from "../../helpers/mockRuntime";

const preset = PERSISTENCE_PRESETS.dev["in-cluster-postgres"]!;
if (preset.hosting !== "in-cluster-postgres") throw new Error("the dev preset of in-cluster-postgres runs PostgreSQL in the cluster");
let records: ResourceRecord[];
let postgres: InClusterPostgres;

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  postgres = new InClusterPostgres("db", {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    image: preset.image,
    storageSize: "5Gi",
    storageClassName: "fast",
    resources: preset.resources,
    user: "temporal",
    database: "temporal",
    visibilityDatabase: "temporal_visibility",
    maxConnections: 500,
  });
  await settle();
});

type HardenedPod = ReturnType<typeof podSpecOf> & { securityContext: Record<string, unknown> };
type FullContainer = ReturnType<typeof podSpecOf>["containers"][number] & {
  args?: string[];
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
};
const pod = () => podSpecOf(onlyOfType(records, K8S.statefulSet)) as HardenedPod;
const container = () => pod().containers[0] as FullContainer;
const PG_ISREADY = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "temporal", "-d", "temporal"];

describe("InClusterPostgres", () => {
  it("generates the password with Pulumi, letters and digits only, and keeps it in a Secret of its own", () => {
    const secret = onlyOfType(records, K8S.secret).inputs as { metadata: { name: string }; stringData: Record<string, string> };
    expect(secret.metadata.name).toBe("temporal-postgres-credentials");
    expect(secret.stringData).toEqual({ password: SECRET_PLACEHOLDER });
    const password = onlyOfType(records, "random:index/randomPassword:RandomPassword");
    expect(password.inputs).toMatchObject({ length: 32, special: false });
  });

  it("follows the official image's contract: user, password by secret reference, database, and a data directory below the volume's root", () => {
    expect(envOf(container(), "POSTGRES_USER")?.value).toBe("temporal");
    expect(envOf(container(), "POSTGRES_PASSWORD")?.value).toBeUndefined();
    expect(envOf(container(), "POSTGRES_PASSWORD")?.valueFrom?.secretKeyRef).toEqual({ name: "temporal-postgres-credentials", key: "password" });
    expect(envOf(container(), "POSTGRES_DB")?.value).toBe("temporal");
    expect(envOf(container(), "PGDATA")?.value).toBe("/var/lib/postgresql/data/pgdata");
    expect(container().volumeMounts.find((mount) => mount.name === "data")?.mountPath).toBe("/var/lib/postgresql/data");
  });

  it("stores data on its own persistent volume of the configured size and class", () => {
    const claim = workloadOf(onlyOfType(records, K8S.statefulSet)).spec.volumeClaimTemplates![0];
    expect(claim.spec).toMatchObject({ storageClassName: "fast", resources: { requests: { storage: "5Gi" } } });
  });

  it("creates the visibility database owned by the Temporal user, once, from the entrypoint's init directory", () => {
    const init = onlyOfType(records, K8S.configMap).inputs as { metadata: { name: string }; data: Record<string, string> };
    expect(init.metadata.name).toBe("temporal-postgres-init");
    expect(init.data).toEqual({ "01-visibility.sql": visibilityDatabaseScript("temporal", "temporal_visibility") });
    expect(init.data["01-visibility.sql"]).toBe(
      `SELECT 'CREATE DATABASE "temporal_visibility" OWNER "temporal"'\nWHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'temporal_visibility')\\gexec\n`,
    );
    expect(container().volumeMounts).toContainEqual({ name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true });
    expect(pod().volumes).toContainEqual({ name: "init", configMap: { name: "temporal-postgres-init" } });
  });

  it("accepts as many connections as the Temporal cluster may open", () => {
    expect(container().args).toEqual(["-c", "max_connections=500"]);
  });

  it("runs as the image's postgres user on a read-only root, with its socket directory and /tmp writable", () => {
    expect(pod().securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(container().securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(container().volumeMounts.map((mount) => mount.mountPath)).toEqual(["/var/lib/postgresql/data", "/docker-entrypoint-initdb.d", "/var/run/postgresql", "/tmp"]);
  });

  it("checks readiness, liveness and startup with pg_isready over TCP, which needs no password", () => {
    for (const probe of [container().startupProbe, container().readinessProbe, container().livenessProbe]) {
      expect(probe).toMatchObject({ exec: { command: PG_ISREADY } });
    }
    // The first start runs initdb and the init script before the server listens on TCP.
    expect(container().startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 60 });
  });

  it("sets the configured resources", () => {
    expect(container().resources).toEqual({ requests: preset.resources.requests, limits: { memory: preset.resources.limits.memory } });
  });

  it("runs one pod behind a headless Service on 5432", () => {
    expect(workloadOf(onlyOfType(records, K8S.statefulSet)).spec.replicas).toBe(1);
    const service = onlyOfType(records, K8S.service).inputs as { metadata: { name: string }; spec: Record<string, unknown> };
    expect(service.metadata.name).toBe("temporal-postgres");
    expect(service.spec).toMatchObject({ clusterIP: "None", ports: [{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }] });
    expect(container().ports).toEqual([{ name: "postgres", containerPort: 5432, protocol: "TCP" }]);
  });

  it("labels its objects as the cluster's postgres component", () => {
    expect(workloadOf(onlyOfType(records, K8S.statefulSet)).metadata.labels).toMatchObject({ "app.kubernetes.io/instance": "temporal", "app.kubernetes.io/component": "postgres" });
  });

  it("publishes its in-cluster host and the secret key of the Temporal password", async () => {
    expect(await promiseOf(postgres.host)).toBe("temporal-postgres.temporal.svc.cluster.local");
    expect(postgres.port).toBe(5432);
    expect(postgres.password.key).toBe("password");
  });

  it("registers as the kit's InClusterPostgres component, parent of everything it creates", () => {
    const component = onlyOfType(records, "temporal-kit:kubernetes:InClusterPostgres");
    for (const type of [K8S.statefulSet, K8S.service, K8S.secret, K8S.configMap]) expect(onlyOfType(records, type).parent).toBe(component.urn);
  });
});
