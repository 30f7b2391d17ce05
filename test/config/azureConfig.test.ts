import { describe, expect, it } from "vitest";
import { MAX_AUTHORIZED_IP_RANGES } from "../../components/config/azureSchema";
import { parseStackConfig } from "../../components/config/parse";
import { presetFor } from "../../components/config/presets";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.aks.yaml";

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE).map(({ key, allowed }) => ({ key, allowed }));

const deployerNetwork = { resourceGroupName: "ci-runners-rg", virtualNetworkName: "ci-runners-vnet" };
const clusterNetwork = { resourceGroupName: "platform-rg", virtualNetworkName: "platform-vnet", subnetNames: ["nodes", "pods"] };
const existing = { mode: "existing", resourceGroupName: "platform-rg", clusterName: "platform-aks" };

/** An AKS stack of the environment, with `aks` laid over the preset's cluster and `extra` over the rest. */
const onAks = (environment: string, aks: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  environment,
  platform: "azure-aks",
  persistence: { hosting: "azure-mysql" },
  azure: { aks },
  ...extra,
});
/** An existing cluster whose stores all live in it, so the kit creates nothing the cluster reaches over Azure networking. */
const existingInCluster = (aks: Record<string, unknown>, extra: Record<string, unknown> = {}) => onAks("staging", { ...existing, ...aks }, { persistence: { hosting: "in-cluster" }, ...extra });

describe("how the deployer reaches a created AKS cluster's API server", () => {
  it("keeps the production preset's API server private, reached from the deployer's network", () => {
    const config = parseStackConfig(onAks("production", { deployerNetwork }), SOURCE);
    expect(config.azure?.aks).toEqual({ ...presetFor("production", "azure-aks").config.azure!.aks, privateCluster: true, deployerNetwork });
  });

  it("accepts a public API server restricted to the deployer's ranges in production", () => {
    const config = parseStackConfig(onAks("production", { privateCluster: false, authorizedIpRanges: ["203.0.113.0/24", "198.51.100.7/32"] }), SOURCE);
    expect(config.azure?.aks).toMatchObject({ privateCluster: false, authorizedIpRanges: ["203.0.113.0/24", "198.51.100.7/32"] });
  });

  it("leaves the dev and staging API servers public and unrestricted, which any deployer reaches", () => {
    for (const environment of ["dev", "staging"]) {
      const aks = parseStackConfig(onAks(environment, {}), SOURCE).azure?.aks;
      expect(aks, environment).toMatchObject({ mode: "create", privateCluster: false });
      expect(aks, environment).not.toHaveProperty("authorizedIpRanges");
      expect(aks, environment).not.toHaveProperty("deployerNetwork");
    }
  });
});

describe("an existing AKS cluster's network", () => {
  it("is taken as declared when the kit creates stores the cluster reaches", () => {
    const config = parseStackConfig(
      onAks("staging", { ...existing, network: clusterNetwork }, { persistence: { hosting: "azure-cosmos-cassandra" }, visibility: { store: "sql-server", server: { hosting: "azure-mysql" } } }),
      SOURCE,
    );
    expect(config.azure?.aks).toEqual({ ...existing, network: clusterNetwork });
  });

  it("is not needed when every store runs in the cluster", () => {
    expect(parseStackConfig(existingInCluster({}), SOURCE).azure?.aks).toEqual(existing);
  });
});

