import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { certRequest, locallySignedCert, privateKey, selfSignedCert, stateSalt } from "./keyMaterial";
import { randomText } from "./randomValues";
import { reveal } from "./recorder";
import type { MockWorld } from "../../components/stores/mock";
import { STORE_MOCKS } from "../../components/stores/mocks";

/**
 * What the engine and providers would answer, so that every output resolves offline: real keys,
 * certificates and random values where the provider could run here (keyMaterial.ts,
 * randomValues.ts), ids from names, and plausible AWS identities, endpoints and ARNs in one fixed
 * account and region.
 */
export const MOCK_AWS = {
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  /** The VPC every existing EKS cluster looked up by name runs in: the account's shared platform network. */
  existingClusterVpcId: "vpc-0e5c0a1b2c3d4e5f6",
} as const;

/**
 * EKS's answer to DescribeAddonVersions, made up: each add-on's "default version" for any
 * Kubernetes version. The kit pins none of these; a deploy asks EKS (components/aws/eksAddons.ts).
 */
export const MOCK_EKS_ADDON_VERSIONS: Record<string, string> = {
  "vpc-cni": "v1.19.6-eksbuild.1",
  "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
  "metrics-server": "v0.7.2-eksbuild.4",
};

/** Who the Azure provider is signed in as, for `azure-native:authorization:getClientConfig`. */
export const MOCK_AZURE_CLIENT = {
  subscriptionId: "00000000-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-4000-8000-000000000002",
  clientId: "00000000-0000-4000-8000-000000000003",
  objectId: "00000000-0000-4000-8000-000000000004",
} as const;

export const kitMocks: pulumi.runtime.Mocks = {
  async newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string; state: Record<string, unknown> }> {
    return { id: mockId(args), state: { ...args.inputs, ...(await generatedState(args)), ...extraState(args) } };
  },
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return callResult(args) ?? args.inputs;
  },
};

const hash = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** What the store kinds' own mocks (components/stores/<kind>/mock.ts) build their answers from. */
const MOCK_WORLD: MockWorld = { aws: MOCK_AWS, hash, awsArn };

/**
 * What the providers that run on this machine would make: the `tls` provider's real keys and
 * certificates, and the `random` provider's values, so the synthesized Secrets work in real pods.
 */
async function generatedState(args: pulumi.runtime.MockResourceArgs): Promise<Record<string, unknown>> {
  // A provider sees secret inputs as plain values.
  const inputs = reveal(args.inputs) as Record<string, any>;
  switch (args.type) {
    case "tls:index/privateKey:PrivateKey":
      return { ...(await privateKey(args.name, inputs)) };
    case "tls:index/certRequest:CertRequest":
      return certRequest(args.name, inputs);
    case "tls:index/selfSignedCert:SelfSignedCert":
      return { ...(await selfSignedCert(args.name, inputs)) };
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { ...(await locallySignedCert(args.name, inputs)) };
    case "random:index/randomString:RandomString":
    case "random:index/randomPassword:RandomPassword":
      return { result: randomText(`${stateSalt()}:${args.type}:${args.name}`, inputs) };
    default:
      return {};
  }
}

export function mockId(args: pulumi.runtime.MockResourceArgs): string {
  // AWS ids carry a type prefix that some resources validate (sg-, vpc-, subnet-).
  const prefixes: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
  };
  const prefix = prefixes[args.type];
  return prefix ? `${prefix}${hash(args.name, 17)}` : `${args.name}-id`;
}

function awsArn(args: pulumi.runtime.MockResourceArgs): string {
  const service = args.type.split(":")[1].split("/")[0];
  const region = service === "iam" ? "" : MOCK_AWS.region;
  return `arn:${MOCK_AWS.partition}:${service}:${region}:${MOCK_AWS.accountId}:${args.name}`;
}

/** IAM names an OIDC provider by its issuer URL without the scheme. */
function oidcProviderArn(url: string): string {
  return `arn:${MOCK_AWS.partition}:iam::${MOCK_AWS.accountId}:oidc-provider/${url.replace(/^https:\/\//, "")}`;
}

