import { describe, expect, it } from "vitest";
import { RUNS_AS_ROOT_LABEL } from "../../../components/aws/ecs/containerHardening";
import { runsAsRoot } from "../../../policy/ecs";
import { ecsContainerHardening } from "../../../policy/rules/ecsContainerHardening";
import { messagesOf, taskDefinition, workload } from "../harness";

const hardened = (overrides: Record<string, unknown> = {}) => ({
  name: "app",
  image: "temporalio/server:1.31.2",
  essential: true,
  user: "1000:1000",
  readonlyRootFilesystem: true,
  linuxParameters: { capabilities: { drop: ["ALL"] } },
  ...overrides,
});

describe("ecs-container-hardening", () => {
  it("accepts a non-root container that drops every capability", async () => {
    expect(await messagesOf(ecsContainerHardening, [taskDefinition("roles", [hardened()])])).toEqual([]);
  });

  it("reports a container that keeps its capabilities, is privileged, and leaves the user to the image", async () => {
    const container = hardened({ user: undefined, linuxParameters: undefined, privileged: true });
    expect(await messagesOf(ecsContainerHardening, [taskDefinition("roles", [container])])).toEqual([
      'roles: container "app" is privileged.',
      'roles: container "app" does not drop ALL capabilities.',
      `roles: container "app" runs as root (user unset, so the image's) without a ${RUNS_AS_ROOT_LABEL} label saying why.`,
    ]);
  });

  it("accepts root only in a non-essential helper that says why", async () => {
    const helper = hardened({ name: "init", user: "0", essential: false, dockerLabels: { [RUNS_AS_ROOT_LABEL]: "opens scratch volumes" } });
    expect(await messagesOf(ecsContainerHardening, [taskDefinition("roles", [helper, hardened()])])).toEqual([]);
    const essential = { ...helper, essential: true };
    expect(await messagesOf(ecsContainerHardening, [taskDefinition("roles", [essential])])).toEqual(['roles: container "init" runs as root and is essential: only a non-essential helper may run as root.']);
    const unexplained = hardened({ name: "init", user: "root:root", essential: false });
    expect(await messagesOf(ecsContainerHardening, [taskDefinition("roles", [unexplained])])).toHaveLength(1);
  });

  it("leaves Kubernetes workloads to pod-hardening", async () => {
    expect(await messagesOf(ecsContainerHardening, [workload("web")])).toEqual([]);
  });
});

describe("runsAsRoot", () => {
  it.each([
    [undefined, true],
    ["", true],
    ["0", true],
    ["0:1000", true],
    ["root", true],
    ["root:staff", true],
    ["1000", false],
    ["1000:0", false],
    ["temporal", false],
  ])("%s -> %s", (user, root) => {
    expect(runsAsRoot(user)).toBe(root);
  });
});
