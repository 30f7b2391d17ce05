import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import type { WorkerConfig } from "../../components/config/schema";
import { ClusterNames } from "../../components/kubernetes/names";
import { NamespaceRegistration } from "../../components/kubernetes/namespaceRegistration";
import { sdkClientPodTls, serverPodTls, webConsolePodTls } from "../../components/kubernetes/podTls";
import { TemporalServiceRole } from "../../components/kubernetes/serviceRole";
import { WebConsole } from "../../components/kubernetes/webConsole";
import { WorkerPool } from "../../components/kubernetes/workerPool";
import type { RoleName } from "../../components/temporal/roles";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { Container, K8S, PodSpec, envOf, ofType, podSpecOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

const names = new ClusterNames("temporal");
const FRONTEND = "temporal-frontend.temporal.svc.cluster.local";
const password = { name: "temporal-store-credentials", key: "password" };
const pool: WorkerConfig = {
  name: "orders",
  image: "registry.example.com/orders-worker:1.4.2",
  replicas: 2,
  taskQueue: "orders-tq",
  namespace: "orders",
  env: {},
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  probe: { httpGet: { path: "/healthz", port: 8080 } },
};
let records: ResourceRecord[];

const role = (role: RoleName, tls: boolean) =>
  new TemporalServiceRole(`${tls ? "tls" : "plain"}-${role}`, {
    role,
    names: tls ? names : new ClusterNames("plain"),
    namespace: "temporal",
    image: PRESETS.production.temporal.serverImage,
    replicas: 2,
    resources: PRESETS.production.roles.frontend.resources,
    configChecksum: "abc",
    defaultStorePassword: password,
    highAvailability: false,
    authorizationEnabled: false,
    ...(tls ? { tls: serverPodTls(names) } : {}),
  });

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  for (const name of ["frontend", "history", "worker"] as RoleName[]) role(name, true);
  role("frontend", false);
  new WebConsole("web", {
    names,
    namespace: "temporal",
    config: PRESETS.staging.webConsole,
    frontendAddress: `${FRONTEND}:7233`,
    highAvailability: false,
    frontendTls: webConsolePodTls(names, FRONTEND),
  });
  new WorkerPool("orders", {
    names,
    namespace: "temporal",
    config: pool,
    frontendAddress: `${FRONTEND}:7233`,
    highAvailability: false,
    frontendTls: sdkClientPodTls(names, { certificate: "client", serverName: FRONTEND }),
  });
  new NamespaceRegistration("ns", {
    names,
    namespace: "temporal",
    adminToolsImage: "temporalio/admin-tools:1.31.2",
    temporalNamespace: { name: "orders", retention: "7d" },
    frontendAddress: "temporal-internal-frontend.temporal.svc.cluster.local:7236",
    tls: sdkClientPodTls(names, { certificate: "internode", serverName: names.internodeServerName }),
  });
  await settle();
});

const deployment = (name: string) => ofType(records, K8S.deployment).find((record) => workloadOf(record).metadata.name === name)!;
const podOf = (name: string): PodSpec => podSpecOf(deployment(name));
type SecretVolume = { name: string; secret?: { secretName: string } };
const secretsMounted = (pod: PodSpec) => ((pod.volumes ?? []) as SecretVolume[]).filter((volume) => volume.secret).map((volume) => volume.secret!.secretName);
/** Certificate mounts only: hardening adds scratch dirs (/tmp, the UI's config dir) beside them. */
const mountPaths = (container: Container) => (container.volumeMounts ?? []).map((mount) => mount.mountPath).filter((path) => path.startsWith("/etc/temporal/tls"));

