import { readStackConfig, readStackSecrets } from "./config/load";
import { TemporalCluster } from "./temporalCluster";
import { lazyModule } from "./lazyModule";

export interface ProgramOptions {
  /** The stack file named in config error messages; defaults to stacks/Pulumi.<stack>.yaml. */
  configSource?: string;
}

/** The root component's logical name, whatever the stack's clusterName: its URN is the same in every stack. */
export const ROOT_COMPONENT_NAME = "temporal";

/**
 * The Pulumi program: parse the stack config once (before any resource exists), then build the
 * cluster from it. `pulumi up` runs it through index.ts; the offline synth runs the same function.
 */
export function runProgram(options: ProgramOptions = {}) {
  const config = readStackConfig(options.configSource);
  const secrets = readStackSecrets(config, options.configSource);
  const context = config.kubernetes.context;
  const provider = context ? kubernetesProviderModule().kubernetesProvider(context) : undefined;
  // The root's own URN does not follow the config; its children's names, and so their URNs and the
  // physical names made from them, still start with clusterName. A stack whose clusterName is not
  // the root's name keeps its root, made under that name before, through the alias.
  const cluster = new TemporalCluster(
    ROOT_COMPONENT_NAME,
    { config, secrets, childNamePrefix: config.clusterName },
    {
      ...(provider ? { providers: { kubernetes: provider } } : {}),
      ...(config.clusterName !== ROOT_COMPONENT_NAME ? { aliases: [{ name: config.clusterName }] } : {}),
    },
  );

  return {
    environment: config.environment,
    ...(cluster.kubernetesNamespace ? { kubernetesNamespace: cluster.kubernetesNamespace } : {}),
    frontendAddress: cluster.frontendAddress,
    frontendEndpoint: cluster.frontendEndpoint,
    ...(cluster.webConsoleUrl ? { webConsoleUrl: cluster.webConsoleUrl } : {}),
    ...(cluster.webConsoleAccess ? { webConsoleAccess: cluster.webConsoleAccess } : {}),
    temporalNamespaces: cluster.temporalNamespaces,
    ...cluster.platform.outputs,
  };
}

// An ECS stack names no context and need not load @pulumi/kubernetes, whose root loads every API group.
const kubernetesProviderModule = lazyModule("kubernetes/provider", () => require("./kubernetes/provider") as typeof import("./kubernetes/provider"));
