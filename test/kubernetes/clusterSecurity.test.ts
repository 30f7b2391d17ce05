import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { TemporalCluster } from "../../components/temporalCluster";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { renderAsServer } from "../helpers/serverTemplate";
import { K8S, envOf, ofType, podSpecOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

const JWKS = "https://idp.example.com/.well-known/jwks.json";
const IDP_CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
let records: ResourceRecord[];

/** A staging cluster on plain Kubernetes, with JWT authorization (which needs the internal frontend). */
beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  const config = parseStackConfig(
    {
      environment: "staging",
      roles: { internalFrontend: { enabled: true } },
      security: { authorization: { enabled: true, jwksUris: [JWKS], permissionsClaimName: "temporal-permissions", jwksCaCertificates: IDP_CA } },
      workers: [
        {
          name: "orders",
          image: "registry.example.com/orders:1.0.0",
          replicas: 2,
          taskQueue: "orders",
          namespace: "default",
          env: {},
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
          probe: { httpGet: { path: "/healthz", port: 8080 } },
          apiKeySecret: { name: "orders-temporal-token", key: "token" },
        },
      ],
    },
    "stacks/Pulumi.test.yaml",
  );
  new TemporalCluster("temporal", { config });
  await settle();
});

const serverConfig = () => {
  const map = ofType(records, K8S.configMap).find((record) => (record.inputs.metadata as { name: string }).name === "temporal-server-config")!;
  const text = (map.inputs.data as Record<string, string>)["temporal.yaml"];
  return renderAsServer(text, { TEMPORAL_SERVICES: "frontend" }) as Record<string, any>;
};
const deployment = (name: string) => ofType(records, K8S.deployment).find((record) => workloadOf(record).metadata.name === name)!;

describe("TemporalCluster with authorization", () => {
  it("renders the JWT authorizer with the stack's JWKS URL and claim name", () => {
    expect(serverConfig().global.authorization).toEqual({
      jwtKeyProvider: { keySourceURIs: [JWKS], refreshInterval: "1m" },
      permissionsClaimName: "temporal-permissions",
      authorizer: "default",
      claimMapper: "default",
    });
  });

  it("routes the system worker through the internal frontend instead of the public one", () => {
    const config = serverConfig();
    expect(config.publicClient).toBeUndefined();
    expect(Object.keys(config.services)).toContain("internal-frontend");
  });

  it("sends the namespace jobs to the internal frontend with the internode certificate", () => {
    const container = podSpecOf(ofType(records, K8S.job).find((record) => workloadOf(record).metadata.name.startsWith("temporal-ns-"))!).containers[0];
    expect(envOf(container, "TEMPORAL_ADDRESS")?.value).toBe("temporal-internal-frontend.temporal.svc.cluster.local:7236");
    expect(envOf(container, "TEMPORAL_TLS_CLIENT_CERT_PATH")?.value).toBe("/etc/temporal/tls/internode/tls.crt");
    expect(envOf(container, "TEMPORAL_TLS_SERVER_NAME")?.value).toBe("temporal-internode");
  });

  it("keeps user workers on the public frontend with the client certificate, where their JWTs are checked", () => {
    const container = podSpecOf(deployment("temporal-worker-orders")).containers[0];
    expect(envOf(container, "TEMPORAL_ADDRESS")?.value).toBe("temporal-frontend.temporal.svc.cluster.local:7233");
    expect(envOf(container, "TEMPORAL_TLS_CLIENT_CERT_PATH")?.value).toBe("/etc/temporal/tls/client/tls.crt");
  });

  it("gives the worker pool its token from the Secret as TEMPORAL_API_KEY, which the SDK sends as a bearer token", () => {
    // Without it the pool holds only the client certificate, which the default claim mapper ignores:
    // every poll is PermissionDenied (seen in the production-shaped real run).
    const container = podSpecOf(deployment("temporal-worker-orders")).containers[0];
    expect(envOf(container, "TEMPORAL_API_KEY")).toEqual({ name: "TEMPORAL_API_KEY", valueFrom: { secretKeyRef: { name: "orders-temporal-token", key: "token" } } });
  });

  it("lets the public frontend, and it alone, trust the identity provider's CA for the JWKS fetch", () => {
    const map = ofType(records, K8S.configMap).find((record) => (record.inputs.metadata as { name: string }).name === "temporal-jwks-ca")!;
    expect(map.inputs.data).toEqual({ "ca.crt": IDP_CA });
    const frontend = podSpecOf(deployment("temporal-frontend"));
    expect(envOf(frontend.containers[0], "SSL_CERT_DIR")?.value).toBe("/etc/ssl/certs:/etc/temporal/jwks-ca");
    expect(frontend.containers[0].volumeMounts).toContainEqual({ name: "jwks-ca", mountPath: "/etc/temporal/jwks-ca", readOnly: true });
    expect(frontend.volumes).toContainEqual({ name: "jwks-ca", configMap: { name: "temporal-jwks-ca" } });
    expect(deployment("temporal-frontend").dependsOn).toContain(map.urn);
    for (const role of ["history", "matching", "worker", "internal-frontend"]) {
      expect(envOf(podSpecOf(deployment(`temporal-${role}`)).containers[0], "SSL_CERT_DIR"), role).toBeUndefined();
    }
  });

  it("rolls the public frontend when the identity provider's CA changes: Go reads the system roots once per process", () => {
    const annotations = (name: string) => (workloadOf(deployment(name)).spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations;
    const expected = createHash("sha256").update(IDP_CA).digest("hex").slice(0, 16);
    expect(annotations("temporal-frontend")["temporal-kit/jwks-ca-checksum"]).toBe(expected);
    expect(annotations("temporal-history")["temporal-kit/jwks-ca-checksum"]).toBeUndefined();
  });

  it("mounts the certificates into the internal frontend too, which serves with the internode one", () => {
    const volumes = (podSpecOf(deployment("temporal-internal-frontend")).volumes ?? []) as { secret?: { secretName: string } }[];
    expect(volumes.map((volume) => volume.secret?.secretName).filter(Boolean)).toContain("temporal-tls-internode");
  });

  it("starts no role before its certificates exist", () => {
    const secrets = ofType(records, K8S.secret).filter((record) => (record.inputs.metadata as { name: string }).name.startsWith("temporal-tls-"));
    expect(secrets).toHaveLength(3);
    for (const secret of secrets) expect(deployment("temporal-history").dependsOn).toContain(secret.urn);
  });

  it("lets the namespace jobs through the NetworkPolicies to the internal frontend's gRPC port only", () => {
    const policy = ofType(records, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (record) => (record.inputs.metadata as { name: string }).name === "temporal-internal-frontend-jobs",
    )!;
    expect(policy.inputs.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "temporal", "app.kubernetes.io/component": "internal-frontend" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "temporal", "app.kubernetes.io/component": "namespace-registration" } } }],
          ports: [{ protocol: "TCP", port: 7236 }],
        },
      ],
    });
  });

  it("points the web console at the frontend over mutual TLS", () => {
    const container = podSpecOf(deployment("temporal-web")).containers[0];
    expect(envOf(container, "TEMPORAL_TLS_CERT")?.value).toBe("/etc/temporal/tls/client/tls.crt");
    expect(envOf(container, "TEMPORAL_TLS_SERVER_NAME")?.value).toBe("temporal-frontend.temporal.svc.cluster.local");
  });
});
