import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import { ClusterNames } from "../../components/kubernetes/names";
import { WebConsole } from "../../components/kubernetes/webConsole";
import * as pulumi from "@pulumi/pulumi";
import { type ResourceRecord } from "../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../tools/synth/secretPlaceholder";
import { K8S, envOf, ofType, onlyOfType, podSpecOf, promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

let records: ResourceRecord[];
let console_: WebConsole;
let exposed: WebConsole;
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const CLIENT_SECRET = "oidc-client-secret-value";

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  console_ = new WebConsole("web", {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    config: { ...PRESETS.staging.webConsole, corsOrigins: ["https://temporal.example.com"] },
    frontendAddress: "temporal-frontend.temporal.svc.cluster.local:7233",
    highAvailability: true,
  });
  new WebConsole("solo", {
    names: new ClusterNames("solo"),
    namespace: "temporal",
    config: { ...PRESETS.dev.webConsole, replicas: 1 },
    frontendAddress: "solo-frontend.temporal.svc.cluster.local:7233",
    highAvailability: false,
  });
  exposed = new WebConsole("exposed", {
    names: new ClusterNames("exposed"),
    namespace: "temporal",
    config: {
      ...PRESETS.production.webConsole,
      auth: {
        enabled: true,
        providerUrl: "https://login.example.com/realms/ops",
        clientId: "temporal-ui",
        callbackUrl: "https://temporal.example.com/auth/sso/callback",
        scopes: ["openid", "profile", "email"],
      },
      ingress: { enabled: true, host: "temporal.example.com", className: "nginx", tlsSecretName: "temporal-web-tls", clusterIssuer: "letsencrypt", annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "1m" } },
    },
    frontendAddress: "exposed-frontend.temporal.svc.cluster.local:7233",
    highAvailability: true,
    clientSecret: pulumi.secret(CLIENT_SECRET),
  });
  await settle();
});

