import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * Sorts the test files into tiers by what they load, so that no one has to keep a list:
 * - stacks: the whole-stack tests under test/stacks, which read the synthesized stacks;
 * - components: files whose imports reach @pulumi/* (the Pulumi runtime, under mocks);
 * - pure: everything else (config, the Temporal model, policy rules, pure builders).
 * A type-only import loads nothing and does not count.
 */
export interface Tiers {
  pure: string[];
  components: string[];
  stacks: string[];
}

export function testTiers(root: string, testDir = "test", skip: string[] = ["test/real"]): Tiers {
  const tiers: Tiers = { pure: [], components: [], stacks: [] };
  const loadsPulumi = new ImportScanner();
  for (const file of testFiles(join(root, testDir)).map((path) => relative(root, path))) {
    if (skip.some((dir) => file.startsWith(`${dir}/`))) continue;
    if (file.startsWith("test/stacks/")) tiers.stacks.push(file);
    else if (loadsPulumi.reaches(join(root, file))) tiers.components.push(file);
    else tiers.pure.push(file);
  }
  return tiers;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return testFiles(path);
    return path.endsWith(".test.ts") ? [path] : [];
  });
}

// `import x from "m"`, `import "m"`, `export { x } from "m"`, `import("m")`, `require("m")`.
const IMPORT = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']|(?:^|[;\n])\s*import\s*["']([^"']+)["']|\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g;
const ONLY_TYPES = /^\{\s*(?:type\s+[\w$]+(?:\s+as\s+[\w$]+)?\s*,?\s*)+\}$/;

class ImportScanner {
  private readonly verdicts = new Map<string, boolean>();

  reaches(file: string): boolean {
    const known = this.verdicts.get(file);
    if (known !== undefined) return known;
    // A cycle reaches Pulumi only through some other edge, which is found from there.
    this.verdicts.set(file, false);
    const verdict = this.specifiersOf(file).some((specifier) => {
      // @pulumi/pulumi/errors (the config parser's RunError) starts nothing of the runtime.
      if (specifier.startsWith("@pulumi/") && specifier !== "@pulumi/pulumi/errors") return true;
      if (!specifier.startsWith(".")) return false;
      const target = sourceFile(resolve(dirname(file), specifier));
      return target !== undefined && this.reaches(target);
    });
    this.verdicts.set(file, verdict);
    return verdict;
  }

  private specifiersOf(file: string): string[] {
    const source = readFileSync(file, "utf8");
    const specifiers: string[] = [];
    for (const match of source.matchAll(IMPORT)) {
      const [, , typeOnly, clause, fromSpecifier, bareSpecifier, callSpecifier] = match;
      if (fromSpecifier !== undefined) {
        if (typeOnly || ONLY_TYPES.test(clause.trim())) continue;
        specifiers.push(fromSpecifier);
      } else {
        specifiers.push((bareSpecifier ?? callSpecifier)!);
      }
    }
    return specifiers;
  }
}

function sourceFile(path: string): string | undefined {
  for (const candidate of [`${path}.ts`, `${path}.mts`, join(path, "index.ts"), path]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}
