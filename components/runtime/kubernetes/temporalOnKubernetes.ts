import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { frontendAutoscalingOf, roleConfigOf } from "../../config/roleConfig";
import { workerEgressOf } from "../../config/presets";
import type { StackSecrets } from "../../config/load";
import type { StackConfig } from "../../config/schema";
import { ClusterNames } from "../../kubernetes/names";
import { ClusterSecurity } from "../../kubernetes/clusterSecurity";
import { NamespaceRegistration } from "../../kubernetes/namespaceRegistration";
import { NetworkIsolation } from "../../kubernetes/networkIsolation";
import { TemporalObservability } from "../../kubernetes/observability";
import { SchemaSetup } from "../../kubernetes/schemaSetup";
import { storesOnKubernetes } from "../../kubernetes/stores";
import { inClusterStores, outOfClusterStorePorts } from "../../stores/layout";
import { TemporalServerConfig } from "../../kubernetes/serverConfig";
import { TemporalServiceRole } from "../../kubernetes/serviceRole";
import { WebConsole } from "../../kubernetes/webConsole";
import { WorkerPool } from "../../kubernetes/workerPool";
import { namespaceSpecsOf } from "../namespaceSpecs";
import type { KubernetesTarget } from "./target";
import { isArchivalRole } from "../../temporal/archival";
import { type DeployStep, type Gate, carryOut, deployPlan } from "../../temporal/deployPlan";
import { renderDynamicConfig } from "../../temporal/dynamicConfig";
import { ROLES, type RoleName } from "../../temporal/roles";
import { renderServerConfig } from "../../temporal/serverConfig";


export interface KubernetesDeploymentArgs {
  config: StackConfig;
  roles: RoleName[];
  /** SQL connections the roles may open at their peak; in-cluster servers are sized for it. */
  connectionsNeeded: number;
  /** What the platform hands the deployment: the cluster, managed stores, identities, the archive. */
  platform: KubernetesTarget;
  /** Refuses, at preview, a changed shard count or a skipped minor version; the config, schema and roles wait for it. */
  upgradeGuard: pulumi.Resource;
  /** The stack's encrypted config values; the web console's client secret when it signs people in. */
  secrets?: StackSecrets;
}

export interface KubernetesDeployment {
  namespace: pulumi.Output<string>;
  frontendAddress: pulumi.Output<string>;
  webConsole?: WebConsole;
  roles: Partial<Record<RoleName, TemporalServiceRole>>;
}

/**
 * Temporal on Kubernetes, on whichever platform reaches the cluster: the namespace, the stores,
 * network policies, observability, TLS, the server config, then the deploy plan carried out as
 * a schema Job, the role Deployments, namespace registration Jobs, the web console and the
 * worker pools. Everything is a child of `parent` (the TemporalCluster), as it always was, so no
 * URN depends on this function.
 */
