import { matchesGlob } from "node:path";
import type { ImportEdge } from "./importGraph";
import type { LayerRule } from "./layerRules";

const matchesAny = (path: string, globs: string[] = []) => globs.some((glob) => matchesGlob(path, glob));

const forbids = (rule: LayerRule, target: string) => matchesAny(target, rule.mayNotImport) && !matchesAny(target, rule.unless);

/**
 * Every import that breaks a rule, as `from → to (because)`. A rule checked transitively names the
 * chain from one of its files to the import that breaks it, once per breaking import, by the
 * shortest chain.
 */
export function layerViolations(edges: ImportEdge[], rules: LayerRule[]): string[] {
  const importsOf = new Map<string, string[]>();
  for (const { from, to } of edges) importsOf.set(from, [...(importsOf.get(from) ?? []), to]);
  return rules.flatMap((rule) => {
    const files = [...importsOf.keys()].filter((file) => matchesGlob(file, rule.files)).sort();
    const chains = rule.transitively ? breakingChains(files, importsOf, rule) : files.flatMap((from) => importsOf.get(from)!.filter((to) => forbids(rule, to)).map((to) => [from, to]));
    return chains.map((chain) => `${chain.join(" → ")} (${rule.because})`);
  });
}

function breakingChains(starts: string[], importsOf: Map<string, string[]>, rule: LayerRule): string[][] {
  const chainTo = new Map<string, string[]>(starts.map((file) => [file, [file]]));
  const found = new Map<string, string[]>();
  for (let queue = [...starts]; queue.length > 0; ) {
    const file = queue.shift()!;
    for (const target of importsOf.get(file) ?? []) {
      const chain = [...chainTo.get(file)!, target];
      if (forbids(rule, target)) {
        if (!found.has(`${file} ${target}`)) found.set(`${file} ${target}`, chain);
      } else if (importsOf.has(target) && !chainTo.has(target)) {
        chainTo.set(target, chain);
        queue.push(target);
      }
    }
  }
  return [...found.values()];
}
