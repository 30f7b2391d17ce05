import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.archival.yaml";

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE).map(({ key, allowed }) => ({ key, allowed }));

const onEks = (extra: Record<string, unknown> = {}) => ({
  environment: "staging",
  platform: "aws-eks",
  persistence: { hosting: "rds" },
  aws: { eks: { publicAccessCidrs: ["198.51.100.0/24"] } },
  ...extra,
});
const onAks = {
  environment: "staging",
  platform: "azure-aks",
  persistence: { hosting: "azure-mysql" },
};

describe("archival config", () => {
  it.each(["dev", "staging", "production"])("is off in %s unless the stack file turns it on", (environment) => {
    const config = parseStackConfig({ environment }, SOURCE);
    expect(config.archival).toEqual({ enabled: false, history: true, visibility: true, lifecycle: {} });
  });

  it("archives both kinds on EKS with nothing but enabled: true", () => {
    const config = parseStackConfig(onEks({ archival: { enabled: true } }), SOURCE);
    expect(config.archival).toMatchObject({ enabled: true, history: true, visibility: true });
  });

  it("is accepted on Azure, where it goes to Blob Storage through the S3 gateway", () => {
    const config = parseStackConfig({ ...onAks, archival: { enabled: true, lifecycle: { expireAfterDays: 400 } } }, SOURCE);
    expect(config.archival).toEqual({ enabled: true, history: true, visibility: true, lifecycle: { expireAfterDays: 400 } });
  });

  it("refuses on Azure the S3-only settings, saying what stands in for them", () => {
    const problems = problemsOf({
      ...onAks,
      archival: { enabled: true, existingBucket: "my-archive", lifecycle: { infrequentAccessAfterDays: 30, glacierInstantRetrievalAfterDays: 90 } },
    });
    expect(problems).toEqual([
      {
        key: "archival.existingBucket",
        allowed:
          "must be left out with platform azure-aks: the kit creates the storage account and its container, and grants the gateway's identity access to that container alone",
      },
      {
        key: "archival.lifecycle.infrequentAccessAfterDays",
        allowed: "must be left out with platform azure-aks: S3 storage classes do not exist in Blob Storage; the account already stores archives in the cool tier",
      },
      {
        key: "archival.lifecycle.glacierInstantRetrievalAfterDays",
        allowed: "must be left out with platform azure-aks: S3 storage classes do not exist in Blob Storage; the account already stores archives in the cool tier",
      },
    ]);
  });

  it("is refused on plain Kubernetes, which has no IAM role to give the server", () => {
    expect(problemsOf({ environment: "dev", archival: { enabled: true } })).toEqual([
      {
        key: "archival.enabled",
        allowed:
          "must be false with platform kubernetes: the kit archives to cloud storage through an identity it creates for the server (an IAM role, or an AKS workload identity), which needs platform aws-eks, aws-ecs or azure-aks",
      },
    ]);
  });

  it("must archive something when enabled", () => {
    expect(problemsOf(onEks({ archival: { enabled: true, history: false, visibility: false } }))).toEqual([
      { key: "archival", allowed: "must archive history, visibility or both when enabled (or set enabled: false)" },
    ]);
  });

  it("names S3's naming rules for a bad existing bucket", () => {
    expect(problemsOf(onEks({ archival: { enabled: true, existingBucket: "My.Bucket" } }))).toEqual([
      { key: "archival.existingBucket", allowed: "must be an S3 bucket name: 3-63 lower-case letters, digits and '-'" },
    ]);
  });

  it("keeps archives in Standard for S3's minimum 30 days before Standard-IA", () => {
    expect(problemsOf(onEks({ archival: { enabled: true, lifecycle: { infrequentAccessAfterDays: 7 } } }))).toEqual([
      { key: "archival.lifecycle.infrequentAccessAfterDays", allowed: "must be at least 30: S3 moves objects to Standard-IA no sooner" },
    ]);
  });

  it("keeps archives in Standard-IA 30 days before Glacier Instant Retrieval", () => {
    expect(problemsOf(onEks({ archival: { enabled: true, lifecycle: { infrequentAccessAfterDays: 30, glacierInstantRetrievalAfterDays: 45 } } }))).toEqual([
      {
        key: "archival.lifecycle.glacierInstantRetrievalAfterDays",
        allowed: "must be at least 30 days after infrequentAccessAfterDays (30): S3 keeps objects in Standard-IA that long",
      },
    ]);
  });

  it("expires archives only after their last transition", () => {
    expect(problemsOf(onEks({ archival: { enabled: true, lifecycle: { glacierInstantRetrievalAfterDays: 90, expireAfterDays: 90 } } }))).toEqual([
      { key: "archival.lifecycle.expireAfterDays", allowed: "must be later than the last transition (day 90)" },
    ]);
  });

  it("refuses a namespace that enables a kind of archival the cluster does not archive", () => {
    const problems = problemsOf(
      onEks({
        archival: { enabled: true, visibility: false },
        namespaces: [{ name: "orders", retention: "7d", archival: { history: "enabled", visibility: "enabled" } }],
      }),
    );
    expect(problems).toEqual([
      { key: "namespaces[0].archival.visibility", allowed: "must be disabled unless the cluster archives visibility: set archival.enabled and archival.visibility to true" },
    ]);
  });

  it("refuses a namespace archival with cluster archival off", () => {
    expect(problemsOf({ environment: "dev", namespaces: [{ name: "orders", retention: "7d", archival: { history: "enabled" } }] })).toEqual([
      { key: "namespaces[0].archival.history", allowed: "must be disabled unless the cluster archives history: set archival.enabled and archival.history to true" },
    ]);
  });

  it("lets a namespace opt out of what the cluster archives", () => {
    const config = parseStackConfig(onEks({ archival: { enabled: true }, namespaces: [{ name: "noisy", retention: "3d", archival: { history: "disabled" } }] }), SOURCE);
    expect(config.namespaces[0].archival).toEqual({ history: "disabled" });
  });

  it("names the allowed states for a namespace", () => {
    expect(problemsOf(onEks({ archival: { enabled: true }, namespaces: [{ name: "orders", retention: "7d", archival: { history: "on" } }] }))).toEqual([
      { key: "namespaces[0].archival.history", allowed: "must be enabled or disabled" },
    ]);
  });
});
