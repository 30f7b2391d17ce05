import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCRATCH_INIT_CONTAINER } from "../../../components/aws/ecs/containerHardening";
import {
  AWS_CLI_IMAGE,
  DYNAMIC_CONFIG_PARAMETER_ENV,
  DYNAMIC_CONFIG_SIDECAR_MEMORY_MIB,
  dynamicConfigRefreshScript,
  dynamicConfigSidecarContainer,
  withDynamicConfigSidecar,
} from "../../../components/aws/ecs/dynamicConfigSidecar";
import { runsAsRoot } from "../../../policy/ecs";

const log = { group: "temporal-logs", region: "eu-west-1" };
const TARGET = "/tmp/temporal-kit/dynamic_config.yaml";
const sidecar = dynamicConfigSidecarContainer({ role: "history", parameterName: "temporal-dynamic-config-abc123", target: TARGET, log });

describe("the dynamic config sidecar", () => {
  it("fetches the stack's parameter with the pinned AWS CLI, in the stack's region", () => {
    expect(sidecar.image).toBe(AWS_CLI_IMAGE);
    expect(sidecar.image).toMatch(/:\d+\.\d+\.\d+$/);
    expect(sidecar.environment).toContainEqual({ name: DYNAMIC_CONFIG_PARAMETER_ENV, value: "temporal-dynamic-config-abc123" });
    expect(sidecar.environment).toContainEqual({ name: "AWS_REGION", value: "eu-west-1" });
  });

  it("is healthy once the file exists, so a role's first start waits for it", () => {
    expect(sidecar.healthCheck?.command).toEqual(["CMD-SHELL", `test -s ${TARGET}`]);
  });

  it("cannot stop a running role, and restarts in place if it dies", () => {
    expect(sidecar.essential).toBe(false);
    expect(sidecar.restartPolicy?.enabled).toBe(true);
  });

  it("runs as the role's user, without capabilities, writing only the shared /tmp", () => {
    expect(sidecar.user).toBe("1000:1000");
    expect(runsAsRoot(sidecar.user)).toBe(false);
    expect(sidecar.readonlyRootFilesystem).toBe(true);
    expect(sidecar.linuxParameters?.capabilities.drop).toEqual(["ALL"]);
    expect(sidecar.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    expect(sidecar.dependsOn).toEqual([{ containerName: SCRATCH_INIT_CONTAINER, condition: "SUCCESS" }]);
  });

  it("adds its memory to the task's size", () => {
    const resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } };
    expect(withDynamicConfigSidecar(resources).limits.memory).toBe(`${2048 + DYNAMIC_CONFIG_SIDECAR_MEMORY_MIB}Mi`);
  });
});

describe("the refresh loop", () => {
  /**
   * Runs the loop against a stand-in `aws` that prints the parameter from a file, and a stand-in
   * `sleep` that runs one shell step of the scenario between fetches, then ends the loop.
   */
  function runScenario(stepsBetweenFetches: (valueFile: string) => string[]) {
    const dir = mkdtempSync(join(tmpdir(), "temporal-kit-dyn-"));
    const target = join(dir, "dynamic_config.yaml");
    const value = join(dir, "value");
    const calls = join(dir, "calls");
    writeFileSync(value, "history.persistenceMaxQPS:\n  - value: 3000\n");
    writeFileSync(join(dir, "aws"), `#!/bin/sh\necho "$*" >> ${calls}\n[ -f ${value} ] || exit 254\ncat ${value}\n`);
    const steps = stepsBetweenFetches(value).map((step, index) => `if [ "$n" = ${index + 1} ]; then ${step}; exit 0; fi`);
    writeFileSync(join(dir, "sleep"), ["#!/bin/sh", `n=$(( $(cat ${dir}/n 2>/dev/null || echo 0) + 1 ))`, `echo $n > ${dir}/n`, ...steps, "exit 1", ""].join("\n"));
    chmodSync(join(dir, "aws"), 0o755);
    chmodSync(join(dir, "sleep"), 0o755);
    const result = spawnSync("/bin/sh", ["-c", dynamicConfigRefreshScript(target, 30).join("\n")], {
      env: { PATH: `${dir}:${process.env.PATH}`, [DYNAMIC_CONFIG_PARAMETER_ENV]: "temporal-dynamic-config-abc123" },
      encoding: "utf8",
    });
    return { result, target, calls: readFileSync(calls, "utf8").trim().split("\n") };
  }

  it("fetches the parameter's value by name", () => {
    const { calls } = runScenario(() => []);
    expect(calls).toEqual(["ssm get-parameter --name temporal-dynamic-config-abc123 --query Parameter.Value --output text"]);
  });

  it("writes the file at once, replaces it only when the parameter changed, and keeps it when a fetch fails", () => {
    const { result, target, calls } = runScenario((value) => [
      "true",
      `printf 'history.persistenceMaxQPS:\\n  - value: 4500\\n' > ${value}`,
      `rm ${value}`,
    ]);
    expect(calls).toHaveLength(4);
    expect(result.stdout.trim().split("\n")).toEqual(["dynamic config updated", "dynamic config updated"]);
    expect(result.stderr).toContain("cannot read parameter temporal-dynamic-config-abc123; the roles keep the last dynamic config");
    expect(readFileSync(target, "utf8")).toContain("value: 4500");
    expect(existsSync(`${target}.next`)).toBe(true);
  });
});
