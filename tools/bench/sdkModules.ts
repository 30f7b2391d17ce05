/**
 * The SDK modules a stack uses, from the types of the resources it registers: the floor a synth of
 * that stack is measured against loads exactly these. @pulumi/aws and @pulumi/azure-native are
 * imported per service module (each package's documented submodule paths, `@pulumi/aws/s3`); the
 * smaller providers as a whole. The kit's own components and Pulumi's stack and dynamic resources
 * need only @pulumi/pulumi.
 */
export function sdkModulesOf(resourceTypes: Iterable<string>): string[] {
  const modules = new Set(["@pulumi/pulumi"]);
  for (const type of resourceTypes) {
    const module = sdkModuleOf(type);
    if (module) modules.add(module);
  }
  return [...modules].sort();
}

const PER_SERVICE = new Set(["aws", "azure-native"]);
const WHOLE_PACKAGE = new Set(["kubernetes", "random", "tls"]);

function sdkModuleOf(type: string): string | undefined {
  const [pkg, module, name] = type.split(":");
  if (pkg === "temporal-kit" || pkg === "pulumi-nodejs" || (pkg === "pulumi" && module === "pulumi")) return undefined;
  // A provider resource: `pulumi:providers:aws` is the package's own Provider class.
  if (pkg === "pulumi" && module === "providers") return `@pulumi/${name}`;
  if (PER_SERVICE.has(pkg)) return `@pulumi/${pkg}/${module.split("/")[0]}`;
  if (WHOLE_PACKAGE.has(pkg)) return `@pulumi/${pkg}`;
  // A package the floor does not know would leave its load out of the floor: the benchmark stops.
  throw new Error(`sdkModulesOf: no SDK module known for resource type ${type}; add its package to tools/bench/sdkModules.ts`);
}
