import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const COMPONENTS = join(ROOT, "components");
const LAZY = /lazyModule\(\s*"([^"]+)",\s*\(\)\s*=>\s*require\("([^"]+)"\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const sources = sourceFiles(COMPONENTS).filter((file) => !file.endsWith("lazyModule.ts"));
const lazyModules = sources.flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(LAZY)].map(([, key, specifier]) => ({ file: relative(ROOT, file), key, required: relative(COMPONENTS, resolve(dirname(file), specifier)) })),
);

describe("modules the kit loads on first use (components/lazyModule.ts)", () => {
  it("are each written as lazyModule(key, () => require(path)), so these checks see every one", () => {
    const calls = sources.flatMap((file) => readFileSync(file, "utf8").match(/\blazyModule\(/g) ?? []);
    expect(lazyModules.length).toBe(calls.length);
    expect(lazyModules.map((lazy) => lazy.key)).toContain("platforms/onAws");
  });

  it.each(lazyModules)("$key: its key names the module $file requires", ({ key, required }) => {
    expect(required).toBe(key);
  });

  it.each(lazyModules)("$key: is handed to the component tests, whose module runner cannot require TypeScript", ({ key }) => {
    const preload = readFileSync(join(ROOT, "test", "helpers", "preloadLazyModules.ts"), "utf8");
    const imported = new RegExp(`import \\* as (\\w+) from "\\.\\./\\.\\./components/${key}";`).exec(preload);
    expect(imported, `test/helpers/preloadLazyModules.ts imports components/${key}`).not.toBeNull();
    expect(preload).toContain(`preloadModule("${key}", ${imported![1]});`);
  });
});
