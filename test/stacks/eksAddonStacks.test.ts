import { describe, expect, inject, it } from "vitest";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { readSynthOutput, type KubernetesObject, type SynthOutput } from "../helpers/synthRuns";

/**
 * What the mocks cannot see: a cluster that accepts NetworkPolicies but enforces none, volume claims
 * that stay Pending, HPAs that never act. Every synthesized stack that creates its EKS cluster is
 * checked here for the add-on each of its Kubernetes objects relies on, and for that object coming
 * after it. Which stack needs what is read off kubernetes.yaml, not off the kit's own reasoning.
 */

const runs = inject("synthRuns").filter((run) => run.status === 0);
const outputs = new Map<string, SynthOutput>(runs.map((run) => [run.label, readSynthOutput(run)]));
const kitMadeEks = [...outputs].filter(([, output]) => output.resources.some((record) => record.type === "aws:eks/cluster:Cluster")).map(([label]) => label);
const existingEks = [...outputs]
  .filter(([label, output]) => !kitMadeEks.includes(label) && output.resources.some((record) => record.type === "temporal-kit:aws:EksCluster"))
  .map(([label]) => label);

const TYPES = {
  addon: "aws:eks/addon:Addon",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  claim: "kubernetes:core/v1:PersistentVolumeClaim",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
} as const;

/** What a stack's Kubernetes objects, as kubernetes.yaml has them, rely on the cluster for. */
function needsOf(objects: KubernetesObject[]) {
  const spec = (object: KubernetesObject) => object.spec as { volumeClaimTemplates?: unknown[] } | undefined;
  return {
    networkPolicies: objects.some((object) => object.kind === "NetworkPolicy"),
    volumes: objects.some((object) => object.kind === "PersistentVolumeClaim" || (object.kind === "StatefulSet" && (spec(object)?.volumeClaimTemplates?.length ?? 0) > 0)),
    autoscalers: objects.some((object) => object.kind === "HorizontalPodAutoscaler"),
  };
}

/** Everything a resource waits for, directly or not: its dependencies and its provider, and theirs. */
function waitsFor(resources: ResourceRecord[], record: ResourceRecord): Set<string> {
  const byUrn = new Map(resources.map((candidate) => [candidate.urn, candidate]));
  const providerUrn = (provider: string | null) => (provider ? resources.find((candidate) => provider.startsWith(`${candidate.urn}::`))?.urn : undefined);
  const seen = new Set<string>();
  const queue = [record];
  while (queue.length) {
    const current = queue.pop()!;
    for (const urn of [...current.dependsOn, providerUrn(current.provider)]) {
      if (!urn || seen.has(urn)) continue;
      seen.add(urn);
      const next = byUrn.get(urn);
      if (next) queue.push(next);
    }
  }
  return seen;
}

const addonOf = (output: SynthOutput, addonName: string) => {
  const matches = output.resources.filter((record) => record.type === TYPES.addon && record.inputs.addonName === addonName);
  expect(matches, addonName).toHaveLength(1);
  return matches[0];
};
const ofType = (output: SynthOutput, type: string) => output.resources.filter((record) => record.type === type);
const volumeWorkloads = (output: SynthOutput) => [
  ...ofType(output, TYPES.claim),
  ...ofType(output, TYPES.statefulSet).filter((record) => ((record.inputs.spec as { volumeClaimTemplates?: unknown[] }).volumeClaimTemplates?.length ?? 0) > 0),
];

describe("the stacks the add-on checks cover", () => {
  it("include kit-made EKS stacks with NetworkPolicies, with volume claims and with HPAs, and existing EKS stacks", () => {
    expect(kitMadeEks).toEqual(expect.arrayContaining(["staging", "production", "fixture:eks-cassandra"]));
    const needs = kitMadeEks.map((label) => needsOf(outputs.get(label)!.objects));
    expect(needs.some((need) => need.networkPolicies)).toBe(true);
    expect(needs.some((need) => need.volumes)).toBe(true);
    expect(needs.some((need) => need.autoscalers)).toBe(true);
    expect(existingEks).toEqual(expect.arrayContaining(["fixture:eks-workers", "fixture:eks-archival"]));
  });
});

