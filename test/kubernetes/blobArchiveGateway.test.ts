import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BlobArchiveGateway,
  BlobArchiveGatewayArgs,
  S3PROXY_IMAGE,
  S3PROXY_USER,
  S3_PORT,
  WORKLOAD_IDENTITY_CLIENT_ID,
  WORKLOAD_IDENTITY_USE,
} from "../../components/kubernetes/blobArchiveGateway";
import { ClusterNames } from "../../components/kubernetes/names";
import { type ResourceRecord } from "../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../tools/synth/secretPlaceholder";
import { caseQueries } from "../helpers/caseQueries";
import { K8S, envOf, podSpecOf, promiseOf, settle, startMockRuntime, workloadOf } from "../helpers/mockRuntime";

const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const ACCOUNT = "kubernetes:core/v1:ServiceAccount";
const CLIENT_ID = "5d3c2b1a-0000-4000-8000-00000000abcd";

const base: BlobArchiveGatewayArgs = {
  names: new ClusterNames("prd"),
  namespace: "temporal",
  blobEndpoint: "https://temporalarchive.blob.core.windows.net/",
  identityClientId: CLIENT_ID,
  clients: ["frontend", "history", "worker"],
  highAvailability: true,
  networkPolicies: true,
};
const cases = {
  /** Two replicas with a disruption budget, fenced by NetworkPolicies. */
  prd: base,
  /** One replica, no budget, no policies (the stack turned them off). */
  dev: { ...base, names: new ClusterNames("dev"), highAvailability: false, networkPolicies: false },
} satisfies Record<string, BlobArchiveGatewayArgs>;
type Case = keyof typeof cases;

let records: ResourceRecord[];
const gateways = {} as Record<Case, BlobArchiveGateway>;

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  for (const name of Object.keys(cases) as Case[]) gateways[name] = new BlobArchiveGateway(name, cases[name]);
  await settle();
});

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:kubernetes:BlobArchiveGateway");
const pod = (name: Case) => podSpecOf(only(name, K8S.deployment));
const container = (name: Case) => pod(name).containers[0];
const policy = (name: Case, suffix: string) => of(name, POLICY).find((record) => record.name === `${name}-${suffix}`)!.inputs as Record<string, any>;

describe("BlobArchiveGateway argument checks", () => {
  it("refuses a gateway no role may call", () => {
    expect(() => new BlobArchiveGateway("nobody", { ...base, clients: [] })).toThrow("BlobArchiveGateway needs at least one client role: nothing else may call it");
  });
});

