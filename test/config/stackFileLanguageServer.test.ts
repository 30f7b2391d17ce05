import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The stack files' editor schema, as an editor shows it: Red Hat's yaml-language-server (the server
 * behind VS Code's YAML extension, and what Neovim, Helix, Zed, Sublime and Emacs run for YAML),
 * spoken to over stdio as an editor does, on a copy of stacks/Pulumi.staging.yaml. The schema is
 * found only through the file's first line, `# yaml-language-server: $schema=stack-config.schema.json`,
 * which the server resolves against the file's own directory: no `yaml.schemas` setting is given.
 */

const PROJECT_ROOT = join(__dirname, "..", "..");
const STACK_FILE = "stacks/Pulumi.staging.yaml";
// Named here rather than imported from tools/configSchema, whose import of the config schema reaches
// @pulumi/* and would move this file out of the pure tier (test/tiers.ts).
const STACK_FILE_SCHEMA_PATH = "stacks/stack-config.schema.json";
const SERVER_BIN = "yaml-language-server/bin/yaml-language-server";
/** Where a run without the devDependency installed finds the server: a directory it is installed under (its --prefix). */
const SERVER_ENV = "TEMPORAL_KIT_YAML_LS";
const REQUEST_TIMEOUT_MS = 4_000;

/** The server's entry point: the devDependency (after `npm ci`), else an install named by TEMPORAL_KIT_YAML_LS. */
function serverBinary(): string {
  try {
    return createRequire(join(PROJECT_ROOT, "package.json")).resolve(SERVER_BIN);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    const elsewhere = process.env[SERVER_ENV];
    if (!elsewhere) {
      throw new Error(`${SERVER_BIN} is not installed: run npm ci (it is a devDependency), or set ${SERVER_ENV} to a directory it is installed under (npm install --prefix <dir> yaml-language-server@<version in package.json>)`);
    }
    return createRequire(join(elsewhere, "package.json")).resolve(SERVER_BIN);
  }
}

interface Position {
  line: number;
  character: number;
}
interface Diagnostic {
  range: { start: Position; end: Position };
  message: string;
  severity?: number;
  source?: string;
}
interface CompletionItem {
  label: string;
}
interface Hover {
  contents: { kind: string; value: string } | string;
}

/** A minimal LSP client: JSON-RPC 2.0 in Content-Length frames over the server's stdin and stdout. */
class LanguageClient {
  private readonly server: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private readonly diagnosticWaiters = new Map<string, (diagnostics: Diagnostic[]) => void>();
  private stderr = "";
  /** The sections the server asked for with workspace/configuration, and what the editor answered. */
  readonly configurationAsked: string[] = [];

  constructor(binary: string, private readonly settings: Record<string, unknown>) {
    this.server = spawn(process.execPath, [binary, "--stdio"], { stdio: "pipe" });
    this.server.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.server.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.server.on("exit", (code, signal) => {
      for (const { method, reject } of this.pending.values()) {
        reject(new Error(`yaml-language-server exited (code ${code}, signal ${signal}) before answering ${method}: ${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`yaml-language-server did not answer ${method} within ${REQUEST_TIMEOUT_MS} ms; its stderr: ${this.stderr}`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        method,
        resolve: (result) => (clearTimeout(timer), resolve(result as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** Opens a document and waits for the diagnostics the server publishes for it. */
  open(uri: string, text: string): Promise<Diagnostic[]> {
    const published = new Promise<Diagnostic[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.diagnosticWaiters.delete(uri);
        reject(new Error(`yaml-language-server published no diagnostics for ${uri} within ${REQUEST_TIMEOUT_MS} ms; its stderr: ${this.stderr}`));
      }, REQUEST_TIMEOUT_MS);
      this.diagnosticWaiters.set(uri, (diagnostics) => (clearTimeout(timer), resolve(diagnostics)));
    });
    this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    return published;
  }

  async shutdown(): Promise<void> {
    if (this.server.exitCode !== null || this.server.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.server.once("exit", () => resolve()));
    try {
      await this.request("shutdown", null);
      this.notify("exit", null);
    } catch {
      // Killed below either way.
    }
    const killer = setTimeout(() => this.server.kill("SIGKILL"), 1_000);
    await exited;
    clearTimeout(killer);
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.server.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString("ascii"));
      if (!length) throw new Error(`yaml-language-server sent a frame without Content-Length: ${this.buffer.subarray(0, headerEnd)}`);
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString("utf8"));
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: { id?: number; method?: string; params?: any; result?: unknown; error?: { message: string } }): void {
    if (message.method === undefined) {
      const waiting = this.pending.get(message.id!);
      this.pending.delete(message.id!);
      if (message.error) waiting?.reject(new Error(`yaml-language-server refused ${waiting.method}: ${message.error.message}`));
      else waiting?.resolve(message.result);
    } else if (message.id !== undefined) {
      // A request from the server, answered as an editor would: its settings when asked, else nothing.
      let result: unknown = null;
      if (message.method === "workspace/configuration") {
        const items = message.params.items as { section?: string }[];
        this.configurationAsked.push(...items.map((item) => item.section ?? ""));
        result = items.map((item) => this.settings[item.section ?? ""] ?? null);
      }
      this.send({ jsonrpc: "2.0", id: message.id, result });
    } else if (message.method === "textDocument/publishDiagnostics") {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      const waiter = this.diagnosticWaiters.get(uri);
      this.diagnosticWaiters.delete(uri);
      waiter?.(diagnostics);
    }
  }
}

const shipped = readFileSync(join(PROJECT_ROOT, STACK_FILE), "utf8");
const workspace = mkdtempSync(join(tmpdir(), "temporal-kit-yaml-ls-"));
const schemaCopy = join(workspace, "stack-config.schema.json");
const lines = (text: string) => text.split("\n");
const misspelt = shipped.replace("temporal-kit:persistence:", "temporal-kit:persistance:");
/** The shipped staging file and the variants of it the tests open: as an editor's buffers would be saved, beside the schema copy. */
const VARIANTS = {
  staging: shipped,
  misspelt,
  withoutModeline: lines(misspelt).slice(1).join("\n"),
  prod: shipped.replace("temporal-kit:environment: staging", "temporal-kit:environment: prod"),
  // An empty line, with the cursor where a key goes: inside temporal-kit:roles, and at the config level.
  roles: shipped.replace("  temporal-kit:temporal:\n", "  temporal-kit:roles:\n    \n  temporal-kit:temporal:\n"),
  keys: shipped.replace("  temporal-kit:temporal:\n", "  \n  temporal-kit:temporal:\n"),
  withoutPersistence: shipped.replace("  temporal-kit:persistence:\n    hosting: rds\n", "  \n"),
};
interface OpenDocument {
  uri: string;
  text: string;
  /** What the server published for the document on opening it. */
  diagnostics: Diagnostic[];
}
function lineOf(text: string, fragment: string): number {
  const line = lines(text).findIndex((candidate) => candidate.includes(fragment));
  if (line < 0) throw new Error(`no line of the document contains ${fragment}`);
  return line;
}
const labels = (completion: { items: CompletionItem[] } | CompletionItem[] | null) =>
  (Array.isArray(completion) ? completion : (completion?.items ?? [])).map((item) => item.label);

// The settings an editor would send, with the two catalogues fetched over the network (SchemaStore
// and the Kubernetes CRD catalogue) off: the test runs offline, and they do not apply to these files.
const SETTINGS = {
  yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false } },
};

/** The description the schema gives the key at path under config. */
function describedIn(schema: any, path: string[]): string {
  let node = schema.properties.config;
  for (const key of path) node = node.properties[key];
  return node.description;
}

/** How the server signs a diagnostic of the schema's: by the schema's title. */
const FROM_SCHEMA = "yaml-schema: temporal-kit stack file";

let client: LanguageClient;
let serverVersion: string | undefined;
let documents: Record<keyof typeof VARIANTS, OpenDocument>;

describe("the stack files' editor schema in yaml-language-server", () => {
  beforeAll(async () => {
    copyFileSync(join(PROJECT_ROOT, STACK_FILE_SCHEMA_PATH), schemaCopy);
    client = new LanguageClient(serverBinary(), SETTINGS);
    const workspaceUri = pathToFileURL(workspace).href;
    const initialized = await client.request<{ serverInfo?: { version?: string } }>("initialize", {
      processId: process.pid,
      rootUri: workspaceUri,
      workspaceFolders: [{ uri: workspaceUri, name: "stacks" }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: {
          publishDiagnostics: {},
          completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } },
          hover: { contentFormat: ["markdown", "plaintext"] },
        },
      },
    });
    serverVersion = initialized.serverInfo?.version;
    client.notify("initialized", {});
    // Opened together: the server waits 200 ms after a document's last change before validating it.
    const opened = Object.entries(VARIANTS).map(async ([name, text]) => {
      const path = join(workspace, `Pulumi.${name}.yaml`);
      writeFileSync(path, text);
      const uri = pathToFileURL(path).href;
      return [name, { uri, text, diagnostics: await client.open(uri, text) }] as const;
    });
    documents = Object.fromEntries(await Promise.all(opened)) as typeof documents;
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  it("is the version package.json pins and docs/stack-config.md names", () => {
    const pinned = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).devDependencies["yaml-language-server"];
    expect(serverVersion).toBe(pinned);
    expect(readFileSync(join(PROJECT_ROOT, "docs/stack-config.md"), "utf8").replace(/\s+/g, " ")).toContain(`tested against yaml-language-server ${pinned}`);
  });

  it("finds the schema through the shipped file's modeline alone, and reports nothing in it", async () => {
    expect(lines(shipped)[0]).toBe("# yaml-language-server: $schema=stack-config.schema.json");
    const { uri, diagnostics } = documents.staging;
    expect(diagnostics).toEqual([]);
    // The schema the server applies to the file: the copy beside it, named by the modeline.
    const schemas = await client.request<{ uri: string; name?: string }[]>("yaml/get/jsonSchema", uri);
    expect(schemas.map((schema) => schema.uri)).toEqual([pathToFileURL(schemaCopy).href]);
    expect(client.configurationAsked).toContain("yaml");
  });

  it("flags a misspelt key on its line", async () => {
    const { text, diagnostics } = documents.misspelt;
    expect(diagnostics.map(({ range, message, source }) => ({ line: range.start.line, message, source }))).toEqual([
      { line: lineOf(text, "temporal-kit:persistance:"), message: "Property temporal-kit:persistance is not allowed.", source: FROM_SCHEMA },
    ]);
  });

  it("applies no schema to the same mistake without the modeline: nothing else names the schema", async () => {
    const { uri, diagnostics } = documents.withoutModeline;
    expect(diagnostics).toEqual([]);
    expect(await client.request("yaml/get/jsonSchema", uri)).toEqual([]);
  });

  it("flags a value outside an enum on its line, listing the allowed ones", async () => {
    const { text, diagnostics } = documents.prod;
    expect(diagnostics.map(({ range, message, source }) => ({ line: range.start.line, message, source }))).toEqual([
      { line: lineOf(text, "temporal-kit:environment: prod"), message: 'Value is not accepted. Valid values: "dev", "staging", "production".', source: FROM_SCHEMA },
    ]);
  });

  it("completes the roles inside temporal-kit:roles", async () => {
    const { uri, text } = documents.roles;
    const line = lineOf(text, "temporal-kit:roles:") + 1;
    const completion = await client.request<{ items: CompletionItem[] }>("textDocument/completion", { textDocument: { uri }, position: { line, character: 4 } });
    expect(labels(completion)).toEqual(expect.arrayContaining(["history", "matching", "frontend", "worker"]));
  });

  it("completes the temporal-kit keys at the config level, leaving out those the file sets", async () => {
    const { uri, text } = documents.keys;
    const line = lineOf(text, "temporal-kit:temporal:") - 1;
    const completion = await client.request<{ items: CompletionItem[] }>("textDocument/completion", { textDocument: { uri }, position: { line, character: 2 } });
    const offered = labels(completion);
    expect(offered).toEqual(expect.arrayContaining(["temporal-kit:roles", "temporal-kit:visibility", "temporal-kit:workers", "temporal-kit:security"]));
    // Already set in the staging file, so not offered again.
    expect(offered).not.toContain("temporal-kit:persistence");
  });

  it("offers temporal-kit:persistence where the file does not set it yet", async () => {
    const { uri, text } = documents.withoutPersistence;
    const line = lineOf(text, "temporal-kit:aws:") - 1;
    const completion = await client.request<{ items: CompletionItem[] }>("textDocument/completion", { textDocument: { uri }, position: { line, character: 2 } });
    expect(labels(completion)).toContain("temporal-kit:persistence");
  });

  // The descriptions are written once, with .meta({ description }) in components/config/schema.ts;
  // stackFileSchema.test.ts holds the committed schema to what npm run config:schema generates from them.
  it.each([
    ["temporal-kit:environment:", ["temporal-kit:environment"]],
    ["numHistoryShards:", ["temporal-kit:temporal", "numHistoryShards"]],
  ])("shows the description of %s on hover", async (key, path) => {
    const { uri, text } = documents.staging;
    const line = lineOf(text, key);
    const character = lines(text)[line].indexOf(key) + 2;
    const hover = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: { line, character } });
    const shown = typeof hover?.contents === "string" ? hover.contents : (hover?.contents.value ?? "");
    const described = describedIn(JSON.parse(readFileSync(schemaCopy, "utf8")), path);
    expect(described.length).toBeGreaterThan(20);
    expect(shown).toContain(described);
  });
});
