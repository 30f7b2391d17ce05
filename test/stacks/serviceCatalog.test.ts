import { describe, expect, inject, it } from "vitest";
import { flexibleServerSkuProblem, managedCassandraSkuProblem, type FlexibleTier } from "../../components/config/azureSkus";
import { aksVersionProblem, eksVersionProblem } from "../../components/config/kubernetesVersions";
import { rdsEngineVersionProblem } from "../../components/stores/rds/rdsEngineVersions";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { readSynthOutput } from "../helpers/synthRuns";

/**
 * The engine versions, compute sizes and Kubernetes versions the synthesized stacks would ask the
 * clouds for, checked against what the services create (components/stores/rds/rdsEngineVersions.ts,
 * azureSkus.ts and kubernetesVersions.ts): Pulumi's mocks take any string, and AWS or Azure refuse
 * an RDS or EKS version they no longer create, an AKS version past community support on the kit's
 * tiers or a size a database service does not sell only once the deploy reaches them. An EKS
 * cluster in paid extended support passes in dev only, as the config rules have it.
 */
const TYPES = {
  rds: "aws:rds/instance:Instance",
  mysql: "azure-native:dbformysql:Server",
  postgres: "azure-native:dbforpostgresql:Server",
  cassandra: "azure-native:cosmosdb:CassandraDataCenter",
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  aksCluster: "azure-native:containerservice:ManagedCluster",
} as const;

const RDS_ENGINES = { mysql: "mysql8", postgres: "postgres12" } as const;
const TIERS: FlexibleTier[] = ["Burstable", "GeneralPurpose", "MemoryOptimized"];

/** What each checked resource of a stack in `environment` asks for that its service does not offer. */
function refused(resources: ResourceRecord[], environment: string): string[] {
  return resources.flatMap((record) => {
    const inputs = record.inputs as Record<string, unknown>;
    const problem = (() => {
      switch (record.type) {
        case TYPES.rds: {
          const engine = RDS_ENGINES[inputs.engine as keyof typeof RDS_ENGINES];
          if (!engine) return `engine ${JSON.stringify(inputs.engine)} is neither mysql nor postgres`;
          return rdsEngineVersionProblem(engine, String(inputs.engineVersion));
        }
        case TYPES.mysql:
        case TYPES.postgres: {
          const sku = inputs.sku as { name?: unknown; tier?: unknown } | undefined;
          const tier = TIERS.find((candidate) => candidate === sku?.tier);
          if (!tier) return `tier ${JSON.stringify(sku?.tier)} is not one of ${TIERS.join(", ")}`;
          return flexibleServerSkuProblem(record.type === TYPES.mysql ? "mysql" : "postgres", tier, String(sku?.name));
        }
        case TYPES.cassandra:
          return managedCassandraSkuProblem(String((inputs.properties as { sku?: unknown } | undefined)?.sku));
        // Only a cluster the kit creates is a resource; an existing one is looked up.
        case TYPES.eksCluster:
        case TYPES.eksNodeGroup:
          return eksVersionProblem(String(inputs.version), environment);
        case TYPES.aksCluster: {
          const pools = (inputs.agentPoolProfiles as { name?: unknown; orchestratorVersion?: unknown }[] | undefined) ?? [];
          const versions: [string, unknown][] = [["kubernetesVersion", inputs.kubernetesVersion], ...pools.map((pool): [string, unknown] => [`node pool ${String(pool.name)}`, pool.orchestratorVersion])];
          return versions
            .map(([what, version]) => [what, aksVersionProblem(String(version))])
            .filter(([, problem]) => problem)
            .map(([what, problem]) => `${what}: ${problem}`)
            .join("; ") || undefined;
        }
        default:
          return undefined;
      }
    })();
    return problem ? [`${record.type} ${record.name}: ${problem}`] : [];
  });
}

const runs = inject("synthRuns").filter((run) => !run.label.endsWith("invalid"));

