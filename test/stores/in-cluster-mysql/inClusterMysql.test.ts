import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../../components/config/presets";
import { InClusterMysql } from "../../../components/stores/in-cluster-mysql/inClusterMysql";
import { ClusterNames } from "../../../components/kubernetes/names";
import { type ResourceRecord } from "../../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../../tools/synth/secretPlaceholder";
import { K8S, envOf, onlyOfType, podSpecOf, promiseOf, settle, startMockRuntime, workloadOf } from "../../helpers/mockRuntime";

const preset = PRESETS.dev.persistence;
if (preset.hosting !== "in-cluster") throw new Error("the dev preset runs MySQL in the cluster");
let records: ResourceRecord[];
let mysql: InClusterMysql;

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  mysql = new InClusterMysql("db", {
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

describe("InClusterMysql", () => {
  it("generates both passwords with Pulumi and keeps them in a Kubernetes Secret as secrets", () => {
    const secret = onlyOfType(records, K8S.secret).inputs as { stringData: Record<string, string> };
    expect(secret.stringData).toEqual({ password: SECRET_PLACEHOLDER, "root-password": SECRET_PLACEHOLDER });
    expect(records.filter((record) => record.type === "random:index/randomPassword:RandomPassword")).toHaveLength(2);
  });

  it("passes passwords to MySQL only by secret reference", () => {
    const container = podSpecOf(onlyOfType(records, K8S.statefulSet)).containers[0];
    for (const name of ["MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"]) {
      expect(envOf(container, name)?.value).toBeUndefined();
      expect(envOf(container, name)?.valueFrom?.secretKeyRef?.name).toBe("temporal-store-credentials");
    }
  });

  it("stores data on its own persistent volume of the configured size and class", () => {
    const claim = workloadOf(onlyOfType(records, K8S.statefulSet)).spec.volumeClaimTemplates![0];
    expect(claim.spec).toMatchObject({ storageClassName: "fast", resources: { requests: { storage: "5Gi" } } });
  });

  it("grants the Temporal user the visibility database too", () => {
    const init = onlyOfType(records, K8S.configMap).inputs as { data: Record<string, string> };
    expect(Object.values(init.data).join()).toContain("GRANT ALL PRIVILEGES ON `temporal_visibility`.* TO 'temporal'@'%'");
  });

  it("accepts as many connections as the Temporal cluster may open", () => {
    expect((podSpecOf(onlyOfType(records, K8S.statefulSet)).containers[0] as { args?: string[] }).args).toEqual(["--max-connections=500"]);
  });

  it("runs as the image's mysql user on a read-only root, with its socket directory and /tmp writable", () => {
    const pod = podSpecOf(onlyOfType(records, K8S.statefulSet)) as unknown as { securityContext: Record<string, unknown>; containers: { securityContext: Record<string, unknown>; volumeMounts: { mountPath: string }[] }[] };
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod.containers[0].volumeMounts.map((mount) => mount.mountPath)).toEqual(["/var/lib/mysql", "/docker-entrypoint-initdb.d", "/var/run/mysqld", "/tmp"]);
  });

  it("has probes and resources", () => {
    const container = podSpecOf(onlyOfType(records, K8S.statefulSet)).containers[0];
    expect(container.readinessProbe).toBeDefined();
    expect(container.livenessProbe).toBeDefined();
    expect(container.resources?.limits?.memory).toBe(preset.resources.limits.memory);
  });

  it("publishes its in-cluster host and the secret key of the Temporal password", async () => {
    expect(await promiseOf(mysql.host)).toBe("temporal-mysql.temporal.svc.cluster.local");
    expect(mysql.port).toBe(3306);
    expect(mysql.password.key).toBe("password");
  });
});
