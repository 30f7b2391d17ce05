import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../components/config/errors";
import { effectiveConfig, effectiveConfigText } from "../../tools/synth/effectiveConfig";
import type { StackFileConfig } from "../../tools/synth/stackFile";

const SOURCE = "stacks/Pulumi.test.yaml";
const CLIENT_SECRET_KEY = "temporal-kit:webConsoleClientSecret";
// What the program would read once Pulumi decrypted the stack file's `secure:` value.
const CLIENT_SECRET = "decrypted-client-secret-0123456789";

const signingIn: Record<string, string> = {
  "temporal-kit:environment": "staging",
  "temporal-kit:webConsole": JSON.stringify({
    auth: { enabled: true, providerUrl: "https://login.example.com/realms/ops", clientId: "temporal-ui", callbackUrl: "https://temporal.example.com/auth/sso/callback" },
  }),
};

const stackFile = (config: Record<string, string>, secretKeys: string[] = []): StackFileConfig => ({ config, secretKeys });

const messageOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a StackConfigError");
};

describe("the effective config", () => {
  it("is the preset with the stack file's keys over it", () => {
    const config = effectiveConfig(stackFile({ "temporal-kit:environment": "dev", "temporal-kit:clusterName": "tk" }), SOURCE);
    expect(config).toMatchObject({ environment: "dev", clusterName: "tk", temporal: { numHistoryShards: 4 } });
  });

  it("shows the client secret the program reads as a placeholder, never its value", () => {
    const config = effectiveConfig(stackFile({ ...signingIn, [CLIENT_SECRET_KEY]: CLIENT_SECRET }, [CLIENT_SECRET_KEY]), SOURCE);
    expect(config.webConsoleClientSecret).toBe("[secret]");
    expect(effectiveConfigText(config)).not.toContain(CLIENT_SECRET);
  });

  it("leaves out a client secret the program does not read", () => {
    const config = effectiveConfig(stackFile({ "temporal-kit:environment": "dev", [CLIENT_SECRET_KEY]: CLIENT_SECRET }, [CLIENT_SECRET_KEY]), SOURCE);
    expect(config).not.toHaveProperty("webConsoleClientSecret");
    expect(effectiveConfigText(config)).not.toContain(CLIENT_SECRET);
  });

  it("refuses a client secret in plain text as the program does", () => {
    expect(messageOf(() => effectiveConfig(stackFile({ ...signingIn, [CLIENT_SECRET_KEY]: CLIENT_SECRET }), SOURCE))).toBe(
      [
        `Invalid stack config in ${SOURCE}:`,
        `  ${SOURCE}: temporal-kit:webConsoleClientSecret: given "(plain text, not shown)"; must be encrypted in the stack file: set it with \`pulumi config set --secret temporal-kit:webConsoleClientSecret <client secret>\``,
      ].join("\n"),
    );
  });

  it("refuses a console that signs people in without its client secret as the program does", () => {
    expect(messageOf(() => effectiveConfig(stackFile(signingIn), SOURCE))).toBe(
      [
        `Invalid stack config in ${SOURCE}:`,
        `  ${SOURCE}: temporal-kit:webConsoleClientSecret: given nothing; is required when webConsole.auth.enabled is true: set it with \`pulumi config set --secret temporal-kit:webConsoleClientSecret <client secret>\``,
      ].join("\n"),
    );
  });
});
