import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { CONTROL_PLANE_LOG_TYPES, EksCluster, EksClusterArgs, eksKubeconfig } from "../../components/aws/eksCluster";
import { MOCK_AWS, kitMocks } from "../../tools/synth/mocks";
import { type Recording, type ResourceRecord } from "../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const AWS = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  kmsKey: "aws:kms/key:Key",
  provider: "pulumi:providers:kubernetes",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;
const INVOKE = {
  getCluster: "aws:eks/getCluster:getCluster",
  getOidcProvider: "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider",
} as const;

type CreateArgs = Extract<EksClusterArgs, { mode: "create" }>;
const tags = { "temporal-kit:environment": "test", "managed-by": "pulumi" };
const subnets = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc"];
const created: CreateArgs = {
  mode: "create",
  kubernetesVersion: "1.35",
  vpcId: "vpc-0123456789abcdef0",
  privateSubnetIds: subnets,
  nodeGroup: { instanceTypes: ["m6i.xlarge", "m6a.xlarge"], minSize: 3, desiredSize: 4, maxSize: 6, diskSizeGb: 80 },
  endpointPublicAccess: true,
  publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
  tags,
};
const cases = {
  /** Reachable from the listed networks as well as from inside the VPC; waits for a gate. */
  pub: created,
  /** Private endpoint only, reached from a peered CI network and a VPN; public CIDRs must not reach EKS, which refuses them there. */
  priv: {
    ...created,
    endpointPublicAccess: false,
    privateAccessCidrs: ["10.60.0.0/16", "172.20.4.0/24"],
    nodeGroup: { instanceTypes: ["t3.large"], minSize: 2, desiredSize: 2, maxSize: 3, diskSizeGb: 20 },
  },
  ext: { mode: "existing", clusterName: "shared-platform", tags },
} satisfies Record<string, EksClusterArgs>;
type Case = keyof typeof cases;
const createdCases = ["pub", "priv"] as const;

let recording: Recording;
let records: ResourceRecord[];
const clusters = {} as Record<Case, EksCluster>;
const invokes: pulumi.runtime.MockCallArgs[] = [];

beforeAll(async () => {
  // Every lookup passes through here, so tests can see what was asked of AWS.
  const answer = kitMocks.call.bind(kitMocks);
  kitMocks.call = (args) => {
    invokes.push(args);
    return answer(args);
  };
  recording = await startMockRuntime();
  records = recording.resources;
  // Stands in for whatever the cluster must wait for; only the public cluster is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) {
    clusters[name] = new EksCluster(name, cases[name], name === "pub" ? { dependsOn: [gate] } : undefined);
  }
  await settle();
});

/** The add-ons and what they bring (their IAM role) live in a component of their own, tested in eksAddons.test.ts. */
const inAddons = (name: Case, record: ResourceRecord) => record.name.startsWith(`${name}-addons`);
const of = (name: Case, type: string) => records.filter((record) => record.type === type && record.name.startsWith(`${name}-`) && !inAddons(name, record));
const only = (name: Case, type: string, nameIncludes = "") => {
  const matches = of(name, type).filter((record) => record.name.includes(nameIncludes));
  expect(matches, `${name}: ${type} *${nameIncludes}*`).toHaveLength(1);
  return matches[0];
};
const ancestorsOf = (record: ResourceRecord): string[] => {
  const parent = records.find((candidate) => candidate.urn === record.parent);
  return parent ? [parent.urn, ...ancestorsOf(parent)] : [];
};
const componentOf = (name: Case) => records.find((record) => record.type === "temporal-kit:aws:EksCluster" && record.name === name)!;
const clusterOf = (name: Case) => only(name, AWS.cluster).inputs as Record<string, any>;
const kubeconfigOf = async (name: Case) => JSON.parse(await promiseOf(clusters[name].kubeconfig));
/** The issuer and cluster security group the mocks give a cluster, derived from its name as they do. */
const mockHash = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);
const mockIssuer = (clusterName: string) => `oidc.eks.${MOCK_AWS.region}.amazonaws.com/id/${mockHash(clusterName, 32).toUpperCase()}`;
const mockClusterSecurityGroup = (clusterName: string) => `sg-${mockHash(`${clusterName}-cluster`, 17)}`;

