import type { z } from "zod";
import { CONFIG_NAMESPACE, ConfigProblem, StackConfigError } from "./errors";
import { overlay } from "./merge";
import { presetFor } from "./presets";
import { ENVIRONMENTS, Environment, PLATFORMS, Platform, StackConfig, stackConfigSchema } from "./schema";
import { WEB_CONSOLE_CLIENT_SECRET_KEY } from "./webConsoleSchema";

/**
 * Parses the `temporal-kit:` keys of a stack file into the one typed config object the program
 * uses. `source` names the stack file in every message.
 */
export function parseStackConfig(raw: Record<string, unknown>, source: string): StackConfig {
  const environment = raw.environment;
  if (!ENVIRONMENTS.includes(environment as Environment)) {
    throw new StackConfigError(source, [
      { key: "environment", given: environment, allowed: `must be one of ${ENVIRONMENTS.join(", ")}` },
    ]);
  }
  const platform = PLATFORMS.includes(raw.platform as Platform) ? (raw.platform as Platform) : undefined;
  const preset = presetFor(environment as Environment, platform);
  const merged = overlay(preset.config, raw, stackConfigSchema, preset.branches) as Record<string, unknown>;
  const result = stackConfigSchema.safeParse(merged, { reportInput: true });
  if (result.success) return result.data;
  throw new StackConfigError(source, result.error.issues.flatMap((issue) => toProblems(issue, merged)));
}

/** The stack's secrets the program reads through the Pulumi runtime (config/load.ts StackSecrets). */
export type SecretKeyName = "webConsoleClientSecret";

/** Config keys read as Pulumi secrets instead of being parsed with the rest. */
const SECRET_KEYS = [WEB_CONSOLE_CLIENT_SECRET_KEY];

/** How the stack file holds a secret key. */
export type SecretInStackFile = "absent" | "encrypted" | "plain text";

/**
 * The secret checks of readStackSecrets without the Pulumi runtime, for tools that read the stack
 * file themselves: throws what the program would, and returns which secrets the program reads.
 */
export function checkStackSecrets(config: StackConfig, webConsoleClientSecret: SecretInStackFile, source: string): Record<SecretKeyName, boolean> {
  const key = WEB_CONSOLE_CLIENT_SECRET_KEY;
  const fullKey = `${CONFIG_NAMESPACE}:${key}`;
  const needed = config.webConsole.enabled && config.webConsole.auth.enabled;
  const setSecret = `set it with \`pulumi config set --secret ${fullKey} <client secret>\``;
  if (needed && webConsoleClientSecret === "absent") {
    throw new StackConfigError(source, [{ key, given: undefined, allowed: `is required when webConsole.auth.enabled is true: ${setSecret}` }]);
  }
  if (webConsoleClientSecret === "plain text") {
    throw new StackConfigError(source, [{ key, given: "(plain text, not shown)", allowed: `must be encrypted in the stack file: ${setSecret}` }]);
  }
  return { webConsoleClientSecret: needed };
}

/**
 * The `temporal-kit:` keys of a stack's config as Pulumi holds it (`project:key` to text), with
 * the namespace dropped; Pulumi hands structured values over as JSON text and plain ones as strings.
 */
export function kitConfigOf(runtimeConfig: Record<string, string>): Record<string, unknown> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(
    Object.entries(runtimeConfig)
      .filter(([key]) => key.startsWith(prefix) && !SECRET_KEYS.includes(key.slice(prefix.length)))
      .map(([key, value]) => [key.slice(prefix.length), /^[[{]/.test(value) ? JSON.parse(value) : value]),
  );
}

function toProblems(issue: z.core.$ZodIssue, merged: unknown): ConfigProblem[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === "unrecognized_keys") {
    const parent = valueAt(merged, path) as Record<string, unknown>;
    const known = Object.keys(parent).filter((key) => !issue.keys.includes(key));
    return issue.keys.map((key) => ({
      key: formatPath([...path, key]),
      given: parent[key],
      allowed: `is not a known key here; known keys: ${known.join(", ")}`,
    }));
  }
  if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) {
    return [
      {
        key: formatPath(path),
        given: valueAt(merged, path),
        allowed: `must be one of ${issue.options.map(String).join(", ")}`,
      },
    ];
  }
  if (issue.code === "invalid_key") {
    // A bad map key (a dynamic config key, an env var name): the key itself is what was given.
    return [{ key: formatPath(path), given: path.at(-1), allowed: issue.issues.map((inner) => inner.message).join("; ") }];
  }
  return [
    {
      key: formatPath(path),
      given: "input" in issue && issue.input !== undefined ? issue.input : valueAt(merged, path),
      allowed: /^(must|is) /.test(issue.message) ? issue.message : `allowed: ${lowerFirst(issue.message)}`,
    },
  ];
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined),
    root,
  );
}

export function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    // Map keys such as dynamic config's `frontend.rps` contain dots themselves.
    if (!/^[A-Za-z0-9_-]+$/.test(String(key))) return `${text}[${JSON.stringify(String(key))}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, "");
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
