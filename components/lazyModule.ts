/**
 * A module loaded on first use instead of with the module that needs it: each cloud's SDK and the
 * kit's code over it take half a second or more to load under `pulumi preview`, and a stack uses one
 * cloud and one runtime (npm run bench, language host row). Vitest's module runner cannot `require`
 * TypeScript, so the component tests hand these modules over already loaded
 * (test/helpers/preloadLazyModules.ts); the key names the module under components/.
 */
export function lazyModule<T>(key: string, load: () => T): () => T {
  return () => (preloaded.get(key) as T | undefined) ?? load();
}

const preloaded = new Map<string, unknown>();

/** Makes `lazyModule(key)` return `module` instead of loading it. */
export function preloadModule(key: string, module: unknown): void {
  preloaded.set(key, module);
}
