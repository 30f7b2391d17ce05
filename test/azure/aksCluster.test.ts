import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  AksCluster,
  AksClusterArgs,
  NODE_POOL_NAME,
  aksNetworkFacts,
  apiServerPrivateZone,
  decodeKubeconfig,
  privateClusterWarning,
  validateAksCluster,
  workloadIdentityIssuer,
} from "../../components/azure/aksCluster";
import { AKS_DNS_SERVICE_IP, AKS_POD_CIDR, AKS_SERVICE_CIDR } from "../../components/azure/network";
import { cidrsOverlap } from "../../components/config/ipv4";
import { MOCK_AZURE_CLIENT, kitMocks, mockAksKubeconfig, mockVnetId } from "../../tools/synth/mocks";
import { type Recording, type ResourceRecord } from "../../tools/synth/recorder";
import { SECRET_PLACEHOLDER } from "../../tools/synth/secretPlaceholder";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";
import { caseQueries } from "../helpers/caseQueries";

const AZURE = {
  cluster: "azure-native:containerservice:ManagedCluster",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  dnsLink: "azure-native:privatedns:VirtualNetworkLink",
  provider: "pulumi:providers:kubernetes",
} as const;
const INVOKE = {
  getCluster: "azure-native:containerservice:getManagedCluster",
  credentials: "azure-native:containerservice:listManagedClusterUserCredentials",
} as const;
const NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type CreateArgs = Extract<AksClusterArgs, { mode: "create" }>;
const tags = { "temporal-kit:environment": "test", "managed-by": "pulumi" };
const subnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-temporal/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
const deployerVnetId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/ci-rg/providers/Microsoft.Network/virtualNetworks/ci-runners";
const created: CreateArgs = {
  mode: "create",
  resourceGroupName: "rg-temporal",
  location: "westeurope",
  kubernetesVersion: "1.35",
  subnetId,
  nodePool: { vmSize: "Standard_D4s_v5", minCount: 3, count: 3, maxCount: 9, osDiskSizeGb: 128, availabilityZones: ["1", "2", "3"] },
  privateCluster: false,
  authorizedIpRanges: ["203.0.113.0/24", "198.51.100.7/32"],
  tags,
};
const cases = {
  /** Public API server open to the listed networks only; waits for a gate. */
  pub: created,
  /** Private API server, deployed from inside its network; two zones. */
  priv: { ...created, privateCluster: true, authorizedIpRanges: undefined, nodePool: { ...created.nodePool, minCount: 2, count: 2, maxCount: 4, availabilityZones: ["1", "2"] } },
  /** Private API server, deployed from a peered network linked to its DNS zone. */
  dep: { ...created, privateCluster: true, authorizedIpRanges: undefined, deployerVnetId },
  /** Public and unrestricted, on the Free tier, in a region without zones: a throwaway cluster. */
  open: { ...created, authorizedIpRanges: undefined, skuTier: "Free" as const, nodePool: { ...created.nodePool, minCount: 1, count: 1, maxCount: 2, availabilityZones: [] } },
  ext: { mode: "existing", resourceGroupName: "rg-shared", clusterName: "shared-aks", tags },
  /** An existing cluster whose API server is private. */
  extpriv: { mode: "existing", resourceGroupName: "rg-shared", clusterName: "private-aks", tags },
} satisfies Record<string, AksClusterArgs>;
type Case = keyof typeof cases;
const createdCases = ["pub", "priv", "dep", "open"] as const;
const warn = vi.spyOn(pulumi.log, "warn").mockResolvedValue(undefined);

let recording: Recording;
let records: ResourceRecord[];
const clusters = {} as Record<Case, AksCluster>;
const invokes: pulumi.runtime.MockCallArgs[] = [];
/** The ignoreChanges option of every registration, by name: the recorder does not keep it. */
const ignoredByName = new Map<string, string[]>();

