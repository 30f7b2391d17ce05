import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import { DYNAMIC_CONFIG_FILE, RENDERED_CONFIG_LABEL, SERVER_CONFIG_FILE } from "../temporal/roles";
import type { ClusterNames } from "./names";

export interface TemporalServerConfigArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** The rendered server config file, shared by every role. */
  serverConfig: pulumi.Input<string>;
  dynamicConfig: string;
}


/**
 * The server config and dynamic config files as ConfigMaps. Neither holds a secret: passwords
 * are template actions the server resolves from its environment at start.
 */
export class TemporalServerConfig extends pulumi.ComponentResource {
  readonly serverConfigMap: k8s.core.v1.ConfigMap;
  readonly dynamicConfigMap: k8s.core.v1.ConfigMap;
  /** Hash of the server config: a pod annotation, so a config change rolls the roles. */
  readonly checksum: pulumi.Output<string>;

  constructor(name: string, args: TemporalServerConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:TemporalServerConfig", name, {}, opts);
    const { names } = args;

    const configFile = (kind: "server" | "dynamic", objectName: string, file: string, content: pulumi.Input<string>) =>
      new k8s.core.v1.ConfigMap(
        `${name}-${kind}`,
        {
          metadata: {
            name: objectName,
            namespace: args.namespace,
            labels: { ...names.labels(`${kind}-config`), [RENDERED_CONFIG_LABEL]: kind },
          },
          data: { [file]: content },
        },
        childOf(this, opts),
      );

    this.serverConfigMap = configFile("server", names.serverConfig, SERVER_CONFIG_FILE, args.serverConfig);
    // Dynamic config is polled by the running server; it is left out of the checksum on purpose
    // so that changing it never restarts a pod.
    this.dynamicConfigMap = configFile("dynamic", names.dynamicConfig, DYNAMIC_CONFIG_FILE, args.dynamicConfig);

    this.checksum = pulumi
      .all([this.serverConfigMap.data, this.dynamicConfigMap.metadata.name])
      .apply(([data]) => createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, 16));

    this.registerOutputs({ checksum: this.checksum });
  }
}