describe("WebConsole", () => {
  const container = () => podSpecOf(onlyOfType(records, K8S.deployment, "web-")).containers[0];
  const exposedPod = () => podSpecOf(onlyOfType(records, K8S.deployment, "exposed-"));
  const exposedEnv = (name: string) => envOf(exposedPod().containers[0], name);

  it("stops within seconds: ui-server ignores SIGTERM, so the pod would otherwise wait out Kubernetes' default 30 s", () => {
    expect(podSpecOf(onlyOfType(records, K8S.deployment, "web-")).terminationGracePeriodSeconds).toBe(5);
  });

  it("points the UI at the frontend", () => {
    expect(envOf(container(), "TEMPORAL_ADDRESS")?.value).toBe("temporal-frontend.temporal.svc.cluster.local:7233");
    expect(envOf(container(), "TEMPORAL_CORS_ORIGINS")?.value).toBe("https://temporal.example.com");
  });

  it("runs the pinned UI image with health probes and resources", () => {
    expect(container().image).toBe(PRESETS.staging.webConsole.image);
    expect(container().readinessProbe).toMatchObject({ httpGet: { path: "/healthz" } });
    expect(container().livenessProbe).toBeDefined();
    expect(container().resources?.requests).toBeDefined();
  });

  it("is reachable through a ClusterIP service and says how to open it", async () => {
    expect((onlyOfType(records, K8S.service, "web-").inputs as { spec: { ports: { port: number }[] } }).spec.ports[0].port).toBe(8080);
    expect(await promiseOf(console_.accessCommand)).toBe("kubectl port-forward -n temporal svc/temporal-web 8080:8080");
    expect(await promiseOf(console_.url)).toBe("http://localhost:8080");
  });

  it("keeps one replica up during drains when it runs more than one, and budgets nothing for a single pod", () => {
    expect(ofType(records, K8S.pdb).map((record) => (record.inputs as { metadata: { name: string } }).metadata.name).sort()).toEqual(["exposed-web", "temporal-web"]);
  });

  it("does not sign people in nor publish an Ingress unless configured", () => {
    expect(envOf(container(), "TEMPORAL_AUTH_ENABLED")).toBeUndefined();
    expect(ofType(records, INGRESS).filter((record) => record.name.startsWith("web-"))).toHaveLength(0);
  });

  it("signs people in through the OIDC provider with the UI server's TEMPORAL_AUTH_* settings", () => {
    expect(Object.fromEntries(["ENABLED", "TYPE", "PROVIDER_URL", "ISSUER_URL", "CLIENT_ID", "CALLBACK_URL", "SCOPES"].map((key) => [key, exposedEnv(`TEMPORAL_AUTH_${key}`)?.value]))).toEqual({
      ENABLED: "true",
      TYPE: "oidc",
      PROVIDER_URL: "https://login.example.com/realms/ops",
      ISSUER_URL: "https://login.example.com/realms/ops",
      CLIENT_ID: "temporal-ui",
      CALLBACK_URL: "https://temporal.example.com/auth/sso/callback",
      SCOPES: "openid,profile,email",
    });
  });

  it("hands the client secret over only through a Kubernetes Secret recorded as a secret", () => {
    expect(exposedEnv("TEMPORAL_AUTH_CLIENT_SECRET")).toEqual({
      name: "TEMPORAL_AUTH_CLIENT_SECRET",
      valueFrom: { secretKeyRef: { name: "exposed-web-oidc", key: "client-secret" } },
    });
    const secret = onlyOfType(records, K8S.secret, "exposed-oidc").inputs as { stringData: Record<string, string> };
    expect(secret.stringData).toEqual({ "client-secret": SECRET_PLACEHOLDER });
    expect(JSON.stringify(records.map((record) => record.inputs))).not.toContain(CLIENT_SECRET);
  });

  it("publishes the console through an Ingress with TLS from cert-manager, and gives its https URL", async () => {
    const ingress = onlyOfType(records, INGRESS, "exposed-").inputs as {
      metadata: { annotations: Record<string, string> };
      spec: { ingressClassName: string; tls: unknown[]; rules: { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] };
    };
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.tls).toEqual([{ hosts: ["temporal.example.com"], secretName: "temporal-web-tls" }]);
    expect(ingress.spec.rules[0].host).toBe("temporal.example.com");
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: "exposed-web", port: { name: "http" } });
    expect(ingress.metadata.annotations).toEqual({ "nginx.ingress.kubernetes.io/proxy-body-size": "1m", "cert-manager.io/cluster-issuer": "letsencrypt" });
    expect(await promiseOf(exposed.url)).toBe("https://temporal.example.com");
  });

  it("runs as the UI image's user (1000, temporalio/ui-server v2.52.0 Dockerfile) on a read-only root, with only /tmp writable", () => {
    const pod = exposedPod() as unknown as { securityContext: Record<string, unknown>; automountServiceAccountToken: boolean; volumes: { name: string; emptyDir?: object }[] };
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect((exposedPod().containers[0] as { securityContext?: unknown }).securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // Nothing over /home/ui-server/config: the image ships config/docker.yaml there, the template the
    // server renders in memory; the real run showed ui-server exiting when an emptyDir hid it.
    expect(exposedPod().containers[0].volumeMounts?.map((mount) => mount.mountPath)).toEqual(["/tmp"]);
    expect(pod.volumes.every((volume) => volume.emptyDir !== undefined)).toBe(true);
  });

  it("refuses sign-in without a client secret", () => {
    const config = { ...PRESETS.dev.webConsole, auth: { ...PRESETS.dev.webConsole.auth, enabled: true, providerUrl: "https://id.example.com", clientId: "ui", callbackUrl: "https://t.example.com/auth/sso/callback" } };
    expect(() => new WebConsole("nosecret", { names: new ClusterNames("nosecret"), namespace: "temporal", config, frontendAddress: "f:7233", highAvailability: false })).toThrow(
      "WebConsole nosecret: auth is enabled, so clientSecret is required",
    );
  });
});