describe("BlobArchiveGateway", () => {
  it("parents every child to the component", () => {
    const component = componentOf("prd");
    expect(of("prd", K8S.deployment).concat(of("prd", K8S.secret), of("prd", ACCOUNT), of("prd", POLICY)).every((record) => record.parent === component.urn)).toBe(true);
  });

  it("keeps the generated S3 key pair a secret, reaching the gateway only by reference", () => {
    expect((only("prd", K8S.secret).inputs as Record<string, any>).stringData).toEqual({ "access-key-id": SECRET_PLACEHOLDER, "secret-access-key": SECRET_PLACEHOLDER });
    expect(envOf(container("prd"), "S3PROXY_IDENTITY")).toEqual({ name: "S3PROXY_IDENTITY", valueFrom: { secretKeyRef: { name: "prd-archive-gateway-s3-key", key: "access-key-id" } } });
    expect(envOf(container("prd"), "S3PROXY_CREDENTIAL")).toEqual({ name: "S3PROXY_CREDENTIAL", valueFrom: { secretKeyRef: { name: "prd-archive-gateway-s3-key", key: "secret-access-key" } } });
    expect(envOf(container("prd"), "S3PROXY_AUTHORIZATION")?.value).toBe("aws-v2-or-v4");
  });

  it("hands its clients the same two Secret keys", async () => {
    const { accessKeyId, secretAccessKey } = gateways.prd.credentials;
    expect([await promiseOf(pulumi.output(accessKeyId.name)), accessKeyId.key]).toEqual(["prd-archive-gateway-s3-key", "access-key-id"]);
    expect([await promiseOf(pulumi.output(secretAccessKey.name)), secretAccessKey.key]).toEqual(["prd-archive-gateway-s3-key", "secret-access-key"]);
  });

  it("signs in to Blob Storage as its workload identity, with no storage key anywhere", () => {
    const account = only("prd", ACCOUNT).inputs as Record<string, any>;
    expect(account.metadata.annotations).toEqual({ [WORKLOAD_IDENTITY_CLIENT_ID]: CLIENT_ID });
    expect(account.metadata.name).toBe("prd-archive-gateway");
    expect(pod("prd")).toMatchObject({ serviceAccountName: "prd-archive-gateway" });
    expect(workloadOf(only("prd", K8S.deployment)).spec.template.metadata).toMatchObject({ labels: { [WORKLOAD_IDENTITY_USE]: "true" } });
    expect(envOf(container("prd"), "JCLOUDS_PROVIDER")?.value).toBe("azureblob-sdk");
    // Empty, not absent: the image's placeholders would otherwise be taken for an account key.
    expect(envOf(container("prd"), "JCLOUDS_IDENTITY")).toEqual({ name: "JCLOUDS_IDENTITY", value: "" });
    expect(envOf(container("prd"), "JCLOUDS_CREDENTIAL")).toEqual({ name: "JCLOUDS_CREDENTIAL", value: "" });
    expect(envOf(container("prd"), "JCLOUDS_ENDPOINT")?.value).toBe("https://temporalarchive.blob.core.windows.net");
  });

  it("sets every variable from a literal or a Secret reference, never a secret value", () => {
    const env = container("prd").env ?? [];
    const fromSecrets = env.filter((variable) => variable.valueFrom?.secretKeyRef).map((variable) => variable.name);
    expect(fromSecrets.sort()).toEqual(["S3PROXY_CREDENTIAL", "S3PROXY_IDENTITY"]);
    expect(JSON.stringify(env)).not.toContain(SECRET_PLACEHOLDER);
  });

  it("runs the pinned s3proxy as a non-root user on a read-only root, writing only to /tmp", () => {
    expect(container("prd").image).toBe(S3PROXY_IMAGE);
    expect(S3PROXY_IMAGE).toMatch(/^andrewgaul\/s3proxy:\d+\.\d+\.\d+$/);
    expect(pod("prd")).toMatchObject({
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: S3PROXY_USER.uid, runAsGroup: S3PROXY_USER.gid, seccompProfile: { type: "RuntimeDefault" } },
    });
    expect(S3PROXY_USER.uid).toBeGreaterThan(0);
    expect(container("prd").securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
    expect(container("prd").volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(envOf(container("prd"), "JCLOUDS_FILESYSTEM_BASEDIR")?.value).toMatch(/^\/tmp\//);
  });

  it("listens on an unprivileged port, which it can bind without capabilities", () => {
    expect(envOf(container("prd"), "S3PROXY_ENDPOINT")?.value).toBe(`http://0.0.0.0:${S3_PORT}`);
    expect(S3_PORT).toBeGreaterThanOrEqual(1024);
    expect(container("prd").ports).toEqual([{ name: "s3", containerPort: S3_PORT, protocol: "TCP" }]);
  });

  it("has probes and bounded memory", () => {
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"] as const) expect(container("prd")[probe]).toMatchObject({ tcpSocket: { port: "s3" } });
    expect(container("prd").resources).toEqual({ requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "512Mi" } });
  });

  it("is reached through a ClusterIP Service at its in-cluster address", async () => {
    expect((only("prd", K8S.service).inputs as Record<string, any>).spec).toMatchObject({ type: "ClusterIP", ports: [{ port: S3_PORT, targetPort: "s3" }] });
    expect(await promiseOf(gateways.prd.endpoint)).toBe("http://prd-archive-gateway.temporal.svc.cluster.local:8080");
  });

  it("runs two spread replicas with a disruption budget outside dev, one without in dev", () => {
    expect(workloadOf(only("prd", K8S.deployment)).spec.replicas).toBe(2);
    expect(pod("prd").topologySpreadConstraints).toHaveLength(2);
    expect(of("prd", K8S.pdb)).toHaveLength(1);
    expect(workloadOf(only("dev", K8S.deployment)).spec.replicas).toBe(1);
    expect(pod("dev").topologySpreadConstraints).toBeUndefined();
    expect(of("dev", K8S.pdb)).toHaveLength(0);
  });
});

describe("BlobArchiveGateway NetworkPolicies", () => {
  const gatewayPods = { matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "prd", "app.kubernetes.io/component": "archive-gateway" } };
  const archivingRoles = {
    matchLabels: { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "prd" },
    matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["frontend", "history", "worker"] }],
  };

  it("admits only the archiving roles, on the S3 port", () => {
    expect(policy("prd", "ingress").spec).toEqual({
      podSelector: gatewayPods,
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: archivingRoles }], ports: [{ protocol: "TCP", port: S3_PORT }] }],
    });
  });

  it("lets the gateway out only to cluster DNS and HTTPS", () => {
    const { spec } = policy("prd", "egress");
    expect(spec.podSelector).toEqual(gatewayPods);
    expect(spec.policyTypes).toEqual(["Egress"]);
    expect(spec.egress.flatMap((rule: { ports: { port: number }[] }) => rule.ports.map((port) => port.port)).sort()).toEqual([443, 53, 53]);
    expect(spec.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }]);
  });

  it("lets the archiving roles, and no other pods, out to the gateway's S3 port", () => {
    expect(policy("prd", "clients").spec).toEqual({
      podSelector: archivingRoles,
      policyTypes: ["Egress"],
      egress: [{ to: [{ podSelector: gatewayPods }], ports: [{ protocol: "TCP", port: S3_PORT }] }],
    });
  });

  it("makes none when the stack turns NetworkPolicies off", () => {
    expect(of("dev", POLICY)).toHaveLength(0);
    expect(of("prd", POLICY)).toHaveLength(3);
  });
});
