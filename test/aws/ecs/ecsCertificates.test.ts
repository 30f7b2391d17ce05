import { beforeAll, describe, expect, it } from "vitest";
import { EcsCertificates } from "../../../components/aws/ecs/ecsCertificates";
import type { CertificateSecretRefs } from "../../../components/aws/ecs/taskTls";
import type { TlsConfig } from "../../../components/config/securitySchema";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { ofType, promiseOf, settle, startMockRuntime } from "../../helpers/mockRuntime";

const TLS: TlsConfig = { certificates: "generated", certificateValidityDays: 365, renewBeforeDays: 30, caValidityDays: 3650, rotation: 2, caRotation: 1 };
const NLB = "temporal-frontend-nlb-0123456789.elb.us-east-1.amazonaws.com";
const ARGS = {
  clusterName: "temporal",
  tls: TLS,
  internodeServerName: "temporal-internode",
  frontendServerName: "frontend.temporal.temporal.internal",
  frontendLoadBalancerDnsName: NLB,
  production: true,
  tags: { "temporal-kit:environment": "test" },
};

let records: ResourceRecord[];
let secrets: CertificateSecretRefs;
let secretArns: string[];

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  const certificates = new EcsCertificates("tls", ARGS);
  secrets = await promiseOf(certificates.secrets);
  secretArns = await Promise.all(certificates.secretArns.map(promiseOf));
  await settle();
});

const csrFor = (leaf: string) => ofType(records, "tls:index/certRequest:CertRequest").find((record) => record.name === `tls-${leaf}-csr-2`)!.inputs;

describe("EcsCertificates", () => {
  it("issues the internode certificate for the one name every role verifies, whichever task IP it dials", () => {
    expect(csrFor("internode")).toMatchObject({ dnsNames: ["temporal-internode"], subject: { commonName: "temporal-internode" } });
  });

  it("issues the frontend certificate for its Cloud Map name and its load balancer's DNS name", () => {
    expect(csrFor("frontend")).toMatchObject({ dnsNames: ["frontend.temporal.temporal.internal", NLB], subject: { commonName: "frontend.temporal.temporal.internal" } });
  });

  it("makes two CAs and three leaves named by the rotation counters", () => {
    expect(ofType(records, "tls:index/selfSignedCert:SelfSignedCert").map((record) => record.name).sort()).toEqual(["tls-frontend-ca-1", "tls-internode-ca-1"]);
    expect(ofType(records, "tls:index/locallySignedCert:LocallySignedCert").map((record) => record.name).sort()).toEqual(["tls-client-cert-2", "tls-frontend-cert-2", "tls-internode-cert-2"]);
  });

  it("stores each certificate in its own Secrets Manager secret whose value is a Pulumi secret", () => {
    const stored = ofType(records, "aws:secretsmanager/secret:Secret");
    expect(stored.map((record) => record.name).sort()).toEqual(["tls-client", "tls-frontend", "tls-internode"]);
    for (const record of stored) expect(record.inputs).toMatchObject({ recoveryWindowInDays: 7 });
    const versions = ofType(records, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions).toHaveLength(3);
    for (const version of versions) expect(version.inputs.secretString).toBe("[secret]");
    expect(JSON.stringify(records)).not.toContain("PRIVATE KEY");
  });

  it("hands out each secret's ARN with the version holding the current certificate", () => {
    expect(Object.keys(secrets).sort()).toEqual(["client", "frontend", "internode"]);
    for (const [certificate, secret] of Object.entries(secrets)) {
      expect(secret.arn).toBe(`arn:aws:secretsmanager:us-east-1:123456789012:tls-${certificate}`);
      expect(secret.versionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(secretArns.sort()).toEqual(Object.values(secrets).map((secret) => secret.arn).sort());
  });

  it("refuses any source but generated certificates", () => {
    expect(() => new EcsCertificates("cm", { ...ARGS, tls: { ...TLS, certificates: "cert-manager" } })).toThrow(
      "EcsCertificates makes generated certificates only, not cert-manager (checked by the stack config).",
    );
  });
});
