import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../components/config/parse";
import { PRESETS } from "../../components/config/presets";
import { peakReplicasOf } from "../../components/config/roleConfig";
import { configProblems } from "../helpers/configProblems";

const SOURCE = "stacks/Pulumi.test.yaml";

const problemsOf = (raw: Record<string, unknown>) => configProblems(raw, SOURCE);

describe("frontend autoscaling config", () => {
  it("is off in dev and on in staging and production, between 2-4 and 3-8 pods at 70% CPU", () => {
    expect(PRESETS.dev.roles.frontend.autoscaling).toMatchObject({ enabled: false });
    expect(PRESETS.staging.roles.frontend.autoscaling).toEqual({ enabled: true, minReplicas: 2, maxReplicas: 4, targetCpuUtilization: 70 });
    expect(PRESETS.production.roles.frontend.autoscaling).toEqual({ enabled: true, minReplicas: 3, maxReplicas: 8, targetCpuUtilization: 70 });
  });

  it("can be turned off key by key from a stack file", () => {
    const config = parseStackConfig({ environment: "production", roles: { frontend: { autoscaling: { enabled: false } } } }, SOURCE);
    expect(config.roles.frontend.autoscaling).toMatchObject({ enabled: false, minReplicas: 3 });
  });

  it("refuses replicas outside the bounds", () => {
    expect(problemsOf({ environment: "staging", roles: { frontend: { replicas: 6 } } })).toEqual([
      {
        key: "roles.frontend.autoscaling",
        given: { minReplicas: 2, replicas: 6, maxReplicas: 4 },
        allowed: "must satisfy minReplicas <= roles.frontend.replicas <= maxReplicas",
      },
    ]);
  });

  it("refuses a minimum below 2 in production", () => {
    const problems = problemsOf({ environment: "production", roles: { frontend: { replicas: 3, autoscaling: { minReplicas: 1 } } } });
    expect(problems).toEqual([
      { key: "roles.frontend.autoscaling.minReplicas", given: 1, allowed: "must be at least 2 in production so that one pod can be lost or rolled" },
    ]);
  });

  it("ignores the bounds while autoscaling is off", () => {
    expect(() => parseStackConfig({ environment: "dev", roles: { frontend: { replicas: 5 } } }, SOURCE)).not.toThrow();
  });

  it("refuses a CPU target outside 10-95%", () => {
    expect(problemsOf({ environment: "staging", roles: { frontend: { autoscaling: { targetCpuUtilization: 99 } } } }).map((problem) => problem.key)).toEqual([
      "roles.frontend.autoscaling.targetCpuUtilization",
    ]);
  });

  it("is not a key of any other role: history and matching own shards and partitions", () => {
    expect(problemsOf({ environment: "staging", roles: { history: { autoscaling: { enabled: true } } } }).map((problem) => problem.key)).toEqual([
      "roles.history.autoscaling",
    ]);
  });

  it("sizes the SQL connection budget for the frontend's autoscaling ceiling", () => {
    expect(peakReplicasOf(PRESETS.production, "frontend")).toBe(8);
    expect(peakReplicasOf(PRESETS.production, "history")).toBe(3);
    expect(peakReplicasOf(PRESETS.dev, "frontend")).toBe(1);
  });
});

describe("history sizing config", () => {
  it("refuses more history replicas than shards", () => {
    expect(problemsOf({ environment: "dev", roles: { history: { replicas: 8 } } })).toEqual([
      {
        key: "roles.history.replicas",
        given: 8,
        allowed: "must be at most temporal.numHistoryShards (4): a history pod without a shard does no work",
      },
    ]);
  });

  it("refuses a history memory limit too small for the shards each pod holds", () => {
    const problems = problemsOf({
      environment: "production",
      temporal: { numHistoryShards: 4096 },
      roles: { history: { replicas: 3, resources: { requests: { cpu: "2", memory: "2Gi" }, limits: { memory: "2Gi" } } } },
    });
    expect(problems).toEqual([
      {
        key: "roles.history.resources.limits.memory",
        given: "2Gi",
        allowed:
          "must be at least 3328Mi for 4096 shards on 3 history pods: with one pod down each of the others holds 2048, " +
          "at 256Mi + 1.5Mi per shard; set it to 3328Mi or roles.history.replicas to 5",
      },
    ]);
  });
});