// Each row: what is wrong, the key the message must name, fragments of the message, the stack file.
const bad: [string, string, string[], Record<string, unknown>][] = [
  [
    "a private API server without the deployer's network (the production preset)",
    "azure.aks.deployerNetwork",
    ["is required with privateCluster: true", "cannot reach on the first deployment", "privateCluster: false with authorizedIpRanges"],
    onAks("production", {}),
  ],
  ["a private API server without the deployer's network in staging", "azure.aks.deployerNetwork", ["is required with privateCluster: true"], onAks("staging", { privateCluster: true })],
  ["the deployer's network beside a public API server", "azure.aks.deployerNetwork", ["is only used with privateCluster: true"], onAks("staging", { deployerNetwork })],
  ["authorized ranges on a private API server", "azure.aks.authorizedIpRanges", ["must be left out with privateCluster: true"], onAks("production", { deployerNetwork, authorizedIpRanges: ["203.0.113.0/24"] })],
  ["an authorized range with host bits set", "azure.aks.authorizedIpRanges[1]", ["must start at the first address of its block", "203.0.113.0/24"], onAks("staging", { authorizedIpRanges: ["198.51.100.7/32", "203.0.113.9/24"] })],
  ["an authorized range that is no address", "azure.aks.authorizedIpRanges[0]", ["must be an IPv4 CIDR block"], onAks("staging", { authorizedIpRanges: ["203.0.113.300/32"] })],
  ["an empty list of authorized ranges", "azure.aks.authorizedIpRanges", ["must list at least one range, or be left out"], onAks("staging", { authorizedIpRanges: [] })],
  [
    "more authorized ranges than AKS takes",
    "azure.aks.authorizedIpRanges",
    [`must list at most ${MAX_AUTHORIZED_IP_RANGES} ranges, AKS's limit`],
    onAks("staging", { authorizedIpRanges: Array.from({ length: MAX_AUTHORIZED_IP_RANGES + 1 }, (_, index) => `203.0.${Math.floor(index / 256)}.${index % 256}/32`) }),
  ],
  ["a deployer's network that is no virtual network name", "azure.aks.deployerNetwork.virtualNetworkName", ["must be an Azure virtual network name"], onAks("production", { deployerNetwork: { ...deployerNetwork, virtualNetworkName: "-runners" } })],
  ["a deployer's network given by id", "azure.aks.deployerNetwork.id", ["is not a known key here"], onAks("production", { deployerNetwork: { ...deployerNetwork, id: "/subscriptions/x" } })],
  [
    "an existing cluster without its network beside an Azure default store",
    "azure.aks.network",
    ["is required with azure.aks.mode: existing when the kit creates the default store (azure-mysql)", "resourceGroupName, virtualNetworkName, subnetNames", "peered"],
    onAks("staging", existing),
  ],
  [
    "an existing cluster without its network beside Cosmos DB and an Azure visibility server",
    "azure.aks.network",
    ["the default store (azure-cosmos-cassandra) and the visibility server (azure-mysql)"],
    onAks("staging", existing, { persistence: { hosting: "azure-cosmos-cassandra" }, visibility: { store: "sql-server", server: { hosting: "azure-mysql" } } }),
  ],
  [
    "an existing cluster without its network beside an Azure visibility server alone",
    "azure.aks.network",
    ["the visibility server (azure-postgres)"],
    onAks("staging", existing, { persistence: { hosting: "in-cluster-cassandra" }, visibility: { store: "sql-server", server: { hosting: "azure-postgres" } } }),
  ],
  ["an existing cluster without its network beside archive storage", "azure.aks.network", ["the archive storage account"], existingInCluster({}, { archival: { enabled: true } })],
  ["an existing cluster's network that nothing uses", "azure.aks.network", ["is only used when the kit creates an Azure store or archive storage"], existingInCluster({ network: clusterNetwork })],
  ["an existing cluster's network without subnets", "azure.aks.network.subnetNames", ["must list the subnet(s) the cluster's node pools use"], onAks("staging", { ...existing, network: { ...clusterNetwork, subnetNames: [] } })],
  ["an existing cluster's subnet that is no subnet name", "azure.aks.network.subnetNames[0]", ["must be an Azure subnet name"], onAks("staging", { ...existing, network: { ...clusterNetwork, subnetNames: ["nodes/0"] } })],
  ["a created cluster's keys on an existing one", "azure.aks.deployerNetwork", ["is not a known key here"], onAks("staging", { ...existing, network: clusterNetwork, deployerNetwork })],
];

describe("invalid AKS access and network config", () => {
  it.each(bad)("refuses %s, naming %s", (_, key, fragments, raw) => {
    const problems = problemsOf(raw);
    const problem = problems.find((candidate) => candidate.key === key);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    for (const fragment of fragments) expect(problem!.allowed).toContain(fragment);
  });
});