function extraState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, any>;
  const storeResource = STORE_MOCKS.resources[args.type];
  if (storeResource) return storeResource(args, MOCK_WORLD);
  switch (args.type) {
    case "random:index/randomId:RandomId": {
      const bytes = Number(inputs.byteLength ?? 8);
      return { hex: hash(`mock-id:${args.name}`, bytes * 2) };
    }
    case "aws:eks/cluster:Cluster": {
      const id = hash(args.name, 32).toUpperCase();
      return {
        arn: awsArn(args),
        // The provider autonames the cluster; the mocks stand in for it.
        name: inputs.name ?? args.name,
        endpoint: `https://${id}.gr7.${MOCK_AWS.region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`mock-ca:${args.name}`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${MOCK_AWS.region}.amazonaws.com/id/${id}` }] }],
        vpcConfig: { ...(inputs.vpcConfig ?? {}), clusterSecurityGroupId: `sg-${hash(`${args.name}-cluster`, 17)}` },
        version: inputs.version ?? "1.31",
      };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return { arn: oidcProviderArn(String(inputs.url)) };
    case "aws:iam/role:Role":
      return { arn: `arn:${MOCK_AWS.partition}:iam::${MOCK_AWS.accountId}:role/${inputs.name ?? args.name}`, name: inputs.name ?? args.name };
    // The provider autonames these; ARNs take the shapes IAM policies and autoscaling ids are built from.
    case "aws:ecs/cluster:Cluster":
      return { arn: `arn:${MOCK_AWS.partition}:ecs:${MOCK_AWS.region}:${MOCK_AWS.accountId}:cluster/${inputs.name ?? args.name}`, name: inputs.name ?? args.name };
    case "aws:ecs/service:Service":
      return { name: inputs.name ?? args.name };
    case "aws:ssm/parameter:Parameter":
      return { arn: `arn:${MOCK_AWS.partition}:ssm:${MOCK_AWS.region}:${MOCK_AWS.accountId}:parameter/${inputs.name ?? args.name}`, name: inputs.name ?? args.name };
    case "aws:ecs/taskDefinition:TaskDefinition":
      return { arn: `arn:${MOCK_AWS.partition}:ecs:${MOCK_AWS.region}:${MOCK_AWS.accountId}:task-definition/${inputs.family}:1`, revision: 1 };
    case "aws:s3/bucket:Bucket": {
      // S3 appends a unique suffix to a prefix; bucket ARNs carry neither region nor account.
      const bucket = inputs.bucket ?? `${inputs.bucketPrefix ?? args.name}${hash(args.name, 26)}`.slice(0, 63);
      return { bucket, arn: `arn:${MOCK_AWS.partition}:s3:::${bucket}`, region: MOCK_AWS.region };
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:${MOCK_AWS.partition}:logs:${MOCK_AWS.region}:${MOCK_AWS.accountId}:log-group:${inputs.name ?? args.name}`, name: inputs.name ?? args.name };
    // Secrets Manager names every stored value with a UUID.
    case "aws:secretsmanager/secretVersion:SecretVersion": {
      const id = hash(`mock-version:${args.name}`, 32);
      return { arn: awsArn(args), versionId: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}` };
    }
    case "aws:lb/loadBalancer:LoadBalancer":
      return { arn: awsArn(args), dnsName: `${args.name}-${hash(args.name, 10)}.elb.${MOCK_AWS.region}.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K" };
    // Azure resources whose names and endpoints the kit reads back; the provider fills them in.
    case "azure-native:resources:ResourceGroup":
      // The provider autonames the group; the mocks stand in with the resource name.
      return { name: inputs.resourceGroupName ?? args.name };
    case "azure-native:keyvault:Vault": {
      const vaultName = inputs.vaultName ?? args.name;
      return { name: vaultName, properties: { ...(inputs.properties ?? {}), vaultUri: `https://${vaultName}.vault.azure.net/` } };
    }
    case "azure-native:storage:StorageAccount": {
      const accountName = inputs.accountName ?? args.name;
      return { name: accountName, primaryEndpoints: { blob: `https://${accountName}.blob.core.windows.net/`, dfs: `https://${accountName}.dfs.core.windows.net/` } };
    }
    case "azure-native:storage:BlobContainer":
      return { name: inputs.containerName ?? args.name };
    // The Azure network and AKS resources the kit reads names and addresses back from.
    case "azure-native:network:VirtualNetwork":
      return { name: inputs.virtualNetworkName ?? args.name };
    case "azure-native:network:Subnet":
      return { name: inputs.subnetName ?? args.name };
    case "azure-native:privatedns:PrivateZone":
      return { name: inputs.privateZoneName ?? args.name };
    case "azure-native:managedidentity:UserAssignedIdentity": {
      const identityName = inputs.resourceName ?? args.name;
      return { name: identityName, clientId: mockGuid(`client:${identityName}`), principalId: mockGuid(`principal:${identityName}`), tenantId: MOCK_AZURE_CLIENT.tenantId };
    }
    case "azure-native:containerservice:ManagedCluster":
      return mockAksCluster(inputs.resourceName ?? args.name, String(inputs.resourceGroupName), String(inputs.location), inputs);
    default:
      return args.type.startsWith("aws:") && inputs.arn === undefined ? { arn: awsArn(args) } : {};
  }
}

