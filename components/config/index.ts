// The `temporal-kit/config` entry point: the config parser and its types alone, for code that
// checks a config without building a cluster; it loads no Pulumi runtime.
export { clusterConfig, type ClusterConfigInput, type DeepPartial } from "./clusterConfig";
export { parseStackConfig } from "./parse";
export { StackConfigError, type ConfigProblem } from "./errors";
export { ENVIRONMENTS, PLATFORMS, stackConfigSchema } from "./schema";
export type {
  Environment,
  NamespaceConfig,
  PersistenceConfig,
  Platform,
  ResourcesConfig,
  RoleConfig,
  RolesConfig,
  StackConfig,
  VisibilityConfig,
  WebConsoleConfig,
  WorkerConfig,
} from "./schema";