describe.each(kitMadeEks)("kit-made EKS stack %s", (label) => {
  const output = () => outputs.get(label)!;
  const needs = () => needsOf(output().objects);

  it("installs each add-on only once the node group is up", () => {
    const nodeGroup = ofType(output(), TYPES.nodeGroup);
    expect(nodeGroup).toHaveLength(1);
    for (const addon of ofType(output(), TYPES.addon)) expect(addon.dependsOn, String(addon.inputs.addonName)).toContain(nodeGroup[0].urn);
  });

  it("enforces the NetworkPolicies it emits: vpc-cni's network policy agent is on, and every policy comes after it", () => {
    const policies = ofType(output(), TYPES.networkPolicy);
    expect(policies.length > 0).toBe(needs().networkPolicies);
    if (!needs().networkPolicies) return;
    const vpcCni = addonOf(output(), "vpc-cni");
    expect(JSON.parse(String(vpcCni.inputs.configurationValues))).toMatchObject({ enableNetworkPolicy: "true" });
    for (const policy of policies) expect(waitsFor(output().resources, policy).has(vpcCni.urn), policy.name).toBe(true);
  });

  it("binds the volume claims it makes: a default encrypted gp3 StorageClass from the EBS CSI driver, made before them", () => {
    if (!needs().volumes) return;
    const out = output();
    const defaults = out.objects.filter((object) => object.kind === "StorageClass" && (object.metadata as { annotations?: Record<string, string> }).annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
    expect(defaults).toHaveLength(1);
    expect(defaults[0]).toMatchObject({ provisioner: "ebs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer", parameters: { type: "gp3", encrypted: "true" } });
    const storageClass = ofType(out, TYPES.storageClass).find((record) => (record.inputs.metadata as { name: string }).name === defaults[0].metadata.name)!;
    const driver = addonOf(out, "aws-ebs-csi-driver");
    expect(waitsFor(out.resources, storageClass).has(driver.urn)).toBe(true);
    const workloads = volumeWorkloads(out);
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) {
      expect(waitsFor(out.resources, workload).has(storageClass.urn), workload.name).toBe(true);
      // A claim that names another class would not get this one.
      const templates = (workload.inputs.spec as { volumeClaimTemplates?: { spec: { storageClassName?: string } }[] }).volumeClaimTemplates ?? [workload.inputs as { spec: { storageClassName?: string } }];
      for (const template of templates) expect([undefined, defaults[0].metadata.name], workload.name).toContain(template.spec.storageClassName);
    }
  });

  it("lets the EBS CSI driver act through an IRSA role for its controller with the AWS managed policy", () => {
    if (!needs().volumes) return;
    const out = output();
    const driver = addonOf(out, "aws-ebs-csi-driver");
    const role = ofType(out, TYPES.role).find((record) => driver.inputs.serviceAccountRoleArn === `arn:aws:iam::123456789012:role/${record.name}`)!;
    expect(role, "the driver's role").toBeDefined();
    expect(String(role.inputs.assumeRolePolicy)).toContain("system:serviceaccount:kube-system:ebs-csi-controller-sa");
    const policies = ofType(out, TYPES.attachment).filter((attachment) => attachment.dependsOn.includes(role.urn)).map((attachment) => attachment.inputs.policyArn);
    expect(policies).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
  });

  it("gives its HPAs the metrics API: metrics-server is installed, and every HPA comes after it", () => {
    const autoscalers = ofType(output(), TYPES.hpa);
    expect(autoscalers.length > 0).toBe(needs().autoscalers);
    if (!needs().autoscalers) return;
    const metricsServer = addonOf(output(), "metrics-server");
    for (const autoscaler of autoscalers) expect(waitsFor(output().resources, autoscaler).has(metricsServer.urn), autoscaler.name).toBe(true);
  });
});

describe.each(existingEks)("existing EKS stack %s", (label) => {
  it("installs no add-on and makes no StorageClass on a cluster that is not the kit's", () => {
    const output = outputs.get(label)!;
    expect(ofType(output, TYPES.addon)).toEqual([]);
    expect(output.objects.filter((object) => object.kind === "StorageClass")).toEqual([]);
  });
});
