import { describe, expect, it } from "vitest";
import { clusterConfig } from "../../components/config/clusterConfig";
import { StackConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/parse";

describe("clusterConfig, the typed arguments a library user builds a cluster from", () => {
  it("gives what the same keys in a stack file give: the preset overlaid and validated", () => {
    const keys = { environment: "staging", clusterName: "orders", temporal: { numHistoryShards: 128 } } as const;
    expect(clusterConfig(keys)).toEqual(parseStackConfig({ ...keys }, "stacks/Pulumi.staging.yaml"));
  });

  it("keeps the preset's values for everything left out", () => {
    const config = clusterConfig({ environment: "dev", kubernetes: { namespace: "orders" } });
    expect(config.kubernetes).toMatchObject({ namespace: "orders", createNamespace: true });
    expect(config.roles.history.replicas).toBe(clusterConfig({ environment: "dev" }).roles.history.replicas);
  });

  it("refuses an invalid key with its path and the source named in the message", () => {
    let error: unknown;
    try {
      clusterConfig({ environment: "dev", clusterName: "Not_A_Label" }, "infra/temporal.ts");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems.map((problem) => problem.key)).toEqual(["clusterName"]);
    expect((error as StackConfigError).message).toContain("infra/temporal.ts: temporal-kit:clusterName: given \"Not_A_Label\"");
  });

  it("refuses a key the kit does not know, which only an untyped caller can pass", () => {
    const untyped = { environment: "dev", kubernetes: { namespaec: "orders" } } as unknown as Parameters<typeof clusterConfig>[0];
    expect(() => clusterConfig(untyped)).toThrow(/temporal-kit:kubernetes\.namespaec: .*is not a known key here/);
  });
});
