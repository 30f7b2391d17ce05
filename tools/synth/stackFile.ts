import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { parse } from "yaml";
import { SECRET_PLACEHOLDER } from "./secretPlaceholder";

export interface StackFileConfig {
  /** Config as the Pulumi runtime holds it: `project:key` to a string (JSON for structured values). */
  config: Record<string, string>;
  secretKeys: string[];
}

/** A stack name or path that names no file: the user's typo, told without a stack trace. */
export class StackFileNotFound extends Error {
  constructor(path: string) {
    const dir = dirname(path);
    const stacks = existsSync(dir) ? readdirSync(dir).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []) : [];
    super(`no stack file ${relative(process.cwd(), path)}${stacks.length ? `; the stacks there are ${stacks.join(", ")}` : ""}`);
    this.name = "StackFileNotFound";
  }
}

/**
 * Reads a stack file the way the Pulumi CLI hands it to a program. Encrypted (`secure:`) values
 * cannot be decrypted offline: they become a placeholder that stays a secret.
 */
export function readStackFile(path: string): StackFileConfig {
  if (!existsSync(path)) throw new StackFileNotFound(path);
  const document = (parse(readFileSync(path, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(document.config ?? {})) {
    if (isSecure(value)) {
      config[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

const isSecure = (value: unknown) =>
  value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).join() === "secure";

/** `stacks/Pulumi.production.yaml` is the stack `production`. */
export function stackNameOf(path: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(path));
  return match ? match[1] : basename(path).replace(/\.ya?ml$/, "");
}

/** The stack file a command reads: the one `--config` names, else stacks/Pulumi.<stack>.yaml. */
export function stackFilePath(stack: string, configFile?: string): string {
  return configFile ?? join(__dirname, "..", "..", "stacks", `Pulumi.${stack}.yaml`);
}

/** The stack file as config messages name it: relative to where the command runs. */
export function configSourceOf(path: string): string {
  return relative(process.cwd(), path) || path;
}