beforeAll(async () => {
  // Every lookup passes through here, so tests can see what was asked of Azure.
  const answer = kitMocks.call.bind(kitMocks);
  kitMocks.call = (args) => {
    invokes.push(args);
    const result = answer(args);
    // The one existing cluster whose API server is private.
    const privateCluster = args.token === INVOKE.getCluster && args.inputs.resourceName === "private-aks";
    return privateCluster ? { ...result, apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: "system" } } : result;
  };
  recording = await startMockRuntime();
  records = recording.resources;
  tapIgnoreChanges(ignoredByName);
  // Stands in for whatever the cluster must wait for; only the public cluster is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) clusters[name] = new AksCluster(name, cases[name], name === "pub" ? { dependsOn: [gate] } : undefined);
  await settle();
});

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

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:azure:AksCluster");
const clusterOf = (name: Case) => only(name, AZURE.cluster).inputs as Record<string, any>;
const poolOf = (name: Case) => {
  const pools = clusterOf(name).agentPoolProfiles as Record<string, any>[];
  expect(pools).toHaveLength(1);
  return pools[0];
};

describe("validateAksCluster", () => {
  const check = (changes: Partial<CreateArgs>, name = "temporal") => () => validateAksCluster(name, { ...created, ...changes });
  const pool = (changes: Partial<CreateArgs["nodePool"]>) => check({ nodePool: { ...created.nodePool, ...changes } });

  it("accepts the arguments the tests build clusters from", () => {
    for (const name of createdCases) expect(() => validateAksCluster(name, cases[name] as CreateArgs)).not.toThrow();
  });

  it("refuses authorized ranges on a private cluster, which has no public endpoint to restrict", () => {
    expect(check({ privateCluster: true })).toThrow("authorizedIpRanges only apply to a public API server; a private cluster has no public endpoint to restrict");
  });

  it("refuses an empty or malformed list of authorized ranges", () => {
    expect(check({ authorizedIpRanges: [] })).toThrow("authorizedIpRanges must list 1 to 200 ranges, or be left out");
    expect(check({ authorizedIpRanges: ["203.0.113.0"] })).toThrow('Authorized IP range "203.0.113.0" is not an IPv4 CIDR block');
  });

  it("refuses an authorized range not given by its first address, as AKS does", () => {
    expect(check({ authorizedIpRanges: ["137.117.106.90/29"] })).toThrow('Authorized IP range "137.117.106.90/29" has host bits set; the block starts at 137.117.106.88/29');
  });

  it("refuses a deployer's network beside a public API server, which is reached through authorized ranges instead", () => {
    expect(check({ deployerVnetId })).toThrow("deployerVnetId only applies to a private cluster; a public API server is reached through authorizedIpRanges");
  });

  it("refuses autoscaling bounds that do not hold the starting count", () => {
    expect(pool({ minCount: 4, count: 3 })).toThrow("node pool sizes must be whole numbers with 1 <= minCount <= count <= maxCount <= 1000; given 4, 3, 9");
    expect(pool({ count: 10 })).toThrow("given 3, 10, 9");
    expect(pool({ minCount: 0, count: 0 })).toThrow("given 0, 0, 9");
    expect(pool({ maxCount: 1001 })).toThrow("given 3, 3, 1001");
  });

  it("refuses zones other than 1, 2 and 3, or the same zone twice", () => {
    expect(pool({ availabilityZones: ["1", "4"] })).toThrow("availabilityZones must be distinct zones among 1, 2, 3; given 1, 4");
    expect(pool({ availabilityZones: ["2", "2"] })).toThrow("given 2, 2");
  });

  it("refuses an OS disk outside what AKS accepts and a VM size that is not one", () => {
    expect(pool({ osDiskSizeGb: 20 })).toThrow("osDiskSizeGb must be a whole number from 30 to 2048; given 20");
    expect(pool({ vmSize: "d4s_v5" })).toThrow('"d4s_v5" is not an Azure VM size such as Standard_D4s_v5');
  });

  it("refuses a Kubernetes version AKS cannot parse", () => {
    expect(check({ kubernetesVersion: "v1.33" })).toThrow('Kubernetes version "v1.33" must look like 1.33 or 1.33.2');
  });

  it("refuses a name that cannot prefix the API server's DNS name", () => {
    expect(check({}, "-temporal")).toThrow('"-temporal" cannot prefix the AKS API server\'s DNS name');
    expect(check({}, "temporal_aks")).toThrow('"temporal_aks" cannot prefix');
  });

  it("stops the component before anything is created", () => {
    expect(() => new AksCluster("bad-pool", { ...created, nodePool: { ...created.nodePool, maxCount: 2 } })).toThrow("given 3, 3, 2");
  });
});

