import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsPlatform } from "./aws/awsPlatform";
import { AzurePlatform } from "./azure/azurePlatform";
import { TemporalOnEcs } from "./aws/ecs/temporalOnEcs";
import { WorkloadIdentityRole } from "./aws/workloadIdentityRole";
import { enabledRoles, roleConfigOf } from "./config/roleConfig";
import type { StackSecrets } from "./config/load";
import type { StackConfig } from "./config/schema";
import { ClusterNames } from "./kubernetes/names";
import { NamespaceRegistration } from "./kubernetes/namespaceRegistration";
import { NetworkIsolation, NetworkIsolationArgs, storePortOf } from "./kubernetes/networkIsolation";
import { SchemaSetup } from "./kubernetes/schemaSetup";
import { KubernetesStores, storesOnKubernetes } from "./kubernetes/stores";
import { TemporalServerConfig } from "./kubernetes/serverConfig";
import { TemporalServiceRole } from "./kubernetes/serviceRole";
import { WebConsole } from "./kubernetes/webConsole";
import { WorkerPool } from "./kubernetes/workerPool";
import { renderDynamicConfig } from "./temporal/dynamicConfig";
import { sqlConnectionsNeeded } from "./temporal/connectionBudget";
import { ROLES, type RoleName } from "./temporal/roles";
import { renderServerConfig } from "./temporal/serverConfig";

/** The pool of the stack's SQL server: the default store's, or visibility's beside Cassandra. */
function sqlPoolOf(config: StackConfig): { maxConns: number } {
  if ("pool" in config.persistence) return config.persistence.pool;
  if (config.visibility.store === "sql-server") return config.visibility.server.pool;
  // No SQL server at all (Cassandra with Elasticsearch or OpenSearch): nothing to size.
  return { maxConns: 0 };
}

/** The stores this stack runs inside the cluster, with the ports their clients and peers use. */
function inClusterStores(config: StackConfig): NetworkIsolationArgs["stores"] {
  const visibility = config.visibility;
  const mysql = config.persistence.hosting === "in-cluster" || (visibility.store === "sql-server" && visibility.server.hosting === "in-cluster");
  return [
    ...(mysql ? [{ component: "mysql" as const, port: 3306 }] : []),
    ...(config.persistence.hosting === "in-cluster-cassandra" ? [{ component: "cassandra" as const, port: 9042, peerPort: 7000 }] : []),
    ...(visibility.store === "elasticsearch" ? [{ component: "elasticsearch" as const, port: 9200 }] : []),
  ];
}

/** Ports of the stores that live outside the cluster, which the roles and schema job must reach. */
function outOfClusterStorePorts(config: StackConfig, store: KubernetesStores): pulumi.Output<number[]> {
  const defaultInCluster = config.persistence.hosting === "in-cluster" || config.persistence.hosting === "in-cluster-cassandra";
  const visibility = config.visibility;
  const visibilityInCluster =
    visibility.store === "sql" ? defaultInCluster : visibility.store === "elasticsearch" || (visibility.store === "sql-server" && visibility.server.hosting === "in-cluster");
  return pulumi
    .all([store.defaultStore, store.visibilityStore])
    .apply(([defaultStore, visibilityStore]) => [...(defaultInCluster ? [] : [storePortOf(defaultStore)]), ...(visibilityInCluster ? [] : [storePortOf(visibilityStore)])]);
}

export interface TemporalClusterArgs {
  config: StackConfig;
  /** The stack's encrypted config values; the web console's client secret when it signs people in. */
  secrets?: StackSecrets;
}

