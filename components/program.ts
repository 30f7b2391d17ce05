import { readStackConfig, readStackSecrets } from "./config/load";
import { TemporalCluster } from "./temporalCluster";
import { kubernetesProvider } from "./kubernetes/provider";

export interface ProgramOptions {
  /** The stack file named in config error messages; defaults to stacks/Pulumi.<stack>.yaml. */
  configSource?: string;
}

/**
 * The Pulumi program: parse the stack config once (before any resource exists), then build the
 * cluster from it. `pulumi up` runs it through index.ts; the offline synth runs the same function.
 */
export function runProgram(options: ProgramOptions = {}) {
  const config = readStackConfig(options.configSource);
  const secrets = readStackSecrets(config, options.configSource);
  const provider = kubernetesProvider(config.kubernetes.context);
  const cluster = new TemporalCluster(config.clusterName, { config, secrets }, provider ? { providers: { kubernetes: provider } } : {});

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