function callResult(args: pulumi.runtime.MockCallArgs): Record<string, unknown> | undefined {
  const inputs = args.inputs as Record<string, any>;
  const storeCall = STORE_MOCKS.calls[args.token];
  if (storeCall) return storeCall(args, MOCK_WORLD);
  switch (args.token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        id: MOCK_AWS.region,
        names: [...MOCK_AWS.availabilityZones],
        zoneIds: MOCK_AWS.availabilityZones.map((_, index) => `use1-az${index + 1}`),
        state: "available",
      };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: MOCK_AWS.accountId,
        accountId: MOCK_AWS.accountId,
        arn: `arn:${MOCK_AWS.partition}:iam::${MOCK_AWS.accountId}:user/temporal-kit-synth`,
        userId: "AIDAMOCKTEMPORALKIT",
      };
    case "aws:index/getPartition:getPartition":
      return { id: MOCK_AWS.partition, partition: MOCK_AWS.partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getRegion:getRegion":
      return { id: MOCK_AWS.region, name: MOCK_AWS.region, region: MOCK_AWS.region, endpoint: `ec2.${MOCK_AWS.region}.amazonaws.com` };
    case "aws:s3/getBucket:getBucket":
      // An existing bucket in another region than the stack's, as a shared archive bucket may be.
      return { id: inputs.bucket, bucket: inputs.bucket, arn: `arn:${MOCK_AWS.partition}:s3:::${inputs.bucket}`, region: "us-west-2" };
    case "aws:eks/getCluster:getCluster": {
      const id = hash(inputs.name, 32).toUpperCase();
      return {
        id: inputs.name,
        name: inputs.name,
        arn: `arn:${MOCK_AWS.partition}:eks:${MOCK_AWS.region}:${MOCK_AWS.accountId}:cluster/${inputs.name}`,
        endpoint: `https://${id}.gr7.${MOCK_AWS.region}.eks.amazonaws.com`,
        certificateAuthorities: [{ data: Buffer.from(`mock-ca:${inputs.name}`).toString("base64") }],
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${MOCK_AWS.region}.amazonaws.com/id/${id}` }] }],
        vpcConfig: { clusterSecurityGroupId: `sg-${hash(`${inputs.name}-cluster`, 17)}`, vpcId: MOCK_AWS.existingClusterVpcId, subnetIds: [] },
        version: "1.31",
        status: "ACTIVE",
      };
    }
    case "aws:eks/getAddonVersion:getAddonVersion": {
      const version = MOCK_EKS_ADDON_VERSIONS[inputs.addonName];
      if (!version) throw new Error(`mock EKS: no add-on named ${inputs.addonName}`);
      return { id: inputs.addonName, addonName: inputs.addonName, kubernetesVersion: inputs.kubernetesVersion, mostRecent: inputs.mostRecent ?? false, version };
    }
    case "aws:eks/getAddon:getAddon": {
      // An existing cluster that runs every add-on the kit relies on as an EKS add-on, vpc-cni enforcing NetworkPolicies.
      const version = MOCK_EKS_ADDON_VERSIONS[inputs.addonName];
      if (!version) throw new Error(`reading EKS Add-On (${inputs.clusterName}:${inputs.addonName}): couldn't find resource`);
      return {
        id: `${inputs.clusterName}:${inputs.addonName}`,
        addonName: inputs.addonName,
        clusterName: inputs.clusterName,
        addonVersion: version,
        arn: `arn:${MOCK_AWS.partition}:eks:${MOCK_AWS.region}:${MOCK_AWS.accountId}:addon/${inputs.clusterName}/${inputs.addonName}/${hash(inputs.addonName, 8)}`,
        configurationValues: inputs.addonName === "vpc-cni" ? JSON.stringify({ enableNetworkPolicy: "true" }) : "",
        serviceAccountRoleArn: "",
        podIdentityAssociations: [],
        createdAt: "2025-01-01T00:00:00Z",
        modifiedAt: "2025-01-01T00:00:00Z",
        tags: {},
      };
    }
    case "aws:ec2/getVpc:getVpc":
      // An existing VPC: a plausible private range, so rules built from it resolve.
      return { id: inputs.id, arn: `arn:${MOCK_AWS.partition}:ec2:${MOCK_AWS.region}:${MOCK_AWS.accountId}:vpc/${inputs.id}`, cidrBlock: "10.20.0.0/16", state: "available" };
    case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": {
      // Looked up by issuer URL: an existing cluster's provider, as IAM registered it.
      const url = String(inputs.url ?? "");
      return { id: oidcProviderArn(url), arn: oidcProviderArn(url), url: url.replace(/^https:\/\//, ""), clientIdLists: ["sts.amazonaws.com"], thumbprintLists: [], tags: {} };
    }
    case "azure-native:authorization:getClientConfig":
      return { ...MOCK_AZURE_CLIENT };
    case "azure-native:containerservice:getManagedCluster": {
      // An existing cluster with the OIDC issuer and workload identity on, as the kit requires, its one
      // pool in subnet "nodes" of the network "<cluster>-vnet" in the cluster's resource group (Azure
      // CNI Overlay, AKS's default pod and Service ranges); fixtures declare that network.
      const clusterName = String(inputs.resourceName);
      const resourceGroupName = String(inputs.resourceGroupName);
      return mockAksCluster(clusterName, resourceGroupName, "westeurope", {
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        agentPoolProfiles: [{ name: "system", mode: "System", vnetSubnetID: `${mockVnetId(resourceGroupName, `${clusterName}-vnet`)}/subnets/nodes` }],
        networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", podCidr: "10.244.0.0/16", serviceCidr: "10.0.0.0/16" },
      });
    }
    case "azure-native:network:getVirtualNetwork":
      // An existing network (a deployer's, an existing cluster's) on a range no kit network takes, with Azure's DNS.
      return {
        id: mockVnetId(String(inputs.resourceGroupName), String(inputs.virtualNetworkName)),
        name: inputs.virtualNetworkName,
        addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
        dhcpOptions: { dnsServers: [] },
      };
    case "azure-native:network:getSubnet":
      // An existing cluster's subnet, with the service endpoints a platform team would have turned on.
      return {
        id: `${mockVnetId(String(inputs.resourceGroupName), String(inputs.virtualNetworkName))}/subnets/${inputs.subnetName}`,
        name: inputs.subnetName,
        serviceEndpoints: ["Microsoft.Storage", "Microsoft.KeyVault", "Microsoft.AzureCosmosDB"].map((service) => ({ service, locations: ["westeurope"], provisioningState: "Succeeded" })),
      };
    case "azure-native:containerservice:listManagedClusterUserCredentials":
      return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(mockAksKubeconfig(String(inputs.resourceName))).toString("base64") }] };
    default:
      return undefined;
  }
}

