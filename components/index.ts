// The package's root entry point (package.json `exports`): what another Pulumi program needs to
// build a Temporal cluster from typed arguments. The stack-file program is index.ts at the root.
export { TemporalCluster, type TemporalClusterArgs } from "./temporalCluster";
export * from "./config";
export type { StackSecrets } from "./config/load";
export { platformFor, type PlatformArgs } from "./platforms";
export type { Platform as ClusterPlatform } from "./platforms";