describe("engine versions, compute sizes and Kubernetes versions the services offer", () => {
  it("finds an RDS instance, both Flexible Servers, a managed Cassandra data center, an EKS cluster with its node group and an AKS cluster to check", () => {
    const checked = new Set(runs.flatMap((run) => readSynthOutput(run).resources).map((record) => record.type));
    for (const type of Object.values(TYPES)) expect(checked).toContain(type);
  });

  it("checks kit-made clusters outside dev, where extended support is refused", () => {
    const outputs = runs.map((run) => readSynthOutput(run));
    const environmentsWith = (type: string) => new Set(outputs.filter((output) => output.resources.some((record) => record.type === type)).map((output) => output.outputs.environment));
    expect(environmentsWith(TYPES.eksCluster)).toContain("production");
    expect(environmentsWith(TYPES.aksCluster)).toContain("production");
  });

  it.each(runs.map((run) => run.label))("%s: asks for versions and sizes the services create", (label) => {
    const output = readSynthOutput(runs.find((run) => run.label === label)!);
    expect(refused(output.resources, String(output.outputs.environment))).toEqual([]);
  });

  const record = (type: string, name: string, inputs: Record<string, unknown>): ResourceRecord => ({ urn: "", type, name, parent: null, custom: true, dependsOn: [], provider: null, inputs });

  it("would have caught PostgreSQL 16.4 on RDS, Standard_D4ds_v5 on MySQL and D-series Cassandra nodes", () => {
    const problems = refused(
      [
        record(TYPES.rds, "temporal-db", { engine: "postgres", engineVersion: "16.4" }),
        record(TYPES.mysql, "temporal-azure-db-server", { sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" } }),
        record(TYPES.postgres, "temporal-azure-visibility-db-server", { sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" } }),
        record(TYPES.cassandra, "temporal-azure-cassandra-dc", { properties: { sku: "Standard_D8s_v5" } }),
      ],
      "production",
    );
    expect(problems).toEqual([
      expect.stringMatching(/^aws:rds\/instance:Instance temporal-db: must be the major version 16 without a minor/),
      expect.stringMatching(/^azure-native:dbformysql:Server temporal-azure-db-server: must be one of the GeneralPurpose sizes Azure Database for MySQL Flexible Server offers/),
      expect.stringMatching(/^azure-native:cosmosdb:CassandraDataCenter temporal-azure-cassandra-dc: must be one of the VM sizes/),
    ]);
  });

  it("would have caught the old 1.33 presets: EKS extended support outside dev, AKS past its end of life everywhere", () => {
    const clusters = [
      record(TYPES.eksCluster, "temporal-eks-cluster", { version: "1.33" }),
      record(TYPES.eksNodeGroup, "temporal-eks-nodes", { version: "1.33" }),
      record(TYPES.aksCluster, "temporal-aks-cluster", { kubernetesVersion: "1.33", agentPoolProfiles: [{ name: "system", orchestratorVersion: "1.33" }] }),
    ];
    expect(refused(clusters, "staging")).toEqual([
      expect.stringMatching(/^aws:eks\/cluster:Cluster temporal-eks-cluster: must be one of the Kubernetes versions under EKS standard support: 1\.35, 1\.36 .*EKS 1\.33 left standard support on 2026-07-29/),
      expect.stringMatching(/^aws:eks\/nodeGroup:NodeGroup temporal-eks-nodes: must be one of the Kubernetes versions under EKS standard support/),
      expect.stringMatching(/^azure-native:containerservice:ManagedCluster temporal-aks-cluster: kubernetesVersion: must be one of .*AKS 1\.33 reached its end of life on 2026-07-31.*; node pool system: must be one of /),
    ]);
    expect(refused(clusters, "dev")).toEqual([expect.stringMatching(/^azure-native:containerservice:ManagedCluster temporal-aks-cluster: kubernetesVersion: /)]);
  });
});
