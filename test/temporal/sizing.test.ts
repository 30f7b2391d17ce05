import { describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import { ENVIRONMENTS } from "../../components/config/schema";
import { goMemoryLimit, goMemoryLimitEnv, historyReplicasFor, historySizing, historySizingProblems, mebibytes } from "../../components/temporal/sizing";

describe("history sizing", () => {
  it("spreads shards evenly and counts the shards a pod holds while one peer is down", () => {
    expect(historySizing(512, 3)).toEqual({ shardsPerPod: 171, shardsPerPodOnePodDown: 256, memoryNeededMiB: 256 + 384 });
  });

  it("has a single pod hold every shard", () => {
    expect(historySizing(4, 1)).toEqual({ shardsPerPod: 4, shardsPerPodOnePodDown: 4, memoryNeededMiB: 262 });
  });

  it("matches Temporal's scaling blog: 512 shards on two 1 GiB pods fill one pod exactly when the other is down", () => {
    expect(historySizing(512, 2).memoryNeededMiB).toBe(1024);
  });

  it("finds the fewest pods whose memory limit holds the shards with one pod down", () => {
    // 4Gi holds (4096 - 256) / 1.5 = 2560 shards per pod: 4096 shards need 2 survivors, so 3 pods.
    expect(historyReplicasFor(4096, 4096)).toBe(3);
    expect(historyReplicasFor(512, 1024)).toBe(1);
    expect(historyReplicasFor(512, 256)).toBeUndefined();
  });

  it("refuses more history pods than shards, naming the shard count", () => {
    expect(historySizingProblems(4, 5, "1Gi")).toEqual([
      {
        path: ["roles", "history", "replicas"],
        given: 5,
        message: "must be at most temporal.numHistoryShards (4): a history pod without a shard does no work",
      },
    ]);
  });

  it("refuses a memory limit too small for the shards, with the memory and the replica count that would fit", () => {
    expect(historySizingProblems(4096, 2, "2Gi")).toEqual([
      {
        path: ["roles", "history", "resources", "limits", "memory"],
        given: "2Gi",
        message:
          "must be at least 6400Mi for 4096 shards on 2 history pods: with one pod down each of the others holds 4096, " +
          "at 256Mi + 1.5Mi per shard; set it to 6400Mi or roles.history.replicas to 5",
      },
    ]);
  });

  it("says a single history pod holds all shards", () => {
    expect(historySizingProblems(512, 1, "512Mi")[0].message).toBe(
      "must be at least 1024Mi for 512 shards on 1 history pod: it holds all 512, at 256Mi + 1.5Mi per shard; set it to 1024Mi or roles.history.replicas to 5",
    );
  });

  it.each(ENVIRONMENTS)("accepts the %s preset", (environment) => {
    const { temporal, roles } = PRESETS[environment];
    expect(historySizingProblems(temporal.numHistoryShards, roles.history.replicas, roles.history.resources.limits.memory)).toEqual([]);
  });

  it("reads binary and decimal memory quantities in MiB", () => {
    expect(mebibytes("4Gi")).toBe(4096);
    expect(mebibytes("512Mi")).toBe(512);
    expect(mebibytes("1G")).toBeCloseTo(953.67, 2);
    expect(mebibytes("lots")).toBeUndefined();
  });
});

describe("goMemoryLimit", () => {
  it("gives the Go runtime 90% of the container's memory limit, in whole MiB as GOMEMLIMIT reads it", () => {
    expect(goMemoryLimit("512Mi")).toBe("460MiB");
    expect(goMemoryLimit("4Gi")).toBe("3686MiB");
    expect(goMemoryLimitEnv("1Gi")).toEqual([{ name: "GOMEMLIMIT", value: "921MiB" }]);
  });
});