describe("Temporal roles under mutual TLS", () => {
  it("mount all three certificate Secrets, since they share one server config", () => {
    for (const name of ["temporal-frontend", "temporal-history", "temporal-worker"]) {
      expect(secretsMounted(podOf(name))).toEqual(["temporal-tls-internode", "temporal-tls-frontend", "temporal-tls-client"]);
      expect(mountPaths(podOf(name).containers[0])).toEqual(
        expect.arrayContaining(["/etc/temporal/tls/internode", "/etc/temporal/tls/frontend", "/etc/temporal/tls/client"]),
      );
    }
  });

  it("never use the kubelet's plaintext gRPC probe", () => {
    for (const name of ["temporal-frontend", "temporal-history", "temporal-worker"]) {
      const container = podOf(name).containers[0];
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        expect(probe).not.toHaveProperty("grpc");
        expect(probe).toHaveProperty("tcpSocket");
      }
    }
  });

  it("keep the gRPC health probe when TLS is off", () => {
    expect(podOf("plain-frontend").containers[0].readinessProbe).toMatchObject({ grpc: { port: 7233, service: "temporal.api.workflowservice.v1.WorkflowService" } });
    expect(secretsMounted(podOf("plain-frontend"))).toEqual([]);
  });
});

describe("the web console under mutual TLS", () => {
  const container = () => podOf("temporal-web").containers[0];

  it("presents the client certificate and verifies the frontend by its DNS name", () => {
    expect(envOf(container(), "TEMPORAL_TLS_CERT")?.value).toBe("/etc/temporal/tls/client/tls.crt");
    expect(envOf(container(), "TEMPORAL_TLS_KEY")?.value).toBe("/etc/temporal/tls/client/tls.key");
    expect(envOf(container(), "TEMPORAL_TLS_CA")?.value).toBe("/etc/temporal/tls/client/ca.crt");
    expect(envOf(container(), "TEMPORAL_TLS_SERVER_NAME")?.value).toBe(FRONTEND);
    expect(envOf(container(), "TEMPORAL_TLS_ENABLE_HOST_VERIFICATION")?.value).toBe("true");
  });

  it("mounts only the client certificate", () => {
    expect(secretsMounted(podOf("temporal-web"))).toEqual(["temporal-tls-client"]);
    expect(mountPaths(container())).toEqual(["/etc/temporal/tls/client"]);
  });
});

describe("worker pools under mutual TLS", () => {
  const container = () => podOf("temporal-worker-orders").containers[0];

  it("get the client certificate as files named by the SDKs' environment configuration", () => {
    expect(envOf(container(), "TEMPORAL_TLS")?.value).toBe("true");
    expect(envOf(container(), "TEMPORAL_TLS_CLIENT_CERT_PATH")?.value).toBe("/etc/temporal/tls/client/tls.crt");
    expect(envOf(container(), "TEMPORAL_TLS_CLIENT_KEY_PATH")?.value).toBe("/etc/temporal/tls/client/tls.key");
    expect(envOf(container(), "TEMPORAL_TLS_SERVER_CA_CERT_PATH")?.value).toBe("/etc/temporal/tls/client/ca.crt");
    expect(envOf(container(), "TEMPORAL_TLS_SERVER_NAME")?.value).toBe(FRONTEND);
    expect(secretsMounted(podOf("temporal-worker-orders"))).toEqual(["temporal-tls-client"]);
  });

  it("never get the internode certificate", () => {
    expect(secretsMounted(podOf("temporal-worker-orders"))).not.toContain("temporal-tls-internode");
  });
});

describe("namespace registration under mutual TLS", () => {
  const job = () => podSpecOf(ofType(records, K8S.job)[0]);

  it("hands the CLI the certificate it was given and the server name to verify", () => {
    const container = job().containers[0];
    expect(envOf(container, "TEMPORAL_TLS_CLIENT_CERT_PATH")?.value).toBe("/etc/temporal/tls/internode/tls.crt");
    expect(envOf(container, "TEMPORAL_TLS_SERVER_NAME")?.value).toBe("temporal-internode");
    expect(envOf(container, "TEMPORAL_ADDRESS")?.value).toBe("temporal-internal-frontend.temporal.svc.cluster.local:7236");
    expect(mountPaths(container)).toEqual(["/etc/temporal/tls/internode"]);
    expect(secretsMounted(job())).toEqual(["temporal-tls-internode"]);
  });
});