/** The ARM id of a virtual network in the mock subscription. */
export function mockVnetId(resourceGroupName: string, virtualNetworkName: string): string {
  return `/subscriptions/${MOCK_AZURE_CLIENT.subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${virtualNetworkName}`;
}

/** A GUID derived from `text`, for principal and tenant ids that must look like Entra's. */
function mockGuid(text: string): string {
  const hex = hash(text, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What AKS reports for a cluster: its addresses, node resource group, issuer and identity. */
function mockAksCluster(clusterName: string, resourceGroupName: string, location: string, inputs: Record<string, any>): Record<string, unknown> {
  const fqdn = `${clusterName}-${hash(clusterName, 8)}.hcp.${location}.azmk8s.io`;
  return {
    name: clusterName,
    fqdn,
    // With privateDNSZone "system", AKS names the API server in a zone of its own: <guid>.privatelink.<region>.azmk8s.io.
    privateFQDN: `${clusterName}-${hash(clusterName, 8)}.${mockGuid(`zone:${clusterName}`)}.privatelink.${location}.azmk8s.io`,
    ...(inputs.agentPoolProfiles ? { agentPoolProfiles: inputs.agentPoolProfiles } : {}),
    ...(inputs.networkProfile ? { networkProfile: inputs.networkProfile } : {}),
    nodeResourceGroup: inputs.nodeResourceGroup ?? `MC_${resourceGroupName}_${clusterName}_${location}`,
    oidcIssuerProfile: { ...(inputs.oidcIssuerProfile ?? {}), issuerURL: `https://${location}.oic.prod-aks.azure.com/${MOCK_AZURE_CLIENT.tenantId}/${mockGuid(clusterName)}/` },
    securityProfile: inputs.securityProfile ?? {},
    identity: { ...(inputs.identity ?? { type: "SystemAssigned" }), principalId: mockGuid(`identity:${clusterName}`), tenantId: MOCK_AZURE_CLIENT.tenantId },
    provisioningState: "Succeeded",
  };
}

/** The kubeconfig AKS hands out for a cluster with local accounts: a client certificate for its API server. */
export function mockAksKubeconfig(clusterName: string): string {
  const cert = (kind: string) => Buffer.from(`mock-${kind}:${clusterName}`).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${clusterName}`,
    "  cluster:",
    `    server: https://${clusterName}-${hash(clusterName, 8)}.hcp.westeurope.azmk8s.io:443`,
    `    certificate-authority-data: ${cert("ca")}`,
    "contexts:",
    `- name: ${clusterName}`,
    "  context:",
    `    cluster: ${clusterName}`,
    `    user: clusterUser_${clusterName}`,
    `current-context: ${clusterName}`,
    "users:",
    `- name: clusterUser_${clusterName}`,
    "  user:",
    `    client-certificate-data: ${cert("client-certificate")}`,
    `    client-key-data: ${cert("client-key")}`,
    "",
  ].join("\n");
}
