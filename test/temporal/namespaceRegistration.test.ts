import { execFileSync } from "node:child_process";
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
