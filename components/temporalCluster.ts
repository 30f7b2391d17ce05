import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsPlatform } from "./aws/awsPlatform";
import { ArchivalBucket } from "./aws/archivalBucket";
import { archivalBucketFor, archivalSpecOf, namespaceSpecsOf } from "./aws/archivalSetup";
import { BlobArchive, blobArchivalSpec, blobArchiveFor } from "./azure/archivalSetup";
import { AzurePlatform } from "./azure/azurePlatform";
import { TemporalOnEcs } from "./aws/ecs/temporalOnEcs";
import { WorkloadIdentityRole } from "./aws/workloadIdentityRole";
import { enabledRoles, frontendAutoscalingOf, peakReplicasOf, roleConfigOf } from "./config/roleConfig";
import type { StackSecrets } from "./config/load";
import type { StackConfig } from "./config/schema";
import { BlobArchiveGateway } from "./kubernetes/blobArchiveGateway";
import { ClusterNames } from "./kubernetes/names";
import { ClusterSecurity } from "./kubernetes/clusterSecurity";
import { NamespaceRegistration } from "./kubernetes/namespaceRegistration";
import { NetworkIsolation } from "./kubernetes/networkIsolation";
import { TemporalObservability } from "./kubernetes/observability";
import { SchemaSetup } from "./kubernetes/schemaSetup";
import { storesOnKubernetes } from "./kubernetes/stores";
import { TemporalServerConfig } from "./kubernetes/serverConfig";
import { TemporalServiceRole } from "./kubernetes/serviceRole";
import { WebConsole } from "./kubernetes/webConsole";
import { IRSA_ROLE_ANNOTATION, WorkerPool } from "./kubernetes/workerPool";
import { ARCHIVAL_ROLES } from "./temporal/archival";
import { renderDynamicConfig } from "./temporal/dynamicConfig";
import { sqlConnectionsNeeded } from "./temporal/connectionBudget";
import { ROLES, type RoleName } from "./temporal/roles";
import { renderServerConfig } from "./temporal/serverConfig";
import { inRollOrder, rollsAfter } from "./temporal/rollOrder";
import { UpgradeGuard, guardUpgrades } from "./upgradeGuard";
import { inClusterStores, outOfClusterStorePorts, sqlPoolOf } from "./stores/layout";

const isArchivalRole = (role: RoleName): boolean => (ARCHIVAL_ROLES as readonly RoleName[]).includes(role);

