import { describe, expect, it } from "vitest";
import { cpuUnits, fargateSize, memoryMiB } from "../../components/config/fargateSize";

const sized = (cpu: string, memory: string, cpuLimit?: string) =>
  fargateSize({ requests: { cpu, memory }, limits: { memory, ...(cpuLimit ? { cpu: cpuLimit } : {}) } });

describe("Kubernetes quantities in ECS units", () => {
  it("reads millicores and cores as CPU units", () => {
    expect(cpuUnits("250m")).toBe(256);
    expect(cpuUnits("1")).toBe(1024);
    expect(cpuUnits("1.5")).toBe(1536);
  });

  it("reads binary and decimal memory suffixes as MiB, rounding up", () => {
    expect(memoryMiB("512Mi")).toBe(512);
    expect(memoryMiB("2Gi")).toBe(2048);
    expect(memoryMiB("1G")).toBe(954);
    expect(memoryMiB("1000Ki")).toBe(1);
  });

  it("refuses quantities it cannot read rather than guessing", () => {
    expect(() => cpuUnits("lots")).toThrow("cannot read CPU quantity lots");
    expect(() => memoryMiB("2GB")).toThrow("cannot read memory quantity 2GB");
  });
});

describe("fargateSize", () => {
  it("picks the smallest CPU size that holds the request", () => {
    expect(sized("100m", "256Mi")).toEqual({ cpu: 256, memory: 512 });
    expect(sized("500m", "512Mi")).toEqual({ cpu: 512, memory: 1024 });
    expect(sized("1", "1Gi")).toEqual({ cpu: 1024, memory: 2048 });
    expect(sized("2", "4Gi")).toEqual({ cpu: 2048, memory: 4096 });
  });

  it("rounds memory up to the size's step, never below the memory limit", () => {
    expect(sized("1", "2500Mi")).toEqual({ cpu: 1024, memory: 3072 });
    expect(sized("8", "17Gi")).toEqual({ cpu: 8192, memory: 20480 });
  });

  it("moves to a larger CPU size when the memory does not fit the smaller one", () => {
    expect(sized("250m", "3Gi")).toEqual({ cpu: 512, memory: 3072 });
    expect(sized("1", "12Gi")).toEqual({ cpu: 2048, memory: 12288 });
  });

  it("honours a CPU limit above the request, since Fargate caps the task at its size", () => {
    expect(sized("500m", "1Gi", "2")).toEqual({ cpu: 2048, memory: 4096 });
  });

  it("refuses what no Fargate task can hold", () => {
    expect(() => sized("32", "8Gi")).toThrow("no Fargate task size holds 32768 CPU units and 8192 MiB");
    expect(() => sized("4", "200Gi")).toThrow(/no Fargate task size/);
  });
});
