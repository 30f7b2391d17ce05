import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsPlatform } from "../../components/platforms/aws/awsPlatform";
import {
  DEFAULT_CLASS_ANNOTATION,
  EBS_CSI_PROVISIONER,
  VPC_CNI_CONFIGURATION,
  addonProblem,
  eksAddonLookup,
  eksAddonsNeededBy,
  requireAddons,
  verifyAddons,
} from "../../components/aws/eksAddons";
import { EksCluster, EksClusterArgs } from "../../components/aws/eksCluster";
import type { EksAddonName } from "../../components/config/awsSchema";
import { parseStackConfig } from "../../components/config/parse";
import { MOCK_AWS, MOCK_EKS_ADDON_VERSIONS, kitMocks } from "../../tools/synth/mocks";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { settle, startMockRuntime } from "../helpers/mockRuntime";

const TYPES = {
  addon: "aws:eks/addon:Addon",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  cluster: "aws:eks/cluster:Cluster",
  oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  provider: "pulumi:providers:kubernetes",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  component: "temporal-kit:aws:EksAddons",
} as const;
const GET_ADDON = "aws:eks/getAddon:getAddon";
const GET_ADDON_VERSION = "aws:eks/getAddonVersion:getAddonVersion";

const tags = { "temporal-kit:environment": "test", "managed-by": "pulumi" };
const created: Extract<EksClusterArgs, { mode: "create" }> = {
  mode: "create",
  kubernetesVersion: "1.35",
  vpcId: "vpc-0123456789abcdef0",
  privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  nodeGroup: { instanceTypes: ["m6i.large"], minSize: 2, desiredSize: 2, maxSize: 4, diskSizeGb: 50 },
  endpointPublicAccess: false,
  tags,
};

/** Existing clusters as EKS describes their add-ons; a name missing from a cluster's map is not installed. */
const EXISTING: Record<string, Record<string, string>> = {
  "no-policies": { "vpc-cni": JSON.stringify({ env: { WARM_IP_TARGET: "5" } }) },
  bare: {},
};

let records: ResourceRecord[];
const invokes: pulumi.runtime.MockCallArgs[] = [];

/** Existing mode, one case per what the stack relies on. */
const existing = {
  checked: { mode: "existing", clusterName: "platform-shared", tags, requiredAddons: ["vpc-cni", "aws-ebs-csi-driver", "metrics-server"] },
  unchecked: { mode: "existing", clusterName: "platform-other", tags, requiredAddons: [] },
} satisfies Record<string, EksClusterArgs>;

beforeAll(async () => {
  const answer = kitMocks.call.bind(kitMocks);
  kitMocks.call = (args) => {
    invokes.push(args);
    const cluster = EXISTING[args.inputs.clusterName as string];
    if (args.token === GET_ADDON && cluster) {
      const values = cluster[args.inputs.addonName as string];
      if (values === undefined) throw new Error(`reading EKS Add-On (${args.inputs.clusterName}:${args.inputs.addonName}): couldn't find resource`);
      return { addonName: args.inputs.addonName, clusterName: args.inputs.clusterName, configurationValues: values };
    }
    return answer(args);
  };
  records = (await startMockRuntime()).resources;
  new EksCluster("made", created);
  for (const [name, args] of Object.entries(existing)) new EksCluster(name, args);
  // The platform as a stack file configures it: an existing cluster whose metrics-server is installed by Helm.
  const config = parseStackConfig(
    {
      environment: "staging",
      platform: "aws-eks",
      persistence: { hosting: "rds" },
      aws: {
        // The VPC the mocks put every existing cluster in: an existing cluster's stores go into its own VPC.
        network: { mode: "existing", vpcId: MOCK_AWS.existingClusterVpcId, privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] },
        eks: { mode: "existing", clusterName: "helm-metrics", selfManagedAddons: ["metrics-server"] },
      },
    },
    "stacks/Pulumi.test.yaml",
  );
  new AwsPlatform("platform", { config, sqlConnectionsNeeded: 50 });
  await settle();
});