export function deployOnKubernetes(parent: pulumi.Resource, name: string, args: KubernetesDeploymentArgs): KubernetesDeployment {
const { config, roles: enabledRoles, connectionsNeeded, platform, upgradeGuard } = args;
const secrets = args.secrets ?? {};
const names = new ClusterNames(config.clusterName);
const highAvailability = config.environment !== "dev";
// On a cloud platform every Kubernetes object goes to the cluster that platform made or found.
const provider = platform.provider;
const onKubernetes: pulumi.ComponentResourceOptions = { parent, ...(provider ? { providers: { kubernetes: provider } } : {}) };

  const namespace = config.kubernetes.createNamespace
    ? new k8s.core.v1.Namespace(
        `${name}-namespace`,
        { metadata: { name: config.kubernetes.namespace, labels: names.labels("namespace") } },
        { parent, ...(provider ? { provider } : {}) },
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
      managed: platform.managedStores,
    },
    { ...onKubernetes, ...(platform.storageReady.length ? { dependsOn: platform.storageReady } : {}) },
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
        workers: config.workers.map((pool) => ({ name: pool.name, egress: workerEgressOf(pool) })),
        webConsoleSignsIn: config.webConsole.enabled && config.webConsole.auth.enabled,
        rolesCallingHttps: enabledRoles.filter(
          (role) =>
            (platform.archivesOverHttps && isArchivalRole(role)) ||
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
  const archive = platform.archiveAccess({ name, names, namespace, clients: enabledRoles.filter(isArchivalRole), highAvailability, networkPolicies: config.kubernetes.networkPolicies, onKubernetes });
  const archival = archive?.spec ?? pulumi.output(undefined);

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
    { ...onKubernetes, dependsOn: [upgradeGuard] },
  );

  const roles: Partial<Record<RoleName, TemporalServiceRole>> = {};
  const roleAddress = (role: RoleName) => roles[role]!.address;
  const namespaceSpecs = namespaceSpecsOf(config, archival);
  const declaredIndex = new Map(config.namespaces.map((declared, index) => [declared.name, index]));
  const workerPools = new Map(config.workers.map((pool) => [pool.name, pool]));
  let webConsole: WebConsole | undefined;
  const gates: Record<Gate, (step: DeployStep) => pulumi.Resource[]> = {
    "stores-ready": () => store.ready,
    "upgrade-guard": () => [upgradeGuard],
    // The pods read the config file and mount the certificates; the frontend also the JWKS trust.
    "role-prerequisites": (step) => [
      serverConfig,
      ...(security.certificates ? [security.certificates] : []),
      ...(step.kind === "role" && step.role === "frontend" ? security.frontendDependencies : []),
    ],
  };

  // The order (schema, roles in roll order, namespaces, console and pools) is the deploy plan's.
  carryOut<pulumi.Resource>(
    deployPlan({ roles: enabledRoles, namespaces: [...declaredIndex.keys()], webConsole: config.webConsole.enabled, workerPools: config.workers }),
    {
      gate: (gate, step) => gates[gate](step),
      schema: (dependsOn) =>
        new SchemaSetup(
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
            ...(config.temporal.adminToolsPod ? { adminToolsPod: config.temporal.adminToolsPod } : {}),
          },
          { ...onKubernetes, dependsOn },
        ),
      role: (role, dependsOn) => {
        const roleConfig = roleConfigOf(config, role);
        return (roles[role] = new TemporalServiceRole(
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
            ...(archive?.serviceAccountName && isArchivalRole(role) ? { serviceAccountName: archive.serviceAccountName } : {}),
            ...(archive?.credentials && isArchivalRole(role) ? { archiveCredentials: archive.credentials } : {}),
            ...(roleConfig.pod ? { pod: roleConfig.pod } : {}),
          },
          { ...onKubernetes, dependsOn },
        ));
      },
      namespaces: (declared, dependsOn) =>
        Object.fromEntries(
          declared.map((temporalNamespace) => [
            temporalNamespace,
            new NamespaceRegistration(
              `${name}-ns-${temporalNamespace}`,
              {
                names,
                namespace,
                adminToolsImage: config.temporal.adminToolsImage,
                temporalNamespace: namespaceSpecs.apply((specs) => specs[declaredIndex.get(temporalNamespace)!]),
                frontendAddress: roleAddress(security.namespaceJobsUseInternalFrontend ? "internal-frontend" : "frontend"),
                ...(security.namespaceJobPods ? { tls: security.namespaceJobPods } : {}),
                ...(config.temporal.adminToolsPod ? { adminToolsPod: config.temporal.adminToolsPod } : {}),
              },
              { ...onKubernetes, dependsOn },
            ),
          ]),
        ),
      webConsole: (dependsOn) =>
        (webConsole = new WebConsole(
          `${name}-web`,
          {
            names,
            namespace,
            config: config.webConsole,
            frontendAddress: roleAddress("frontend"),
            highAvailability,
            clientSecret: secrets.webConsoleClientSecret,
            ...(security.webConsolePods ? { frontendTls: security.webConsolePods } : {}),
          },
          { ...onKubernetes, dependsOn },
        )),
      workerPool: (poolName, dependsOn) => {
        const pool = workerPools.get(poolName)!;
        const identity = platform.workloadIdentity(`${name}-worker-${pool.name}-identity`, {
          namespace,
          serviceAccountName: names.workerPool(pool.name),
          workload: `the ${pool.name} worker pool`,
          policyArns: pool.awsPolicyArns ?? [],
        });
        return new WorkerPool(
          `${name}-worker-${pool.name}`,
          {
            names,
            namespace,
            config: pool,
            frontendAddress: roleAddress("frontend"),
            highAvailability,
            ...(identity ? { identity } : {}),
            ...(security.workerPods ? { frontendTls: security.workerPods } : {}),
          },
          { ...onKubernetes, dependsOn },
        );
      },
    },
  );

  return { namespace, frontendAddress: roleAddress("frontend"), webConsole, roles };
}
