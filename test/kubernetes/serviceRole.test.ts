import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import { ClusterNames } from "../../components/kubernetes/names";
import { TemporalServiceRole } from "../../components/kubernetes/serviceRole";
import type { RoleName } from "../../components/temporal/roles";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { K8S, envOf, ofType, podSpecOf, promiseOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

const names = new ClusterNames("temporal");
const password = { name: "temporal-store-credentials", key: "password" };
const GATEWAY_KEY = {
  accessKeyId: { name: "temporal-archive-gateway-s3-key", key: "access-key-id" },
  secretAccessKey: { name: "temporal-archive-gateway-s3-key", key: "secret-access-key" },
};
const FRONTEND_SCALING = { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 };
let records: ResourceRecord[];
const roles: Partial<Record<RoleName, TemporalServiceRole>> = {};

const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
/** The ignoreChanges option of every registration, by name: the recorder does not keep it. */
const ignoredByName = new Map<string, string[]>();
const resourceOptionsOf = (name: string) => ({ ignoreChanges: ignoredByName.get(name) });

function tapIgnoreChanges(into: Map<string, string[]>): void {
  interface Request {
    getName(): string;
    getIgnorechangesList(): string[];
  }
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, callback: unknown): void };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    into.set(req.getName(), req.getIgnorechangesList());
    register(req, callback);
  };
}

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  tapIgnoreChanges(ignoredByName);
  for (const role of ["frontend", "history", "matching", "worker"] as RoleName[]) {
    roles[role] = new TemporalServiceRole(`t-${role}`, {
      role,
      names,
      namespace: "temporal",
      image: PRESETS.production.temporal.serverImage,
      replicas: { frontend: 2, history: 3, matching: 2, worker: 1 }[role as string] ?? 1,
      resources: PRESETS.production.roles.history.resources,
      configChecksum: "abc123",
      defaultStorePassword: password,
      visibilityStorePassword: password,
      highAvailability: role !== "worker",
      authorizationEnabled: false,
      ...(role === "frontend" ? { autoscaling: FRONTEND_SCALING } : {}),
      ...(role === "history" ? { archiveCredentials: GATEWAY_KEY } : {}),
    });
  }
  // The release a cluster upgrades to the pinned one from (PREVIOUS_SERVER_VERSION).
  new TemporalServiceRole("t-worker-1-30", {
    role: "worker",
    names: new ClusterNames("previous"),
    namespace: "temporal",
    image: "temporalio/server:1.30.9",
    replicas: 1,
    resources: PRESETS.dev.roles.worker.resources,
    configChecksum: "abc123",
    defaultStorePassword: password,
    visibilityStorePassword: password,
    highAvailability: false,
    authorizationEnabled: true,
  });
  await settle();
});

const deploymentOf = (role: RoleName, cluster = "temporal") =>
  ofType(records, K8S.deployment).find((record) => workloadOf(record).metadata.name === `${cluster}-${role}`)!;
const containerOf = (role: RoleName, cluster = "temporal") => podSpecOf(deploymentOf(role, cluster)).containers[0];

