import { CONFIG_NAMESPACE } from "../../components/config/errors";
import { SecretInStackFile, checkStackSecrets, kitConfigOf, parseStackConfig } from "../../components/config/parse";
import { WEB_CONSOLE_CLIENT_SECRET_KEY } from "../../components/config/webConsoleSchema";
import { SECRET_PLACEHOLDER } from "./secretPlaceholder";
import type { StackFileConfig } from "./stackFile";

/**
 * The config a stack's program runs with: its stack file merged with the preset and validated by
 * the very functions the program calls, refused with the same messages. The secrets the program
 * reads are listed by key with a placeholder for their value, which never reaches this object.
 */
export function effectiveConfig(stackFile: StackFileConfig, source: string): Record<string, unknown> {
  const config = parseStackConfig(kitConfigOf(stackFile.config), source);
  const reads = checkStackSecrets(config, heldAs(stackFile, `${CONFIG_NAMESPACE}:${WEB_CONSOLE_CLIENT_SECRET_KEY}`), source);
  const secrets = Object.entries(reads)
    .filter(([, read]) => read)
    .map(([key]) => [key, SECRET_PLACEHOLDER]);
  return { ...config, ...Object.fromEntries(secrets) };
}

function heldAs(stackFile: StackFileConfig, key: string): SecretInStackFile {
  if (!(key in stackFile.config)) return "absent";
  return stackFile.secretKeys.includes(key) ? "encrypted" : "plain text";
}

/** What the synth writes to config.json and `npm run config` prints. */
export function effectiveConfigText(config: Record<string, unknown>): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
