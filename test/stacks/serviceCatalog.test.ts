import { describe, expect, inject, it } from "vitest";
import { flexibleServerSkuProblem, managedCassandraSkuProblem, type FlexibleTier } from "../../components/config/azureSkus";
import { rdsEngineVersionProblem } from "../../components/config/rdsEngineVersions";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { readSynthOutput } from "../helpers/synthRuns";

/**
 * The engine versions and compute sizes the synthesized stacks would ask the clouds for, checked
 * against what the services create (components/config/rdsEngineVersions.ts and azureSkus.ts):
 * Pulumi's mocks take any string, and AWS or Azure refuse an RDS version they no longer create or a
 * size a database service does not sell only once the deploy reaches them.
 */
const TYPES = {
  rds: "aws:rds/instance:Instance",
  mysql: "azure-native:dbformysql:Server",
  postgres: "azure-native:dbforpostgresql:Server",
  cassandra: "azure-native:cosmosdb:CassandraDataCenter",
} as const;

const RDS_ENGINES = { mysql: "mysql8", postgres: "postgres12" } as const;
const TIERS: FlexibleTier[] = ["Burstable", "GeneralPurpose", "MemoryOptimized"];

/** What each checked resource asks for that its service does not offer. */
function refused(resources: ResourceRecord[]): string[] {
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
        default:
          return undefined;
      }
    })();
    return problem ? [`${record.type} ${record.name}: ${problem}`] : [];
  });
}

const runs = inject("synthRuns").filter((run) => !run.label.endsWith("invalid"));

describe("engine versions and compute sizes the services offer", () => {
  it("finds an RDS instance, both Flexible Servers and a managed Cassandra data center to check", () => {
    const checked = new Set(runs.flatMap((run) => readSynthOutput(run).resources).map((record) => record.type));
    for (const type of Object.values(TYPES)) expect(checked).toContain(type);
  });

  it.each(runs.map((run) => run.label))("%s: asks for versions and sizes the services create", (label) => {
    expect(refused(readSynthOutput(runs.find((run) => run.label === label)!).resources)).toEqual([]);
  });

  it("would have caught PostgreSQL 16.4 on RDS, Standard_D4ds_v5 on MySQL and D-series Cassandra nodes", () => {
    const record = (type: string, name: string, inputs: Record<string, unknown>): ResourceRecord => ({ urn: "", type, name, parent: null, custom: true, dependsOn: [], provider: null, inputs });
    const problems = refused([
      record(TYPES.rds, "temporal-db", { engine: "postgres", engineVersion: "16.4" }),
      record(TYPES.mysql, "temporal-azure-db-server", { sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" } }),
      record(TYPES.postgres, "temporal-azure-visibility-db-server", { sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" } }),
      record(TYPES.cassandra, "temporal-azure-cassandra-dc", { properties: { sku: "Standard_D8s_v5" } }),
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^aws:rds\/instance:Instance temporal-db: must be the major version 16 without a minor/),
      expect.stringMatching(/^azure-native:dbformysql:Server temporal-azure-db-server: must be one of the GeneralPurpose sizes Azure Database for MySQL Flexible Server offers/),
      expect.stringMatching(/^azure-native:cosmosdb:CassandraDataCenter temporal-azure-cassandra-dc: must be one of the VM sizes/),
    ]);
  });
});
