/**
 * A module loaded on first use instead of with the module that needs it: each cloud's SDK and the
 * kit's code over it take half a second or more to load under `pulumi preview`, and a stack uses one
 * cloud and one runtime (npm run bench, language host row). Vitest's module runner cannot `require`
 * TypeScript, so the component tests hand these modules over already loaded
 * (test/helpers/preloadLazyModules.ts); the key names the module under components/.
 */
export function lazyModule<T>(key: string, load: () => T): () => T {
  return () => {
    const module = preloaded.get(key) as T | undefined;
    if (module) return module;
    try {
      return load();
    } catch (error) {
      if (!process.env.VITEST) throw error;
      throw new Error(`components/${key} is loaded on first use, which vitest cannot do: add test/helpers/preloadLazyModules.ts to this test tier's setupFiles`, { cause: error });
    }
  };
}

const preloaded = new Map<string, unknown>();

/** Makes `lazyModule(key)` return `module` instead of loading it. */
export function preloadModule(key: string, module: unknown): void {
  preloaded.set(key, module);
}
