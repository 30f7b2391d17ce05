import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NAMESPACE_SCRIPT, namespaceRegistrationEnv } from "../../components/temporal/namespaceRegistration";

/** Runs the registration script against a fake `temporal` CLI that logs its arguments. */
function runScript(namespaceExists: boolean, env: Record<string, string>): string[][] {
  const dir = mkdtempSync(join(tmpdir(), "ns-script-"));
  const log = join(dir, "calls.log");
  const fake = join(dir, "temporal");
  writeFileSync(
    fake,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nif [ "$3" = describe ]; then exit ${namespaceExists ? 0 : 1}; fi\nexit 0\n`,
  );
  chmodSync(fake, 0o755);
  execFileSync("sh", ["-c", NAMESPACE_SCRIPT], { env: { PATH: `${dir}:${process.env.PATH}`, ...env } });
  return execFileSync("cat", [log], { encoding: "utf8" }).trim().split("\n").map((line) => line.split(" "));
}

describe("namespace registration script", () => {
  const env = namespaceRegistrationEnv({ name: "orders", retention: "7d", description: "Orders; rm -rf /" }, "fe:7233");

  it("creates a namespace that does not exist", () => {
    const calls = runScript(false, env);
    expect(calls.at(-1)?.slice(0, 3)).toEqual(["operator", "namespace", "create"]);
    expect(calls.at(-1)).toEqual(expect.arrayContaining(["--namespace", "orders", "--retention", "7d"]));
  });

  it("updates retention and description of an existing one instead", () => {
    const calls = runScript(true, env);
    expect(calls.at(-1)?.slice(0, 3)).toEqual(["operator", "namespace", "update"]);
  });

  it("passes the description as one argument, never as shell", () => {
    const [last] = runScript(false, env).slice(-1);
    expect(last.join(" ")).toContain("--description Orders; rm -rf /");
  });

  it("presents the mounted client certificate on every CLI call when TLS variables are set", () => {
    const tlsEnv = {
      TEMPORAL_TLS_CLIENT_CERT_PATH: "/tls/tls.crt",
      TEMPORAL_TLS_CLIENT_KEY_PATH: "/tls/tls.key",
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: "/tls/ca.crt",
      TEMPORAL_TLS_SERVER_NAME: "temporal-internode",
    };
    const calls = runScript(true, { ...env, ...tlsEnv });
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.join(" ")).toContain("--tls-cert-path /tls/tls.crt --tls-key-path /tls/tls.key --tls-ca-path /tls/ca.crt --tls-server-name temporal-internode");
    }
  });

  it("passes no TLS flags when TLS is off", () => {
    for (const call of runScript(false, env)) expect(call.join(" ")).not.toContain("--tls");
  });

  it("tells the CLI where the frontend is", () => {
    expect(env.TEMPORAL_ADDRESS).toBe("fe:7233");
  });
});

describe("namespace registration script with archival", () => {
  const archived = namespaceRegistrationEnv(
    {
      name: "orders",
      retention: "30d",
      archival: { historyState: "enabled", historyUri: "s3://archive/history", visibilityState: "disabled" },
    },
    "fe:7233",
  );

  it("creates the namespace with each kind's state and the URI of the enabled one", () => {
    const create = runScript(false, archived).at(-1)!;
    expect(create.slice(0, 3)).toEqual(["operator", "namespace", "create"]);
    expect(create.join(" ")).toContain("--history-archival-state enabled --history-uri s3://archive/history --visibility-archival-state disabled");
    expect(create).not.toContain("--visibility-uri");
  });

  it("states the archival in full on update too, so an existing namespace follows a change", () => {
    const update = runScript(true, archived).at(-1)!;
    expect(update.slice(0, 3)).toEqual(["operator", "namespace", "update"]);
    expect(update).toEqual(expect.arrayContaining(["--history-archival-state", "enabled", "--visibility-archival-state", "disabled"]));
  });

  it("passes no archival flags when the cluster does not archive", () => {
    const [last] = runScript(true, env0()).slice(-1);
    expect(last.filter((arg) => arg.includes("archival") || arg.endsWith("-uri"))).toEqual([]);
  });

  it("explains the immutable archival URI when an update fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "ns-script-"));
    writeFileSync(join(dir, "temporal"), `#!/bin/sh\nif [ "$3" = describe ]; then exit 0; fi\necho "Cannot update existing archival URI" >&2\nexit 1\n`);
    chmodSync(join(dir, "temporal"), 0o755);
    const result = spawnSync("sh", ["-c", NAMESPACE_SCRIPT], { env: { PATH: `${dir}:${process.env.PATH}`, ...archived }, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Temporal never changes a URI once set");
  });

  it("never deletes a namespace: the script has no delete, whatever it is given", () => {
    expect(NAMESPACE_SCRIPT).not.toMatch(/delete/);
    for (const exists of [true, false]) {
      expect(runScript(exists, archived).map((call) => call[2])).not.toContain("delete");
    }
  });
});

function env0(): Record<string, string> {
  return namespaceRegistrationEnv({ name: "orders", retention: "7d" }, "fe:7233");
}