describe("eksKubeconfig", () => {
  it("authenticates with a token from the AWS CLI for the named cluster and region, never a stored credential", () => {
    const config = JSON.parse(eksKubeconfig("temporal", "https://example.eks.amazonaws.com", "Q0E=", "eu-west-1"));
    expect(config.users).toEqual([
      {
        name: "temporal",
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", "temporal", "--region", "eu-west-1"],
          },
        },
      },
    ]);
    expect(config.clusters).toEqual([{ name: "temporal", cluster: { server: "https://example.eks.amazonaws.com", "certificate-authority-data": "Q0E=" } }]);
    expect(config["current-context"]).toBe("temporal");
    expect(config.contexts).toEqual([{ name: "temporal", context: { cluster: "temporal", user: "temporal" } }]);
  });
});

describe.each(createdCases)("EksCluster created (%s)", (name) => {
  const args = cases[name] as CreateArgs;

  it("keeps the private endpoint on, so nodes reach the API server inside the VPC", () => {
    expect(clusterOf(name).vpcConfig.endpointPrivateAccess).toBe(true);
  });

  it("places the control plane in the private subnets given", () => {
    expect(clusterOf(name).vpcConfig.subnetIds).toEqual(subnets);
  });

  it(
    args.endpointPublicAccess ? "opens the public endpoint only to the networks given" : "turns the public endpoint off and sends EKS no public CIDRs",
    () => {
      const vpcConfig = clusterOf(name).vpcConfig;
      expect(vpcConfig.endpointPublicAccess).toBe(args.endpointPublicAccess);
      expect(vpcConfig.publicAccessCidrs).toEqual(args.endpointPublicAccess ? args.publicAccessCidrs : undefined);
    },
  );

  it(
    args.privateAccessCidrs ? "admits each network given to the private endpoint on 443 of the cluster security group" : "adds nothing to the cluster security group",
    () => {
      const rules = of(name, AWS.ingress);
      expect(rules.map((rule) => rule.inputs.cidrIpv4)).toEqual(args.privateAccessCidrs ?? []);
      for (const rule of rules) {
        expect(rule.inputs).toMatchObject({ securityGroupId: mockClusterSecurityGroup(only(name, AWS.cluster).name), ipProtocol: "tcp", fromPort: 443, toPort: 443 });
        expect(rule.dependsOn).toContain(only(name, AWS.cluster).urn);
      }
    },
  );

  it("names each private endpoint rule after its network, so dropping one leaves the others in place", () => {
    expect(of(name, AWS.ingress).map((rule) => rule.name)).toEqual((args.privateAccessCidrs ?? []).map((cidr) => `${name}-api-from-${cidr.replace(/[./]/g, "-")}`));
  });

  it("publishes the VPC it was placed in", async () => {
    expect(await promiseOf(clusters[name].vpcId)).toBe(args.vpcId);
  });

  it("runs the Kubernetes version given", () => {
    expect(clusterOf(name).version).toBe(args.kubernetesVersion);
  });

  it("sends the API, audit and authenticator logs of the control plane to CloudWatch", () => {
    expect(CONTROL_PLANE_LOG_TYPES).toEqual(expect.arrayContaining(["api", "audit", "authenticator"]));
    expect(clusterOf(name).enabledClusterLogTypes).toEqual(CONTROL_PLANE_LOG_TYPES);
  });

  it("encrypts Kubernetes secrets with a KMS key of its own that rotates", async () => {
    const key = only(name, AWS.kmsKey);
    expect(key.inputs.enableKeyRotation).toBe(true);
    const cluster = only(name, AWS.cluster);
    expect(cluster.inputs.encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: `arn:aws:kms:${MOCK_AWS.region}:${MOCK_AWS.accountId}:${key.name}` } });
    expect(cluster.dependsOn).toContain(key.urn);
  });

  it("lets whoever deploys it administer it, through access entries as well as the aws-auth ConfigMap", () => {
    expect(clusterOf(name).accessConfig).toEqual({ authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true });
  });

  it("runs one node group in the private subnets with the instance types, disk and scaling given", () => {
    const nodeGroup = only(name, AWS.nodeGroup).inputs;
    expect(nodeGroup).toMatchObject({
      subnetIds: subnets,
      instanceTypes: args.nodeGroup.instanceTypes,
      diskSize: args.nodeGroup.diskSizeGb,
      scalingConfig: { minSize: args.nodeGroup.minSize, desiredSize: args.nodeGroup.desiredSize, maxSize: args.nodeGroup.maxSize },
    });
  });

  it("replaces nodes one at a time during an upgrade", () => {
    expect(only(name, AWS.nodeGroup).inputs.updateConfig).toEqual({ maxUnavailable: 1 });
  });

  it("joins the node group to this cluster at the cluster's version, with the node role", () => {
    const nodeGroup = only(name, AWS.nodeGroup);
    const cluster = only(name, AWS.cluster);
    const nodeRole = only(name, AWS.role, "node-role");
    expect(nodeGroup.inputs).toMatchObject({ clusterName: cluster.name, version: args.kubernetesVersion });
    expect(nodeGroup.inputs.nodeRoleArn).toBe(`arn:aws:iam::${MOCK_AWS.accountId}:role/${nodeRole.name}`);
    expect(nodeGroup.dependsOn).toContain(cluster.urn);
  });

  it("lets only the EKS service assume the cluster role and only EC2 assume the node role", () => {
    const trusted = (role: ResourceRecord) => JSON.parse(String(role.inputs.assumeRolePolicy));
    const statement = (service: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
    expect(of(name, AWS.role)).toHaveLength(2);
    expect(trusted(only(name, AWS.role, "cluster-role"))).toEqual(statement("eks.amazonaws.com"));
    expect(trusted(only(name, AWS.role, "node-role"))).toEqual(statement("ec2.amazonaws.com"));
    expect(clusterOf(name).roleArn).toBe(`arn:aws:iam::${MOCK_AWS.accountId}:role/${only(name, AWS.role, "cluster-role").name}`);
  });

  it("attaches exactly the AWS managed policies each role needs, in the stack's partition", () => {
    const policiesOf = (roleName: string) => {
      const role = only(name, AWS.role, roleName);
      return of(name, AWS.attachment)
        .filter((attachment) => attachment.dependsOn.includes(role.urn))
        .map((attachment) => attachment.inputs.policyArn)
        .sort();
    };
    const managed = (policy: string) => `arn:${MOCK_AWS.partition}:iam::aws:policy/${policy}`;
    expect(of(name, AWS.attachment)).toHaveLength(4);
    expect(policiesOf("cluster-role")).toEqual([managed("AmazonEKSClusterPolicy")]);
    expect(policiesOf("node-role")).toEqual(
      [managed("AmazonEC2ContainerRegistryReadOnly"), managed("AmazonEKSWorkerNodePolicy"), managed("AmazonEKS_CNI_Policy")].sort(),
    );
  });

  it("creates the cluster only once the cluster role's policies are attached, and the nodes only once theirs are", () => {
    const attachmentsOf = (roleName: string) => {
      const role = only(name, AWS.role, roleName);
      return of(name, AWS.attachment).filter((attachment) => attachment.dependsOn.includes(role.urn)).map((attachment) => attachment.urn);
    };
    expect(only(name, AWS.cluster).dependsOn).toEqual(expect.arrayContaining(attachmentsOf("cluster-role")));
    expect(only(name, AWS.nodeGroup).dependsOn).toEqual(expect.arrayContaining(attachmentsOf("node-role")));
  });

  it("registers the cluster's OIDC issuer with IAM for the STS audience", () => {
    const oidc = only(name, AWS.oidcProvider);
    expect(oidc.inputs).toMatchObject({ url: `https://${mockIssuer(only(name, AWS.cluster).name)}`, clientIdLists: ["sts.amazonaws.com"] });
    expect(oidc.dependsOn).toContain(only(name, AWS.cluster).urn);
  });

  it("publishes the issuer without https:// and the ARN of the OIDC provider IAM registered", async () => {
    const issuer = mockIssuer(only(name, AWS.cluster).name);
    expect(await promiseOf(clusters[name].oidcIssuer)).toBe(issuer);
    expect(await promiseOf(clusters[name].oidcProviderArn)).toBe(`arn:aws:iam::${MOCK_AWS.accountId}:oidc-provider/${issuer}`);
  });

  it("publishes the security group EKS gives the cluster as the one its workloads carry", async () => {
    expect(await promiseOf(clusters[name].workloadSecurityGroupId)).toBe(mockClusterSecurityGroup(only(name, AWS.cluster).name));
  });

  it("publishes the name EKS gave the cluster", async () => {
    expect(await promiseOf(clusters[name].clusterName)).toBe(only(name, AWS.cluster).name);
  });

  it("builds the Kubernetes provider as its child, only once the node group exists and the deployers' networks are admitted", () => {
    const provider = only(name, AWS.provider);
    expect(provider.parent).toBe(componentOf(name).urn);
    expect(provider.dependsOn).toContain(only(name, AWS.nodeGroup).urn);
    for (const rule of of(name, AWS.ingress)) expect(provider.dependsOn).toContain(rule.urn);
    expect(clusters[name].provider).toBeDefined();
  });

  it("points the kubeconfig at the cluster's endpoint and certificate authority, with a token for its name and region", async () => {
    const clusterName = only(name, AWS.cluster).name;
    const config = await kubeconfigOf(name);
    expect(config.clusters[0].cluster).toEqual({
      server: expect.stringMatching(new RegExp(`^https://[0-9A-F]{32}\\.gr7\\.${MOCK_AWS.region}\\.eks\\.amazonaws\\.com$`)),
      "certificate-authority-data": Buffer.from(`mock-ca:${clusterName}`).toString("base64"),
    });
    expect(config.users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", clusterName, "--region", MOCK_AWS.region]);
  });

  it("tags every resource AWS can tag with the caller's tags and its own Name, and parents all to the component", () => {
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    expect(children.length).toBeGreaterThanOrEqual(10);
    const addons = records.find((record) => record.type === "temporal-kit:aws:EksAddons" && record.name === `${name}-addons`)!;
    for (const child of children) {
      // The add-ons component is the cluster's child; what it holds is its own, or its role's.
      if (inAddons(name, child) && child !== addons) expect(ancestorsOf(child), child.name).toContain(addons.urn);
      else expect(child.parent, child.name).toBe(componentOf(name).urn);
      // A policy attachment is a link, not a resource AWS can tag.
      if (child.type.startsWith("aws:") && child.type !== AWS.attachment) expect(child.inputs.tags, child.name).toEqual({ ...tags, Name: child.name });
    }
    for (const type of [AWS.cluster, AWS.nodeGroup, AWS.kmsKey, AWS.oidcProvider, AWS.role]) expect(of(name, type).length, type).toBeGreaterThan(0);
  });
});

