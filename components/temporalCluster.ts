import * as pulumi from "@pulumi/pulumi";
import { enabledRoles, peakReplicasOf } from "./config/roleConfig";
import type { StackSecrets } from "./config/load";
import type { StackConfig } from "./config/schema";
import { type Platform, platformFor } from "./platforms";
import { sqlConnectionsNeeded } from "./temporal/connectionBudget";
import type { RoleName } from "./temporal/roles";
import { UpgradeGuard, guardUpgrades } from "./upgradeGuard";
import { lazyModule } from "./lazyModule";
import { sqlPoolOf } from "./stores/layout";

export interface TemporalClusterArgs {
  config: StackConfig;
  /** The stack's encrypted config values; the web console's client secret when it signs people in. */
  secrets?: StackSecrets;
  /** What every child's logical name starts with; the component's own name when not given. */
  childNamePrefix?: string;
}

/**
 * A whole Temporal deployment, composed from the parsed stack config: the platform the stack
 * names (platforms/), then the deploy plan (temporal/deployPlan.ts) carried out by the runtime
 * that platform runs workloads on, Kubernetes or ECS Fargate.
 */
export class TemporalCluster extends pulumi.ComponentResource {
  /** The Kubernetes namespace; none on ECS. */
  readonly kubernetesNamespace?: pulumi.Output<string>;
  /** host:port the kit's own workloads reach the frontend at. */
  readonly frontendAddress: pulumi.Output<string>;
  /** host:port clients outside the kit's workloads call: the frontend's load balancer on ECS. */
  readonly frontendEndpoint: pulumi.Output<string>;
  readonly roles: Partial<Record<RoleName, pulumi.ComponentResource>> = {};
  readonly webConsoleUrl?: pulumi.Output<string>;
  readonly webConsoleAccess?: pulumi.Output<string>;
  readonly temporalNamespaces: string[];
  /** What the platform made and hands the deployment, with the stack outputs that are its own. */
  readonly platform: Platform;
  /** Refuses, at preview, a changed shard count or a skipped minor version; the schema and roles wait for it. */
  readonly upgradeGuard: UpgradeGuard;

  constructor(resourceName: string, args: TemporalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:index:TemporalCluster", resourceName, {}, opts);
    const { config } = args;
    const name = args.childNamePrefix ?? resourceName;
    const roles = enabledRoles(config);
    const connectionsNeeded = sqlConnectionsNeeded(
      roles.map((role) => peakReplicasOf(config, role)),
      sqlPoolOf(config).maxConns,
    );
    this.temporalNamespaces = config.namespaces.map((ns) => ns.name);
    this.upgradeGuard = guardUpgrades(`${name}-upgrade-guard`, config.temporal, { parent: this });
    const platform = (this.platform = platformFor(name, { config, sqlConnectionsNeeded: connectionsNeeded }, this));

    if (platform.runtime === "ecs") {
      const { TemporalOnEcs } = ecsRuntime();
      const onEcs = new TemporalOnEcs(
        `${name}-ecs`,
        { config, roles, target: platform.target, upgradeGuard: this.upgradeGuard, webConsoleClientSecret: args.secrets?.webConsoleClientSecret },
        { parent: this },
      );
      this.frontendAddress = onEcs.frontendAddress;
      this.frontendEndpoint = onEcs.frontendEndpoint;
      this.webConsoleUrl = onEcs.webConsoleUrl;
      Object.assign(this.roles, onEcs.roles);
    } else {
      const onKubernetes = kubernetesRuntime().deployOnKubernetes(this, name, { config, roles, connectionsNeeded, platform, upgradeGuard: this.upgradeGuard, secrets: args.secrets });
      this.kubernetesNamespace = onKubernetes.namespace;
      this.frontendAddress = onKubernetes.frontendAddress;
      this.frontendEndpoint = onKubernetes.frontendAddress;
      this.webConsoleUrl = onKubernetes.webConsole?.url;
      this.webConsoleAccess = onKubernetes.webConsole?.accessCommand;
      Object.assign(this.roles, onKubernetes.roles);
    }

    this.registerOutputs({
      kubernetesNamespace: this.kubernetesNamespace,
      frontendAddress: this.frontendAddress,
      frontendEndpoint: this.frontendEndpoint,
      webConsoleUrl: this.webConsoleUrl,
      temporalNamespaces: this.temporalNamespaces,
    });
  }
}

// A stack loads the runtime it runs on only: ECS loads all it uses of @pulumi/aws, Kubernetes @pulumi/kubernetes.
const kubernetesRuntime = lazyModule("runtime/kubernetes/temporalOnKubernetes", () => require("./runtime/kubernetes/temporalOnKubernetes") as typeof import("./runtime/kubernetes/temporalOnKubernetes"));
const ecsRuntime = lazyModule("runtime/ecs/temporalOnEcs", () => require("./runtime/ecs/temporalOnEcs") as typeof import("./runtime/ecs/temporalOnEcs"));
