import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./errors";
import { SecretInStackFile, checkStackSecrets, kitConfigOf, parseStackConfig } from "./parse";
import type { StackConfig } from "./schema";
import { WEB_CONSOLE_CLIENT_SECRET_KEY } from "./webConsoleSchema";

/** Reads the current stack's `temporal-kit:` config from the Pulumi runtime and parses it. */
export function readStackConfig(source = `stacks/Pulumi.${pulumi.getStack()}.yaml`): StackConfig {
  return parseStackConfig(kitConfigOf(pulumi.runtime.allConfig()), source);
}

/** Values the stack file holds only encrypted; they never pass through the plain config object. */
export interface StackSecrets {
  /** The web console's OIDC client secret, present when webConsole.auth is enabled. */
  webConsoleClientSecret?: pulumi.Output<string>;
}

/**
 * Reads the stack's secrets once, after its config parsed. A secret the config needs but the
 * stack lacks, or one stored in plain text, is refused like any other invalid key.
 */
export function readStackSecrets(config: StackConfig, source = `stacks/Pulumi.${pulumi.getStack()}.yaml`): StackSecrets {
  const fullKey = `${CONFIG_NAMESPACE}:${WEB_CONSOLE_CLIENT_SECRET_KEY}`;
  // The runtime knows which keys the stack file holds encrypted but does not declare the function.
  const isConfigSecret = (pulumi.runtime as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  const held: SecretInStackFile =
    pulumi.runtime.getConfig(fullKey) === undefined ? "absent" : isConfigSecret && !isConfigSecret(fullKey) ? "plain text" : "encrypted";
  const needed = checkStackSecrets(config, held, source);
  return needed.webConsoleClientSecret ? { webConsoleClientSecret: new pulumi.Config(CONFIG_NAMESPACE).requireSecret(WEB_CONSOLE_CLIENT_SECRET_KEY) } : {};
}