/** The role that rolls just before `role`, as a dependency list. */
function previousRole(created: Partial<Record<RoleName, pulumi.Resource>>, role: RoleName, enabled: RoleName[]): pulumi.Resource[] {
  const before = rollsAfter(role, enabled);
  return before && created[before] ? [created[before]!] : [];
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
  /** Refuses, at preview, a changed shard count or a skipped minor version; the schema and roles wait for it. */
  readonly upgradeGuard: UpgradeGuard;
  /** Where closed workflows are archived, when the stack turns archival on (AWS). */
  readonly archive?: ArchivalBucket;
  /** The same on Azure: a Blob Storage account the roles reach through an in-cluster S3 gateway. */
  readonly blobArchive?: BlobArchive;

  constructor(name: string, args: TemporalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:index:TemporalCluster", name, {}, opts);
    const { config } = args;
    const roles = enabledRoles(config);
    const connectionsNeeded = sqlConnectionsNeeded(
      roles.map((role) => peakReplicasOf(config, role)),
      sqlPoolOf(config).maxConns,
    );
    this.temporalNamespaces = config.namespaces.map((ns) => ns.name);
    this.upgradeGuard = guardUpgrades(`${name}-upgrade-guard`, config.temporal, { parent: this });

    if (config.platform === "aws-eks" || config.platform === "aws-ecs") {
      this.aws = new AwsPlatform(`${name}-aws`, { config, sqlConnectionsNeeded: connectionsNeeded }, { parent: this });
    }
    if (config.platform === "azure-aks") {
      this.azure = new AzurePlatform(`${name}-azure`, { config, sqlConnectionsNeeded: connectionsNeeded }, { parent: this });
    }
    if (this.aws) this.archive = archivalBucketFor(`${name}-archival`, config, this.aws.tags, { parent: this });
    if (this.azure) {
      const gateway = { namespace: config.kubernetes.namespace, serviceAccountName: new ClusterNames(config.clusterName).archiveGateway };
      this.blobArchive = blobArchiveFor(`${name}-archival`, config, this.azure, gateway, { parent: this });
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
          upgradeGuard: this.upgradeGuard,
          tags: this.aws.tags,
          ...(this.archive ? { archive: this.archive } : {}),
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
      // In-cluster stores claim their volumes from the default StorageClass, which a kit-made EKS cluster makes itself.
      { ...onKubernetes, ...(this.aws?.eks?.defaultStorageClass ? { dependsOn: [this.aws.eks.defaultStorageClass] } : {}) },
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
          // On Azure the roles archive through the gateway, whose own policies open HTTPS for it alone.
          rolesCallingHttps: enabledRoles.filter(
            (role) =>
              (this.archive !== undefined && isArchivalRole(role)) ||
              (config.security.authorization.enabled && role === "frontend"),
          ),
          namespaceJobsUseInternalFrontend: config.security.authorization.enabled,
          nodeCidrs: config.kubernetes.nodeCidrs,
        },
        onKubernetes,
      );
    }

    if (config.observability.prometheusOperator || config.observability.dashboards.enabled) {
      new TemporalObservability(`${name}-observability`, { names, namespace, roles: enabledRoles, config: config.observability }, onKubernetes);
    }

    const frontendAddress = namespace.apply((ns) => names.roleAddress("frontend", ns, ROLES.frontend.grpcPort));
    const security = new ClusterSecurity(`${name}-tls`, { names, namespace, roles: enabledRoles, security: config.security, networkPolicies: config.kubernetes.networkPolicies }, onKubernetes);
    const gateway = this.blobArchive
      ? new BlobArchiveGateway(
          `${name}-archive-gateway`,
          {
            names,
            namespace,
            blobEndpoint: this.blobArchive.storage.blobEndpoint,
            identityClientId: this.blobArchive.identity.clientId,
            clients: enabledRoles.filter(isArchivalRole),
            highAvailability,
            networkPolicies: config.kubernetes.networkPolicies,
          },
          // Its identity may write only once the storage has granted it the container.
          { ...onKubernetes, dependsOn: [this.blobArchive.storage] },
        )
      : undefined;
    const archival = gateway ? blobArchivalSpec(config, gateway.endpoint) : archivalSpecOf(config, this.archive);
    const archiveAccount = this.archiveServiceAccount(name, names, namespace, provider);

    const serverConfig = new TemporalServerConfig(
      `${name}-config`,
      {
        names,
        namespace,
        serverConfig: pulumi
          .all([store.defaultStore, store.visibilityStore, frontendAddress, archival])
          .apply(([defaultStore, visibilityStore, address, archivalSpec]) =>
            renderServerConfig({
              numHistoryShards: config.temporal.numHistoryShards,
              logLevel: config.temporal.logLevel,
              defaultStore,
              visibilityStore,
              roles: enabledRoles,
              frontendAddress: address,
              tls: security.serverTls(address.split(":")[0]),
              authorization: security.authorization,
              ...(archivalSpec ? { archival: archivalSpec } : {}),
            }),
          ),
        dynamicConfig: renderDynamicConfig(config.temporal.dynamicConfig),
      },
      // A refused shard count must not reach the config file either.
      { ...onKubernetes, dependsOn: [this.upgradeGuard] },
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
      { ...onKubernetes, dependsOn: [...store.ready, this.upgradeGuard] },
    );

    for (const role of inRollOrder(enabledRoles)) {
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
          authorizationEnabled: config.security.authorization.enabled,
          defaultStorePassword: store.defaultPassword,
          visibilityStorePassword: store.visibilityPassword,
          storeCaConfigMapName: store.caConfigMapName,
          highAvailability,
          ...frontendAutoscalingOf(config, role),
          ...(security.rolePods ? { tls: role === "frontend" ? security.frontendPods! : security.rolePods } : {}),
          ...(archiveAccount && isArchivalRole(role) ? { serviceAccountName: archiveAccount.metadata.name } : {}),
          ...(gateway && isArchivalRole(role) ? { archiveCredentials: gateway.credentials } : {}),
        },
        // No pod may start before the schema is current; roles roll one after another (rollOrder.ts).
        {
          ...onKubernetes,
          dependsOn: [
            schema,
            serverConfig,
            ...(security.certificates ? [security.certificates] : []),
            ...(role === "frontend" ? security.frontendDependencies : []),
            ...previousRole(this.roles, role, enabledRoles),
          ],
        },
      );
    }
    const frontendRole = this.roles.frontend as TemporalServiceRole;
    const allRoles = Object.values(this.roles);

    const namespaceSpecs = namespaceSpecsOf(config, archival);
    const registrations = new Map(
      config.namespaces.map((declared, index) => [
        declared.name,
        new NamespaceRegistration(
          `${name}-ns-${declared.name}`,
          {
            names,
            namespace,
            adminToolsImage: config.temporal.adminToolsImage,
            temporalNamespace: namespaceSpecs.apply((specs) => specs[index]),
            frontendAddress: security.namespaceJobsUseInternalFrontend ? (this.roles["internal-frontend"] as TemporalServiceRole).address : frontendRole.address,
            ...(security.namespaceJobPods ? { tls: security.namespaceJobPods } : {}),
          },
          // The frontend alone can answer before history owns its shards; wait for every role.
          { ...onKubernetes, dependsOn: allRoles },
        ),
      ]),
    );
    const webConsole = config.webConsole.enabled
      ? new WebConsole(
          `${name}-web`,
          {
            names,
            namespace,
            config: config.webConsole,
            frontendAddress: frontendRole.address,
            highAvailability,
            clientSecret: secrets.webConsoleClientSecret,
            ...(security.webConsolePods ? { frontendTls: security.webConsolePods } : {}),
          },
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
        {
          names,
          namespace,
          config: pool,
          frontendAddress: frontendRole.address,
          highAvailability,
          ...(identity ? { awsRoleArn: identity.arn } : {}),
          ...(security.workerPods ? { frontendTls: security.workerPods } : {}),
        },
        // A worker polling a namespace that does not exist yet only crash-loops.
        { ...onKubernetes, dependsOn: [registrations.get(pool.namespace)!] },
      );
    }

    return { namespace, frontendAddress: frontendRole.address, webConsole };
  }

  /** On EKS the server roles that touch the archive bucket assume its IAM role through their ServiceAccount (IRSA). */
  private archiveServiceAccount(name: string, names: ClusterNames, namespace: pulumi.Output<string>, provider: pulumi.ProviderResource | undefined) {
    const eks = this.aws?.eks;
    if (!this.archive || !eks) return undefined;
    const identity = new WorkloadIdentityRole(
      `${name}-archival-identity`,
      {
        trust: { platform: "eks", oidcProviderArn: eks.oidcProviderArn, oidcIssuer: eks.oidcIssuer, namespace, serviceAccountName: names.serverServiceAccount },
        description: "Temporal server access to its archive bucket",
        policyArns: [this.archive.accessPolicyArn],
        tags: this.aws!.tags,
      },
      { parent: this },
    );
    return new k8s.core.v1.ServiceAccount(
      `${name}-server-account`,
      { metadata: { name: names.serverServiceAccount, namespace, labels: names.labels("server"), annotations: { [IRSA_ROLE_ANNOTATION]: identity.arn } } },
      { parent: this, ...(provider ? { provider } : {}) },
    );
  }
}