const of = (prefix: string, type: string) => records.filter((record) => record.type === type && record.name.startsWith(`${prefix}-`));
const only = (prefix: string, type: string, nameIncludes = "") => {
  const matches = of(prefix, type).filter((record) => record.name.includes(nameIncludes));
  expect(matches, `${prefix}: ${type} *${nameIncludes}*`).toHaveLength(1);
  return matches[0];
};
const addon = (addonName: string) => of("made", TYPES.addon).find((record) => record.inputs.addonName === addonName)!;
const settled = <T>(output: pulumi.Output<T>): Promise<T> => (output as unknown as { promise(): Promise<T> }).promise();

describe("EksAddons on a cluster the kit creates", () => {
  it("installs vpc-cni, the EBS CSI driver and metrics-server as EKS add-ons of that cluster", () => {
    const addons = of("made", TYPES.addon);
    expect(addons.map((record) => record.inputs.addonName).sort()).toEqual(["aws-ebs-csi-driver", "metrics-server", "vpc-cni"]);
    for (const record of addons) expect(record.inputs.clusterName, record.name).toBe(only("made", TYPES.cluster).name);
  });

  it("turns vpc-cni's network policy agent on with the key and string value EKS documents", () => {
    expect(JSON.parse(String(addon("vpc-cni").inputs.configurationValues))).toEqual({ enableNetworkPolicy: "true" });
    expect(VPC_CNI_CONFIGURATION).toEqual({ enableNetworkPolicy: "true" });
  });

  it("keeps pod networking on the nodes should the vpc-cni add-on ever be deleted", () => {
    expect(addon("vpc-cni").inputs.preserve).toBe(true);
    expect(addon("metrics-server").inputs.preserve).toBeUndefined();
  });

  it("takes over what EKS installed itself, and keeps the kit's settings over hand edits", () => {
    for (const record of of("made", TYPES.addon)) {
      expect(record.inputs, record.name).toMatchObject({ resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE" });
    }
  });

  it("runs EKS's default version of each add-on for the cluster's Kubernetes version", () => {
    const lookups = invokes.filter((call) => call.token === GET_ADDON_VERSION);
    expect(lookups.map((call) => call.inputs.addonName).sort()).toEqual(["aws-ebs-csi-driver", "metrics-server", "vpc-cni"]);
    for (const lookup of lookups) {
      expect(lookup.inputs.kubernetesVersion).toBe(created.kubernetesVersion);
      // mostRecent would take every new build the day it ships; the default is what EKS installs and supports.
      expect(lookup.inputs.mostRecent).toBeUndefined();
    }
    for (const record of of("made", TYPES.addon)) expect(record.inputs.addonVersion).toBe(MOCK_EKS_ADDON_VERSIONS[String(record.inputs.addonName)]);
  });

  it("installs every add-on only once the node group is up, since EKS needs somewhere to run their pods", () => {
    const nodeGroup = only("made", TYPES.nodeGroup);
    for (const record of of("made", TYPES.addon)) expect(record.dependsOn, record.name).toContain(nodeGroup.urn);
  });

  it("gives the EBS CSI controller, and only it, an IRSA role with the AWS managed EBS CSI policy", () => {
    const role = only("made", TYPES.role, "ebs-csi");
    const issuer = String(only("made", TYPES.oidcProvider).inputs.url).replace(/^https:\/\//, "");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::${MOCK_AWS.accountId}:oidc-provider/${issuer}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa", [`${issuer}:aud`]: "sts.amazonaws.com" } },
        },
      ],
    });
    const attached = of("made", TYPES.attachment).filter((attachment) => attachment.dependsOn.includes(role.urn));
    expect(attached.map((attachment) => attachment.inputs.policyArn)).toEqual([`arn:${MOCK_AWS.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`]);
    const driver = addon("aws-ebs-csi-driver");
    expect(driver.inputs.serviceAccountRoleArn).toBe(`arn:aws:iam::${MOCK_AWS.accountId}:role/${role.name}`);
    // The driver starts only once its role can do something.
    expect(driver.dependsOn).toEqual(expect.arrayContaining(attached.map((attachment) => attachment.urn)));
    expect(addon("vpc-cni").inputs.serviceAccountRoleArn).toBeUndefined();
    expect(addon("metrics-server").inputs.serviceAccountRoleArn).toBeUndefined();
  });

  it("tags the add-ons and the role like every other AWS resource of the cluster", () => {
    for (const record of [...of("made", TYPES.addon), only("made", TYPES.role, "ebs-csi")]) expect(record.inputs.tags, record.name).toEqual({ ...tags, Name: record.name });
  });

  it("hands out the Kubernetes provider only once every add-on is in, so no object of the stack comes before them", () => {
    const provider = only("made", TYPES.provider);
    for (const record of of("made", TYPES.addon)) expect(provider.dependsOn, record.name).toContain(record.urn);
    expect(provider.dependsOn).toContain(only("made", TYPES.nodeGroup).urn);
  });

  it("makes an encrypted gp3 StorageClass from the EBS CSI driver the cluster's default, through that provider", () => {
    const storageClass = only("made", TYPES.storageClass);
    expect(storageClass.inputs).toMatchObject({
      metadata: { name: "gp3", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "gp3", encrypted: "true" },
      // The volume is made in the zone the pod is scheduled to, not in a random one it cannot reach.
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    expect(storageClass.provider?.startsWith(`${only("made", TYPES.provider).urn}::`)).toBe(true);
  });

  it("keeps the add-ons in a component of their own inside the cluster's", () => {
    const component = records.find((record) => record.type === TYPES.component && record.name === "made-addons")!;
    const cluster = records.find((record) => record.type === "temporal-kit:aws:EksCluster" && record.name === "made")!;
    expect(component.parent).toBe(cluster.urn);
    for (const record of of("made", TYPES.addon)) expect(record.parent).toBe(component.urn);
  });
});

describe("an existing EKS cluster", () => {
  it("gets no add-on, role or StorageClass from the kit", () => {
    for (const name of [...Object.keys(existing), "platform"]) {
      for (const type of [TYPES.addon, TYPES.storageClass, TYPES.component]) expect(of(name, type), `${name} ${type}`).toEqual([]);
    }
  });

  it("is asked, through EKS, for each add-on the stack relies on", () => {
    const asked = invokes.filter((call) => call.token === GET_ADDON && call.inputs.clusterName === "platform-shared");
    expect(asked.map((call) => call.inputs.addonName).sort()).toEqual(["aws-ebs-csi-driver", "metrics-server", "vpc-cni"]);
  });

  it("is asked nothing when the stack relies on none", () => {
    expect(invokes.filter((call) => call.token === GET_ADDON && call.inputs.clusterName === "platform-other")).toEqual([]);
  });

  it("is not asked for what the stack file says it runs outside EKS's add-ons", () => {
    // Staging on RDS: NetworkPolicies and the frontend's HPA, no volumes; metrics-server is the stack file's word.
    const asked = invokes.filter((call) => call.token === GET_ADDON && call.inputs.clusterName === "helm-metrics");
    expect(asked.map((call) => call.inputs.addonName)).toEqual(["vpc-cni"]);
  });

  // requireAddons is this check wrapped in an Output (its failure then fails the provider's registration, as a
  // synth of such a cluster shows); the failures are checked on the promise, which a test can catch.
  const checkOf = (clusterName: string, required: EksAddonName[]) =>
    verifyAddons(clusterName, required, eksAddonLookup(clusterName, new pulumi.ComponentResource("test:check", `${clusterName}-check`))).then(
      () => undefined,
      (failure: Error) => failure.message,
    );

  it("fails at preview, naming each missing add-on and how to install it", async () => {
    const message = await checkOf("bare", ["vpc-cni", "metrics-server"]);
    expect(message).toContain("The existing EKS cluster bare lacks what this stack relies on");
    expect(message).toMatch(/\n  vpc-cni: not found as an EKS add-on.*; its network policy agent enforces the stack's NetworkPolicies/);
    expect(message).toContain("aws eks create-addon --cluster-name bare --addon-name metrics-server");
    expect(message).toContain("aws.eks.selfManagedAddons");
  });

  it("fails at preview when vpc-cni is there but does not enforce NetworkPolicies", async () => {
    const message = await checkOf("no-policies", ["vpc-cni"]);
    expect(message).toMatch(/vpc-cni: its network policy agent is off/);
    expect(message).toContain(`--configuration-values '{"enableNetworkPolicy":"true"}'`);
  });

  it("passes when EKS reports every add-on, vpc-cni with its agent on", async () => {
    expect(await settled(requireAddons("platform-shared", ["vpc-cni", "aws-ebs-csi-driver"], new pulumi.ComponentResource("test:check", "shared-check")))).toEqual([
      "vpc-cni",
      "aws-ebs-csi-driver",
    ]);
  });
});

describe("verifyAddons", () => {
  const installed = (values: Record<string, string>) => async (addonName: string) => {
    if (!(addonName in values)) throw new Error("ResourceNotFoundException: No addon: " + addonName);
    return { configurationValues: values[addonName] };
  };

  it("reports every problem at once", async () => {
    await expect(verifyAddons("c", ["vpc-cni", "aws-ebs-csi-driver", "metrics-server"], installed({ "vpc-cni": "" }))).rejects.toThrow(
      /vpc-cni: its network policy agent is off[^\n]*\n  aws-ebs-csi-driver: not found[^\n]*\n  metrics-server: not found/,
    );
  });

  it("accepts vpc-cni's agent turned on among other settings", async () => {
    const values = JSON.stringify({ enableNetworkPolicy: "true", nodeAgent: { healthProbeBindAddr: "8163" } });
    await expect(verifyAddons("c", ["vpc-cni"], installed({ "vpc-cni": values }))).resolves.toEqual(["vpc-cni"]);
  });

  it.each([
    ["no configuration values", ""],
    ["the agent turned off", JSON.stringify({ enableNetworkPolicy: "false" })],
    ["values that are not JSON", "enableNetworkPolicy: true"],
  ])("refuses vpc-cni with %s", (_, configurationValues) => {
    expect(addonProblem("vpc-cni", { configurationValues })).toMatch(/network policy agent is off/);
  });

  it("asks nothing of the other add-ons' configuration", () => {
    expect(addonProblem("metrics-server", { configurationValues: "" })).toBeUndefined();
    expect(addonProblem("aws-ebs-csi-driver", {})).toBeUndefined();
  });
});

describe("eksAddonsNeededBy", () => {
  // Staging names who reaches the cluster's public API endpoint, as it must outside dev.
  const needs = (raw: Record<string, unknown>) =>
    eksAddonsNeededBy(parseStackConfig({ platform: "aws-eks", ...(raw.environment === "dev" ? {} : { aws: { eks: { publicAccessCidrs: ["198.51.100.0/27"] } } }), ...raw }, "stacks/Pulumi.test.yaml"));

  it.each([
    ["staging on RDS: NetworkPolicies and the frontend's HPA", { environment: "staging", persistence: { hosting: "rds" } }, ["vpc-cni", "metrics-server"]],
    ["dev with in-cluster MySQL: its volume, nothing else", { environment: "dev" }, ["aws-ebs-csi-driver"]],
    ["staging with in-cluster Cassandra and OpenSearch", { environment: "staging", persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "opensearch" } }, ["vpc-cni", "aws-ebs-csi-driver", "metrics-server"]],
    ["staging without NetworkPolicies or autoscaling", { environment: "staging", persistence: { hosting: "rds" }, kubernetes: { networkPolicies: false }, roles: { frontend: { autoscaling: { enabled: false } } } }, []],
    [
      "dev on RDS with an autoscaled worker pool",
      {
        environment: "dev",
        persistence: { hosting: "rds" },
        workers: [{ name: "orders", image: "registry.example.com/orders:1.0.0", replicas: 1, taskQueue: "orders", namespace: "default", env: {}, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } }, autoscaling: { minReplicas: 1, maxReplicas: 3, targetCpuUtilization: 70 } }],
      },
      ["metrics-server"],
    ],
  ])("%s", (_, raw, expected) => {
    expect(needs(raw)).toEqual(expected);
  });
});