describe("decodeKubeconfig", () => {
  it("decodes the first credential AKS returns", () => {
    const encoded = (text: string) => Buffer.from(text).toString("base64");
    expect(decodeKubeconfig("c", [{ name: "clusterUser", value: encoded("first") }, { name: "other", value: encoded("second") }])).toBe("first");
  });

  it("fails by name when AKS returns no credential", () => {
    expect(() => decodeKubeconfig("temporal", [])).toThrow('AKS returned no user credentials for cluster "temporal"');
  });
});

describe("apiServerPrivateZone", () => {
  it("is the private FQDN without its first label, the zone AKS made for the cluster", () => {
    expect(apiServerPrivateZone("c", "temporal-1a2b3c4d.5e6f7a8b-1111-4222-8333-944455556666.privatelink.westeurope.azmk8s.io")).toBe(
      "5e6f7a8b-1111-4222-8333-944455556666.privatelink.westeurope.azmk8s.io",
    );
  });

  it("is the regional privatelink zone for a cluster named directly in it", () => {
    expect(apiServerPrivateZone("c", "temporal-1a2b3c4d.privatelink.westeurope.azmk8s.io")).toBe("privatelink.westeurope.azmk8s.io");
  });

  it("refuses a name outside a privatelink zone, which no link would make resolve", () => {
    expect(() => apiServerPrivateZone("temporal", "temporal-1a2b3c4d.hcp.westeurope.azmk8s.io")).toThrow(
      'AKS cluster temporal reported the private FQDN "temporal-1a2b3c4d.hcp.westeurope.azmk8s.io", which is not in a privatelink.<region>.azmk8s.io zone',
    );
    expect(() => apiServerPrivateZone("temporal", undefined)).toThrow('reported the private FQDN ""');
  });
});

describe("aksNetworkFacts", () => {
  it("lists every pool's node and pod subnet and the cluster's pod and Service ranges", () => {
    expect(
      aksNetworkFacts({
        agentPoolProfiles: [
          { name: "system", vnetSubnetID: "nodes-id" },
          { name: "user", vnetSubnetID: "nodes-id", podSubnetID: "pods-id" },
        ],
        networkProfile: { podCidr: "10.244.0.0/16", podCidrs: ["10.244.0.0/16"], serviceCidr: "10.0.0.0/16", serviceCidrs: ["10.0.0.0/16", "fd00::/108"] },
      }),
    ).toEqual({
      pools: [
        { name: "system", vnetSubnetId: "nodes-id" },
        { name: "user", vnetSubnetId: "nodes-id", podSubnetId: "pods-id" },
      ],
      podCidrs: ["10.244.0.0/16"],
      serviceCidrs: ["10.0.0.0/16", "fd00::/108"],
    });
  });

  it("leaves out the subnet of a pool in a network AKS manages", () => {
    expect(aksNetworkFacts({ agentPoolProfiles: [{ name: "nodepool1" }] })).toEqual({ pools: [{ name: "nodepool1" }], podCidrs: [], serviceCidrs: [] });
  });
});

describe("workloadIdentityIssuer", () => {
  it("returns the issuer when the OIDC issuer and workload identity are both on", () => {
    expect(workloadIdentityIssuer("c", { enabled: true, issuerURL: "https://issuer/" }, true)).toBe("https://issuer/");
  });

  it("refuses a cluster without either, naming the command that turns them on", () => {
    const message = 'AKS cluster "legacy" needs its OIDC issuer and workload identity on, which Temporal\'s workers use to reach Azure: az aks update --enable-oidc-issuer --enable-workload-identity';
    expect(() => workloadIdentityIssuer("legacy", { enabled: false, issuerURL: "" }, true)).toThrow(message);
    expect(() => workloadIdentityIssuer("legacy", undefined, true)).toThrow(message);
    expect(() => workloadIdentityIssuer("legacy", { enabled: true, issuerURL: "https://issuer/" }, false)).toThrow(message);
  });
});