/**
 * A whole Temporal deployment, composed from the parsed stack config: the cloud platform when the
 * stack runs on one (network, EKS or ECS, RDS), then either on Kubernetes the data store, schema
 * job, the service roles, namespace registration, web console and worker pools, or the same on
 * ECS Fargate; in the order the resource graph enforces.
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
  readonly aws?: AwsPlatform;
  readonly azure?: AzurePlatform;

  constructor(name: string, args: TemporalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:index:TemporalCluster", name, {}, opts);
    const { config } = args;
    const roles = enabledRoles(config);
    const connectionsNeeded = sqlConnectionsNeeded(
      roles.map((role) => roleConfigOf(config, role).replicas),
      sqlPoolOf(config).maxConns,
    );
    this.temporalNamespaces = config.namespaces.map((ns) => ns.name);

    if (config.platform === "aws-eks" || config.platform === "aws-ecs") {
      this.aws = new AwsPlatform(`${name}-aws`, { config, sqlConnectionsNeeded: connectionsNeeded }, { parent: this });
    }
    if (config.platform === "azure-aks") {
      this.azure = new AzurePlatform(`${name}-azure`, { config, sqlConnectionsNeeded: connectionsNeeded }, { parent: this });
    }

    if (this.aws?.ecs) {
      const onEcs = new TemporalOnEcs(
        `${name}-ecs`,
        {
          config,
          roles,
          ecs: this.aws.ecs,
          vpcId: this.aws.vpcId,
          vpcCidr: this.aws.vpcCidr,
          privateSubnetIds: this.aws.privateSubnetIds,
          publicSubnetIds: this.aws.publicSubnetIds,
          database: this.aws.ecsSqlServer!,
          tags: this.aws.tags,
          webConsoleClientSecret: args.secrets?.webConsoleClientSecret,
        },
        { parent: this },
      );
      this.frontendAddress = onEcs.frontendAddress;
      this.frontendEndpoint = onEcs.frontendEndpoint;
      this.webConsoleUrl = onEcs.webConsoleUrl;
      Object.assign(this.roles, onEcs.roles);
    } else {
      const onKubernetes = this.deployOnKubernetes(name, config, roles, connectionsNeeded, args.secrets ?? {});
      this.kubernetesNamespace = onKubernetes.namespace;
      this.frontendAddress = onKubernetes.frontendAddress;
      this.frontendEndpoint = onKubernetes.frontendAddress;
      this.webConsoleUrl = onKubernetes.webConsole?.url;
      this.webConsoleAccess = onKubernetes.webConsole?.accessCommand;
    }

    this.registerOutputs({
      kubernetesNamespace: this.kubernetesNamespace,
      frontendAddress: this.frontendAddress,
      frontendEndpoint: this.frontendEndpoint,
      webConsoleUrl: this.webConsoleUrl,
      temporalNamespaces: this.temporalNamespaces,
    });
  }

  private deployOnKubernetes(name: string, config: StackConfig, enabledRoles: RoleName[], connectionsNeeded: number, secrets: StackSecrets) {
    const names = new ClusterNames(config.clusterName);
    const highAvailability = config.environment !== "dev";
    // On a cloud platform every Kubernetes object goes to the cluster that platform made or found.
    const provider = this.aws?.eks?.provider ?? this.azure?.aks.provider;
    const onKubernetes: pulumi.ComponentResourceOptions = { parent: this, ...(provider ? { providers: { kubernetes: provider } } : {}) };

    const namespace = config.kubernetes.createNamespace
      ? new k8s.core.v1.Namespace(
          `${name}-namespace`,
          { metadata: { name: config.kubernetes.namespace, labels: names.labels("namespace") } },
          { parent: this, ...(provider ? { provider } : {}) },
        ).metadata.name
      : pulumi.output(config.kubernetes.namespace);

    const store = storesOnKubernetes(
      name,
      {
        names,
        namespace,
        persistence: config.persistence,
        visibility: config.visibility,
        connectionsNeeded,
        highAvailability,
        managed: this.aws?.managedStores ?? this.azure?.managedStores,
      },
      onKubernetes,
    );
    if (config.kubernetes.networkPolicies) {
      new NetworkIsolation(
        `${name}-network`,
        {
          names,
          namespace,
          roles: enabledRoles,
          stores: inClusterStores(config),
          outOfClusterStorePorts: outOfClusterStorePorts(config, store),
          workers: config.workers.map((pool) => ({ name: pool.name, egress: pool.egress ?? "any" })),
          webConsoleSignsIn: config.webConsole.enabled && config.webConsole.auth.enabled,
        },
        onKubernetes,
      );
    }

    const frontendAddress = namespace.apply((ns) => names.roleAddress("frontend", ns, ROLES.frontend.grpcPort));

    const serverConfig = new TemporalServerConfig(
      `${name}-config`,
      {
        names,
        namespace,
        serverConfig: pulumi
          .all([store.defaultStore, store.visibilityStore, frontendAddress])
          .apply(([defaultStore, visibilityStore, address]) =>
            renderServerConfig({
              numHistoryShards: config.temporal.numHistoryShards,
              logLevel: config.temporal.logLevel,
              defaultStore,
              visibilityStore,
              roles: enabledRoles,
              frontendAddress: address,
            }),
          ),
        dynamicConfig: renderDynamicConfig(config.temporal.dynamicConfig),
      },
      onKubernetes,
    );

    const schema = new SchemaSetup(
      `${name}-schema`,
      {
        names,
        namespace,
        adminToolsImage: config.temporal.adminToolsImage,
        defaultStore: store.defaultStore,
        visibilityStore: store.visibilityStore,
        defaultStorePassword: store.defaultPassword,
        visibilityStorePassword: store.visibilityPassword,
        storeCaConfigMapName: store.caConfigMapName,
      },
      { ...onKubernetes, dependsOn: store.ready },
    );

    for (const role of enabledRoles) {
      const roleConfig = roleConfigOf(config, role);
      this.roles[role] = new TemporalServiceRole(
        `${name}-${role}`,
        {
          role,
          names,
          namespace,
          image: config.temporal.serverImage,
          replicas: roleConfig.replicas,
          resources: roleConfig.resources,
          configChecksum: serverConfig.checksum,
          defaultStorePassword: store.defaultPassword,
          visibilityStorePassword: store.visibilityPassword,
          storeCaConfigMapName: store.caConfigMapName,
          highAvailability,
        },
        // No pod may start before the schema is current.
        { ...onKubernetes, dependsOn: [schema, serverConfig] },
      );
    }
    const frontendRole = this.roles.frontend as TemporalServiceRole;
    const allRoles = Object.values(this.roles);

    const registrations = new Map(
      config.namespaces.map((temporalNamespace) => [
        temporalNamespace.name,
        new NamespaceRegistration(
          `${name}-ns-${temporalNamespace.name}`,
          { names, namespace, adminToolsImage: config.temporal.adminToolsImage, temporalNamespace, frontendAddress: frontendRole.address },
          // The frontend alone can answer before history owns its shards; wait for every role.
          { ...onKubernetes, dependsOn: allRoles },
        ),
      ]),
    );
    const webConsole = config.webConsole.enabled
      ? new WebConsole(
          `${name}-web`,
          { names, namespace, config: config.webConsole, frontendAddress: frontendRole.address, highAvailability, clientSecret: secrets.webConsoleClientSecret },
          { ...onKubernetes, dependsOn: [frontendRole] },
        )
      : undefined;

    for (const pool of config.workers) {
      const eks = this.aws?.eks;
      const identity =
        eks && pool.awsPolicyArns?.length
          ? new WorkloadIdentityRole(
              `${name}-worker-${pool.name}-identity`,
              {
                trust: { platform: "eks", oidcProviderArn: eks.oidcProviderArn, oidcIssuer: eks.oidcIssuer, namespace, serviceAccountName: names.workerPool(pool.name) },
                description: `AWS access of the ${pool.name} worker pool`,
                policyArns: pool.awsPolicyArns,
                tags: this.aws!.tags,
              },
              { parent: this },
            )
          : undefined;
      new WorkerPool(
        `${name}-worker-${pool.name}`,
        { names, namespace, config: pool, frontendAddress: frontendRole.address, highAvailability, ...(identity ? { awsRoleArn: identity.arn } : {}) },
        // A worker polling a namespace that does not exist yet only crash-loops.
        { ...onKubernetes, dependsOn: [registrations.get(pool.namespace)!] },
      );
    }

    return { namespace, frontendAddress: frontendRole.address, webConsole };
  }
}
