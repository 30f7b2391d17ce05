/**
 * Fargate has no ConfigMaps: files a container needs (the server config, the dynamic config, the
 * database's CA bundle) travel as base64 environment variables and a short POSIX shell prelude
 * writes them out before the image's own entrypoint runs. The Temporal images are Alpine based,
 * so `sh` and `base64` are there. Files go under /tmp because the images run as a non-root user
 * that cannot write into /etc/temporal.
 */

export const FILES_DIR = "/tmp/temporal-kit";

export interface FileFromEnv {
  /** Absolute path the file is written to. */
  path: string;
  /** Environment variable holding the file's content, base64 encoded. */
  env: string;
  content: string;
}

export function fileFromEnv(fileName: string, env: string, content: string): FileFromEnv {
  return { path: `${FILES_DIR}/${fileName}`, env, content };
}

export function fileEnvironment(files: FileFromEnv[]): { name: string; value: string }[] {
  return files.map((file) => ({ name: file.env, value: Buffer.from(file.content, "utf8").toString("base64") }));
}

/** Shell lines that write every file; paths and variable names are the kit's own, never user input. */
export function writeFilesScript(files: FileFromEnv[]): string[] {
  return [
    "set -eu",
    `mkdir -p ${FILES_DIR}`,
    ...files.map((file) => `printf '%s' "$${file.env}" | base64 -d > ${file.path}`),
  ];
}

/**
 * Sets POD_IP, the address the server config broadcasts to the other roles, to the task's own
 * address. Fargate gives every task one network interface; the task metadata endpoint names its
 * address, and the hostname resolves to it as a fallback.
 */
export const TASK_IP_SCRIPT = [
  'POD_IP="$(wget -qO- "${ECS_CONTAINER_METADATA_URI_V4}/task" 2>/dev/null | grep -o \'"IPv4Addresses": *\\[ *"[0-9.]*"\' | head -n 1 | sed \'s/.*"\\([0-9.]*\\)"$/\\1/\' || true)"',
  'if [ -z "$POD_IP" ]; then POD_IP="$(getent hosts "$(hostname)" | awk \'{print $1; exit}\')"; fi',
  'if [ -z "$POD_IP" ]; then echo "cannot find this task\'s IP address" >&2; exit 1; fi',
  "export POD_IP",
];