describe.each(Object.keys(cases) as Case[])("EksCluster kubeconfig (%s)", (name) => {
  it("is published and handed to the Kubernetes provider only as a secret", async () => {
    expect(await pulumi.isSecret(clusters[name].kubeconfig)).toBe(true);
    expect(only(name, AWS.provider).inputs.kubeconfig).toBe(SECRET_PLACEHOLDER);
    const plaintext = await promiseOf(clusters[name].kubeconfig);
    expect(JSON.stringify(records)).not.toContain(plaintext);
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain(plaintext);
  });
});

describe("EksCluster options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("pub-") && record.custom);
    expect(children.length).toBeGreaterThanOrEqual(10);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});

describe("EksCluster existing", () => {
  it("creates no AWS resource, only the Kubernetes provider for it", () => {
    const children = records.filter((record) => record.name.startsWith("ext-"));
    expect(children.map((record) => record.type)).toEqual([AWS.provider]);
    expect(children[0].parent).toBe(componentOf("ext").urn);
  });

  it("reads the named cluster, and does not require it to have an OIDC provider", () => {
    expect(invokes.filter((call) => call.token === INVOKE.getCluster).map((call) => call.inputs)).toEqual([expect.objectContaining({ name: "shared-platform" })]);
    expect(invokes.filter((call) => call.token === INVOKE.getOidcProvider)).toEqual([]);
  });

  it("publishes the existing cluster's name, security group and OIDC provider", async () => {
    const cluster = clusters.ext;
    expect(await promiseOf(cluster.clusterName)).toBe("shared-platform");
    expect(await promiseOf(cluster.workloadSecurityGroupId)).toBe(mockClusterSecurityGroup("shared-platform"));
    expect(await promiseOf(cluster.oidcIssuer)).toBe(mockIssuer("shared-platform"));
    expect(await promiseOf(cluster.oidcProviderArn)).toBe(`arn:aws:iam::${MOCK_AWS.accountId}:oidc-provider/${mockIssuer("shared-platform")}`);
  });

  it("publishes the VPC EKS reports for the cluster, where its security group can be named", async () => {
    expect(await promiseOf(clusters.ext.vpcId)).toBe(MOCK_AWS.existingClusterVpcId);
  });

  it("builds the kubeconfig from the looked-up endpoint and certificate authority, with a token for the named cluster", async () => {
    const config = await kubeconfigOf("ext");
    expect(config.clusters[0].cluster["certificate-authority-data"]).toBe(Buffer.from("mock-ca:shared-platform").toString("base64"));
    expect(config.clusters[0].cluster.server).toBe(`https://${mockHash("shared-platform", 32).toUpperCase()}.gr7.${MOCK_AWS.region}.eks.amazonaws.com`);
    expect(config.users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "shared-platform", "--region", MOCK_AWS.region]);
  });
});
