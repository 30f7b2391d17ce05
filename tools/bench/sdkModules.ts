/**
 * What of the SDKs a stack uses, from the types of the resources it registers: the floor a synth of
 * that stack is measured against loads exactly this. @pulumi/aws and @pulumi/azure-native are
 * imported per service module (each package's documented submodule paths, `@pulumi/aws/s3`), the
 * smaller providers as a whole; each resource class is then read from its module, since the SDKs
 * load a class's own file only on first use. The kit's own components and Pulumi's stack and dynamic
 * resources need only @pulumi/pulumi.
 */
export interface SdkUse {
  module: string;
  /** Property path from the module to each resource class the stack registers. */
  classes: string[][];
}

export function sdkUseOf(resourceTypes: Iterable<string>): SdkUse[] {
  const uses = new Map<string, Set<string>>([["@pulumi/pulumi", new Set()]]);
  for (const type of new Set(resourceTypes)) {
    const use = sdkClassOf(type);
    if (!use) continue;
    if (!uses.has(use.module)) uses.set(use.module, new Set());
    uses.get(use.module)!.add(use.path.join("."));
  }
  return [...uses]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, classes]) => ({ module, classes: [...classes].sort().map((path) => path.split(".")) }));
}

/** A script that loads the modules and reads every class from them; a class the SDK lacks fails it. */
export function floorScript(uses: SdkUse[]): string {
  return `for (const [name, classes] of ${JSON.stringify(uses.map((use) => [use.module, use.classes]))}) {
    const module = require(name);
    for (const path of classes) if (path.reduce((parent, key) => parent[key], module) === undefined) throw new Error(name + " has no " + path.join("."));
  }`;
}

const PER_SERVICE = new Set(["aws", "azure-native"]);
const WHOLE_PACKAGE = new Set(["kubernetes", "random", "tls"]);

function sdkClassOf(type: string): { module: string; path: string[] } | undefined {
  const [pkg, module, name] = type.split(":");
  if (pkg === "temporal-kit" || pkg === "pulumi-nodejs" || (pkg === "pulumi" && module === "pulumi")) return undefined;
  // A provider resource: `pulumi:providers:aws` is the package's own Provider class, which the
  // per-service packages ship in a module of its own (their root loads every service).
  if (pkg === "pulumi" && module === "providers") return PER_SERVICE.has(name) ? { module: `@pulumi/${name}/provider`, path: ["Provider"] } : { module: `@pulumi/${name}`, path: ["Provider"] };
  if (PER_SERVICE.has(pkg)) return { module: `@pulumi/${pkg}/${module.split("/")[0]}`, path: [name] };
  if (pkg === "kubernetes") return { module: "@pulumi/kubernetes", path: kubernetesClassPath(module, name) };
  if (WHOLE_PACKAGE.has(pkg)) return { module: `@pulumi/${pkg}`, path: [name] };
  // A package the floor does not know would leave its load out of the floor: the benchmark stops.
  throw new Error(`sdkUseOf: no SDK module known for resource type ${type}; add its package to tools/bench/sdkModules.ts`);
}

/**
 * `kubernetes:apps/v1:Deployment` is `apps.v1.Deployment`; a core type has no group
 * (`core/v1`); `networking.k8s.io/v1` is `networking.v1`. A group the SDK does not ship (a custom
 * resource such as `monitoring.coreos.com/v1`) is made with `apiextensions.CustomResource`.
 */
function kubernetesClassPath(groupVersion: string, kind: string): string[] {
  const [group, version] = groupVersion.split("/");
  if (group.includes(".") && !group.endsWith(".k8s.io")) return ["apiextensions", "CustomResource"];
  return [group.replace(/\.k8s\.io$/, "").replace(/\.authorization$/, ""), version, kind];
}
