import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/**
 * One import of the kit's sources: `from` is a file relative to the repository root; `to` is
 * another such file, or the bare specifier of a package (`@pulumi/aws/ec2`, `node:fs`, `yaml`).
 */
export interface ImportEdge {
  from: string;
  to: string;
}

const SOURCE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/**
 * Every import of every source file under `folders`, as TypeScript's own pre-processor reads it:
 * `import … from`, `export … from`, `import "m"`, `import x = require("m")`, `import("m")` and
 * `require("m")`. Type-only imports count: a layer that names another's types depends on it as
 * surely as one that calls it.
 */
export function importGraph(root: string, folders: string[]): ImportEdge[] {
  return folders
    .flatMap((folder) => sourceFiles(join(root, folder)))
    .flatMap((file) => importsOf(root, file));
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry) && !entry.endsWith(".d.ts") ? [path] : [];
  });
}

function importsOf(root: string, file: string): ImportEdge[] {
  const from = repoPath(root, file);
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles.map(({ fileName: specifier }) => ({
    from,
    to: specifier.startsWith(".") ? repoPath(root, resolveRelative(file, specifier)) : specifier,
  }));
}

// A relative import names a file without its extension, or a folder's index; an unresolvable one
// keeps its resolved path, so a rule over its folder still sees it.
function resolveRelative(file: string, specifier: string): string {
  const path = resolve(dirname(file), specifier);
  const bare = path.replace(/\.[cm]?js$/, "");
  const candidates = [path, ...[".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"].map((extension) => `${bare}${extension}`), join(path, "index.ts")];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? path;
}

function repoPath(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}