describe.each(createdCases)("AksCluster created (%s)", (name) => {
  const args = cases[name] as CreateArgs;

  it("runs the Kubernetes version given in the resource group and region given, named after the component", () => {
    expect(clusterOf(name)).toMatchObject({ resourceGroupName: args.resourceGroupName, location: args.location, kubernetesVersion: args.kubernetesVersion, dnsPrefix: name });
  });

  it("uses a system-assigned identity, so there is no credential to store or rotate", () => {
    expect(clusterOf(name).identity).toEqual({ type: "SystemAssigned" });
    expect(clusterOf(name).servicePrincipalProfile).toBeUndefined();
  });

  it("turns on the OIDC issuer and workload identity that Temporal's workers use to reach Azure", () => {
    expect(clusterOf(name).oidcIssuerProfile).toEqual({ enabled: true });
    expect(clusterOf(name).securityProfile).toEqual({ workloadIdentity: { enabled: true } });
  });

  it("turns on Kubernetes RBAC and keeps local accounts, which the kubeconfig relies on without Entra integration", () => {
    expect(clusterOf(name)).toMatchObject({ enableRBAC: true, disableLocalAccounts: false });
    expect(clusterOf(name).aadProfile).toBeUndefined();
  });

  it("runs Azure CNI Overlay with Cilium on pod and service ranges outside any kit network", () => {
    const profile = clusterOf(name).networkProfile;
    expect(profile).toEqual({
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkDataplane: "cilium",
      networkPolicy: "cilium",
      podCidr: AKS_POD_CIDR,
      serviceCidr: AKS_SERVICE_CIDR,
      dnsServiceIP: AKS_DNS_SERVICE_IP,
      loadBalancerSku: "standard",
      outboundType: "loadBalancer",
    });
    expect(cidrsOverlap(`${AKS_DNS_SERVICE_IP}/32`, AKS_SERVICE_CIDR)).toBe(true);
    expect(cidrsOverlap(AKS_POD_CIDR, AKS_SERVICE_CIDR)).toBe(false);
  });

  it(`puts the ${args.skuTier ?? "Standard"} tier on the control plane`, () => {
    expect(clusterOf(name).sku).toEqual({ name: "Base", tier: args.skuTier ?? "Standard" });
  });

  it("runs one autoscaling system pool within the bounds given, starting at the count given", () => {
    expect(poolOf(name)).toMatchObject({
      name: NODE_POOL_NAME,
      mode: "System",
      type: "VirtualMachineScaleSets",
      osType: "Linux",
      enableAutoScaling: true,
      minCount: args.nodePool.minCount,
      count: args.nodePool.count,
      maxCount: args.nodePool.maxCount,
      vmSize: args.nodePool.vmSize,
      osDiskSizeGB: args.nodePool.osDiskSizeGb,
      orchestratorVersion: args.kubernetesVersion,
    });
  });

  it(args.nodePool.availabilityZones.length > 0 ? "spreads the nodes over the zones given" : "leaves the zones out in a region without them", () => {
    expect(poolOf(name).availabilityZones).toEqual(args.nodePool.availabilityZones.length > 0 ? args.nodePool.availabilityZones : undefined);
  });

  it("puts the nodes in the subnet given, without public addresses", () => {
    expect(poolOf(name)).toMatchObject({ vnetSubnetID: subnetId, enableNodePublicIP: false });
  });

  it("leaves the node count to the autoscaler once the pool exists", () => {
    expect(ignoredByName.get(only(name, AZURE.cluster).name)).toEqual(["agentPoolProfiles[0].count"]);
  });

  if (args.privateCluster) {
    it("keeps the API server private, resolved through a zone AKS manages, with no public ranges", () => {
      expect(clusterOf(name).apiServerAccessProfile).toEqual({ enablePrivateCluster: true, privateDNSZone: "system" });
    });
  } else if (args.authorizedIpRanges) {
    it("opens the public API server to the authorized ranges only", () => {
      expect(clusterOf(name).apiServerAccessProfile).toEqual({ enablePrivateCluster: false, authorizedIPRanges: args.authorizedIpRanges });
    });
  } else {
    it("leaves a public API server without ranges unrestricted, as asked", () => {
      expect(clusterOf(name).apiServerAccessProfile).toEqual({ enablePrivateCluster: false });
    });
  }

  it("patches Kubernetes and the node images without a deployment", () => {
    expect(clusterOf(name).autoUpgradeProfile).toEqual({ upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" });
  });

  it("makes the cluster's own identity a Network Contributor on its subnet, once the cluster exists", () => {
    const assignment = only(name, AZURE.roleAssignment);
    expect(assignment.inputs).toMatchObject({
      scope: subnetId,
      roleDefinitionId: `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${NETWORK_CONTRIBUTOR}`,
      principalType: "ServicePrincipal",
    });
    expect(assignment.inputs.principalId).toMatch(GUID);
    expect(assignment.dependsOn).toContain(only(name, AZURE.cluster).urn);
  });

  it("builds the Kubernetes provider as its child, only once the cluster may use its subnet", () => {
    const provider = only(name, AZURE.provider);
    expect(provider.parent).toBe(componentOf(name).urn);
    expect(provider.dependsOn).toEqual(expect.arrayContaining([only(name, AZURE.roleAssignment).urn, only(name, AZURE.cluster).urn]));
  });

  it("publishes the cluster's name, OIDC issuer and node resource group as AKS reports them", async () => {
    const clusterName = only(name, AZURE.cluster).name;
    expect(await promiseOf(clusters[name].clusterName)).toBe(clusterName);
    expect(await promiseOf(clusters[name].oidcIssuerUrl)).toMatch(new RegExp(`^https://westeurope\\.oic\\.prod-aks\\.azure\\.com/${MOCK_AZURE_CLIENT.tenantId}/[0-9a-f-]{36}/$`));
    expect(await promiseOf(clusters[name].nodeResourceGroup)).toBe(`MC_rg-temporal_${clusterName}_westeurope`);
  });

  it("asks AKS for the user credentials of this cluster", () => {
    const clusterName = only(name, AZURE.cluster).name;
    expect(invokes.filter((call) => call.token === INVOKE.credentials && call.inputs.resourceName === clusterName).map((call) => call.inputs)).toEqual([
      expect.objectContaining({ resourceGroupName: "rg-temporal", resourceName: clusterName }),
    ]);
  });

  it("tags the cluster with the caller's tags and parents everything to the component", () => {
    expect(clusterOf(name).tags).toEqual(tags);
    const children = records.filter((record) => record.name.startsWith(`${name}-`));
    const linked = args.deployerVnetId ? [AZURE.dnsLink] : [];
    expect(children.map((child) => child.type).sort()).toEqual([AZURE.roleAssignment, AZURE.cluster, ...linked, AZURE.provider].sort());
    for (const child of children) expect(child.parent, child.name).toBe(componentOf(name).urn);
  });

  it("reports its one pool in the subnet given, and the kit's pod and Service ranges", async () => {
    expect(await promiseOf(clusters[name].network)).toEqual({ pools: [{ name: NODE_POOL_NAME, vnetSubnetId: subnetId }], podCidrs: [AKS_POD_CIDR], serviceCidrs: [AKS_SERVICE_CIDR] });
  });

  if (args.deployerVnetId) {
    it("links the API server's private DNS zone, in the node resource group, to the deployer's network", () => {
      const clusterName = only(name, AZURE.cluster).name;
      const link = only(name, AZURE.dnsLink);
      // The mock names the API server <cluster>-<hash>.<guid>.privatelink.westeurope.azmk8s.io, as AKS does.
      expect(link.inputs.privateZoneName).toMatch(/^[0-9a-f-]{36}\.privatelink\.westeurope\.azmk8s\.io$/);
      expect(link.inputs).toEqual({
        resourceGroupName: `MC_rg-temporal_${clusterName}_westeurope`,
        privateZoneName: link.inputs.privateZoneName,
        location: "global",
        virtualNetwork: { id: deployerVnetId },
        registrationEnabled: false,
        tags,
      });
      expect(link.dependsOn).toContain(only(name, AZURE.cluster).urn);
    });

    it("builds the Kubernetes provider only once the deployer's network resolves the API server", () => {
      expect(only(name, AZURE.provider).dependsOn).toContain(only(name, AZURE.dnsLink).urn);
    });
  } else {
    it("links no other network to the cluster's DNS", () => {
      expect(of(name, AZURE.dnsLink)).toEqual([]);
    });
  }
});

describe.each(Object.keys(cases) as Case[])("AksCluster kubeconfig (%s)", (name) => {
  it("is the decoded credential AKS returned for the cluster", async () => {
    const existingNames: Partial<Record<Case, string>> = { ext: "shared-aks", extpriv: "private-aks" };
    const clusterName = existingNames[name] ?? only(name, AZURE.cluster).name;
    expect(await promiseOf(clusters[name].kubeconfig)).toBe(mockAksKubeconfig(clusterName));
  });

  it("is published and handed to the Kubernetes provider only as a secret", async () => {
    expect(await pulumi.isSecret(clusters[name].kubeconfig)).toBe(true);
    expect(only(name, AZURE.provider).inputs.kubeconfig).toBe(SECRET_PLACEHOLDER);
    const plaintext = await promiseOf(clusters[name].kubeconfig);
    expect(JSON.stringify(records)).not.toContain(plaintext);
    expect(JSON.stringify(records)).not.toContain("client-key-data");
    expect(JSON.stringify([...recording.outputs.values()])).not.toContain("client-key-data");
  });
});

describe("AksCluster options", () => {
  it("makes every resource inside wait for what the component depends on", () => {
    const gateUrn = records.find((record) => record.name === "gate")!.urn;
    const children = records.filter((record) => record.name.startsWith("pub-") && record.custom);
    expect(children).toHaveLength(3);
    for (const child of children) expect(child.dependsOn, child.name).toContain(gateUrn);
  });
});

describe("AksCluster existing", () => {
  it("creates no Azure resource, only the Kubernetes provider for it", () => {
    const children = records.filter((record) => record.name.startsWith("ext-"));
    expect(children.map((record) => record.type)).toEqual([AZURE.provider]);
    expect(children[0].parent).toBe(componentOf("ext").urn);
  });

  it("reads the named cluster in the named resource group, and its user credentials", () => {
    expect(invokes.filter((call) => call.token === INVOKE.getCluster && call.inputs.resourceName === "shared-aks").map((call) => call.inputs)).toEqual([
      { resourceGroupName: "rg-shared", resourceName: "shared-aks" },
    ]);
    expect(invokes.filter((call) => call.token === INVOKE.credentials && call.inputs.resourceName === "shared-aks").map((call) => call.inputs)).toEqual([
      expect.objectContaining({ resourceGroupName: "rg-shared", resourceName: "shared-aks" }),
    ]);
  });

  it("publishes the existing cluster's name, OIDC issuer and node resource group", async () => {
    const cluster = clusters.ext;
    expect(await promiseOf(cluster.clusterName)).toBe("shared-aks");
    expect(await promiseOf(cluster.oidcIssuerUrl)).toMatch(new RegExp(`^https://westeurope\\.oic\\.prod-aks\\.azure\\.com/${MOCK_AZURE_CLIENT.tenantId}/`));
    expect(await promiseOf(cluster.nodeResourceGroup)).toBe("MC_rg-shared_shared-aks_westeurope");
  });

  it("reports the subnets its pools use and its pod and Service ranges, as AKS does", async () => {
    expect(await promiseOf(clusters.ext.network)).toEqual({
      pools: [{ name: "system", vnetSubnetId: `${mockVnetId("rg-shared", "shared-aks-vnet")}/subnets/nodes` }],
      podCidrs: ["10.244.0.0/16"],
      serviceCidrs: ["10.0.0.0/16"],
    });
  });

  it("warns that a private API server is reached only from its network, and only for such a cluster", () => {
    expect(warn).toHaveBeenCalledWith(privateClusterWarning("private-aks"), clusters.extpriv);
    expect(warn.mock.calls.filter(([message]) => String(message).includes("shared-aks"))).toEqual([]);
    expect(privateClusterWarning("private-aks")).toContain("pulumi up reaches it only from the cluster's virtual network, or from one peered with it and linked to its private DNS zone");
  });
});