describe("TemporalServiceRole", () => {
  it("gives an archiving role the S3 gateway's key pair by Secret reference, and others nothing", () => {
    expect(envOf(containerOf("history"), "AWS_ACCESS_KEY_ID")).toEqual({ name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: GATEWAY_KEY.accessKeyId } });
    expect(envOf(containerOf("history"), "AWS_SECRET_ACCESS_KEY")).toEqual({ name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: GATEWAY_KEY.secretAccessKey } });
    expect(envOf(containerOf("matching"), "AWS_ACCESS_KEY_ID")).toBeUndefined();
  });

  it("tells the server no authorizer is intended when authorization is off, and nothing when it is on", () => {
    // go.temporal.io/server v1.31.2 cmd/server/main.go: without an authorizer and without
    // --allow-no-auth (TEMPORAL_ALLOW_NO_AUTH) it warns that future versions will refuse to start.
    expect(envOf(containerOf("history"), "TEMPORAL_ALLOW_NO_AUTH")).toEqual({ name: "TEMPORAL_ALLOW_NO_AUTH", value: "true" });
    expect(envOf(containerOf("worker", "previous"), "TEMPORAL_ALLOW_NO_AUTH")).toBeUndefined();
  });

  it("runs exactly its own role", () => {
    for (const role of ["frontend", "history", "matching", "worker"] as RoleName[]) {
      expect(envOf(containerOf(role), "TEMPORAL_SERVICES")?.value).toBe(role);
      expect(envOf(containerOf(role), "SERVICES")?.value).toBe(role);
    }
  });

  it("broadcasts the pod IP taken from the downward API", () => {
    expect(envOf(containerOf("history"), "POD_IP")?.valueFrom?.fieldRef?.fieldPath).toBe("status.podIP");
  });

  it("gets store passwords only through secret references", () => {
    for (const name of ["TEMPORAL_DEFAULT_STORE_PASSWORD", "TEMPORAL_VISIBILITY_STORE_PASSWORD"]) {
      const variable = envOf(containerOf("frontend"), name)!;
      expect(variable.value).toBeUndefined();
      expect(variable.valueFrom?.secretKeyRef).toEqual(password);
    }
  });

  it("exposes gRPC, membership and metrics ports, and HTTP on the frontend", () => {
    const ports = (role: RoleName) => Object.fromEntries(containerOf(role).ports!.map((port) => [port.name, port.containerPort]));
    expect(ports("frontend")).toEqual({ grpc: 7233, membership: 6933, http: 7243, metrics: 9090 });
    expect(ports("history")).toEqual({ grpc: 7234, membership: 6934, metrics: 9090 });
    expect(ports("matching")).toEqual({ grpc: 7235, membership: 6935, metrics: 9090 });
    expect(ports("worker")).toEqual({ grpc: 7239, membership: 6939, metrics: 9090 });
  });

  it("caps the Go heap under the container's memory limit (GOMEMLIMIT at 90% of it)", () => {
    for (const role of ["frontend", "history", "matching", "worker"] as RoleName[]) {
      const limit = containerOf(role).resources?.limits?.memory as string;
      const env = (containerOf(role).env ?? []) as { name: string; value?: string }[];
      expect(env.find((variable) => variable.name === "GOMEMLIMIT")?.value, role).toBe(`${Math.floor((Number.parseInt(limit) * (limit.endsWith("Gi") ? 1024 : 1)) * 0.9)}MiB`);
    }
  });

  it("checks readiness with the name each role registers with gRPC health (temporalio/temporal v1.31.2, service/*/handler.go and service/worker/service.go)", () => {
    // Not the roles' proto package names: the server answers SERVICE_UNKNOWN for those, and the real
    // run (test/real) showed history never becoming ready under the old names.
    expect(containerOf("frontend").readinessProbe).toMatchObject({ grpc: { port: 7233, service: "temporal.api.workflowservice.v1.WorkflowService" } });
    expect(containerOf("history").readinessProbe).toMatchObject({ grpc: { port: 7234, service: "temporal.api.workflowservice.v1.HistoryService" } });
    expect(containerOf("matching").readinessProbe).toMatchObject({ grpc: { port: 7235, service: "temporal.api.workflowservice.v1.MatchingService" } });
    expect(containerOf("worker").readinessProbe).toMatchObject({ grpc: { port: 7239, service: "temporal.api.workflowservice.v1.WorkerService" } });
    for (const role of ["frontend", "history", "matching", "worker"] as RoleName[]) {
      expect(containerOf(role).livenessProbe).toBeDefined();
      expect(containerOf(role).startupProbe).toBeDefined();
    }
  });

  it("checks the system worker of a release before 1.31 on its membership port, as it serves no gRPC yet", () => {
    // go.temporal.io/server v1.30.9 service/worker has no gRPC server (v1.31.2 adds ServerProvider in
    // service/worker/fx.go and the WorkerService health name in service.go): port 7239 never opens,
    // so a probe on it never passes. The real upgrade run showed the 1.30.9 worker never ready.
    const worker = containerOf("worker", "previous");
    const membership = { tcpSocket: { port: "membership" } };
    expect(worker.startupProbe).toMatchObject(membership);
    expect(worker.readinessProbe).toMatchObject(membership);
    expect(worker.readinessProbe).not.toHaveProperty("grpc");
    expect(worker.livenessProbe).toMatchObject(membership);
    expect(containerOf("worker").startupProbe).toMatchObject({ tcpSocket: { port: "grpc" } });
  });

  it("sets requests and a memory limit", () => {
    expect(containerOf("history").resources).toEqual({
      requests: PRESETS.production.roles.history.resources.requests,
      limits: { memory: PRESETS.production.roles.history.resources.limits.memory },
    });
  });

  it("mounts the shared server config and the dynamic config directory", () => {
    const spec = podSpecOf(deploymentOf("matching"));
    expect(spec.volumes?.flatMap((volume) => volume.configMap?.name ?? [])).toEqual(["temporal-server-config", "temporal-dynamic-config"]);
    expect(envOf(spec.containers[0], "TEMPORAL_SERVER_CONFIG_FILE_PATH")?.value).toBe("/etc/temporal/config/temporal.yaml");
  });

  it("rolls pods when the config checksum changes and surges before removing a pod", () => {
    const workload = workloadOf(deploymentOf("history"));
    expect(workload.spec.template.metadata?.annotations?.["temporal-kit/config-checksum"]).toBe("abc123");
    expect(workload.spec.strategy?.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(workload.spec.replicas).toBe(3);
  });

  it("creates a ClusterIP service and a headless service that lists every pod", () => {
    const services = ofType(records, K8S.service).map((record) => record.inputs as { metadata: { name: string }; spec: { clusterIP?: string; publishNotReadyAddresses?: boolean } });
    const headless = services.find((service) => service.metadata.name === "temporal-history-headless")!;
    expect(headless.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
    expect(services.find((service) => service.metadata.name === "temporal-history")!.spec.clusterIP).toBeUndefined();
  });

  it("budgets disruptions for every role that runs more than one pod, and none for a single pod", () => {
    const budgets = ofType(records, K8S.pdb).map((record) => (record.inputs as { metadata: { name: string } }).metadata.name);
    expect(budgets.sort()).toEqual(["temporal-frontend", "temporal-history", "temporal-matching"]);
  });

  it("spreads pods across zones and nodes only when highly available", () => {
    expect(podSpecOf(deploymentOf("history")).topologySpreadConstraints).toHaveLength(2);
    expect(podSpecOf(deploymentOf("worker")).topologySpreadConstraints).toBeUndefined();
  });

  it("scales the frontend on CPU with an autoscaling/v2 HorizontalPodAutoscaler between the configured bounds", () => {
    const autoscalers = ofType(records, HPA).map((record) => record.inputs as { metadata: { name: string }; spec: Record<string, unknown> });
    expect(autoscalers).toHaveLength(1);
    expect(autoscalers[0].metadata.name).toBe("temporal-frontend");
    expect(autoscalers[0].spec).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "temporal-frontend" },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    });
  });

  it("starts the autoscaled frontend at its configured count and leaves the count to the autoscaler on later deploys", () => {
    expect(workloadOf(deploymentOf("frontend")).spec.replicas).toBe(2);
    expect(resourceOptionsOf("t-frontend-deployment").ignoreChanges).toEqual(["spec.replicas"]);
    expect(resourceOptionsOf("t-history-deployment").ignoreChanges ?? []).toEqual([]);
  });

  it("publishes the in-cluster address of its gRPC endpoint", async () => {
    expect(await promiseOf(roles.frontend!.address)).toBe("temporal-frontend.temporal.svc.cluster.local:7233");
  });

  it("parents every child to the component", () => {
    const component = records.find((record) => record.name === "t-history")!;
    const children = records.filter((record) => record.parent === component.urn).map((record) => record.type);
    expect(children.sort()).toEqual([K8S.deployment, K8S.pdb, K8S.service, K8S.service].sort());
  });
});
