import * as ec2 from "@pulumi/aws/ec2";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as servicediscovery from "@pulumi/aws/servicediscovery";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../childOptions";
import { frontendAutoscalingOf, roleConfigOf } from "../../config/roleConfig";
import { workerEgressOf } from "../../config/presets";
import type { StackConfig } from "../../config/schema";
import { renderDynamicConfig } from "../../temporal/dynamicConfig";
import { ROLES, RoleName, SERVER_ENV } from "../../temporal/roles";
import { carryOut, deployPlan } from "../../temporal/deployPlan";
import { SqlStoreSpec, renderServerConfig } from "../../temporal/serverConfig";
import { SIGN_IN_WAIVER, signInWaived, webConsoleAuthEnv } from "../../temporal/webConsoleAuth";
import { awsTags } from "../../aws/tags";
import {
  ContainerDefinition,
  DYNAMIC_CONFIG_PATH,
  LogTarget,
  STORE_CA_PATH,
  UI_PORT,
  namespaceContainer,
  schemaContainer,
  serverRoleContainer,
  webConsoleContainer,
  workerContainer,
} from "../../aws/ecs/containerDefinitions";
import { withScratchInit } from "../../aws/ecs/containerHardening";
import { dynamicConfigSidecarContainer, withDynamicConfigSidecar } from "../../aws/ecs/dynamicConfigSidecar";
import { DynamicConfigSource } from "../../aws/ecs/dynamicConfigSource";
import { fargateSize } from "../../config/fargateSize";
import { FargateService, fargateTaskDefinition } from "../../aws/ecs/fargateService";
import { FrontendLoadBalancer } from "../../aws/ecs/frontendLoadBalancer";
import { EcsMetrics } from "../../aws/ecs/metricsCollection";
import { metricsSidecarContainer, withMetricsSidecar } from "../../aws/ecs/metricsSidecar";
import { OneOffTask } from "../../aws/ecs/oneOffTask";
import { ExecutionRole } from "../../aws/ecs/executionRole";
import { WorkloadIdentityRole } from "../../aws/workloadIdentityRole";
import { archivalSpecOf } from "../../aws/archivalSetup";
import { namespaceSpecsOf } from "../namespaceSpecs";
import { isArchivalRole } from "../../temporal/archival";
import { WebConsoleLoadBalancer } from "../../aws/ecs/webConsoleLoadBalancer";
import { internodeServerNameOf } from "../../temporal/tls";
import { EcsCertificates } from "../../aws/ecs/ecsCertificates";
import { DISCOVERY_NAMES, namespaceTaskTarget } from "../../aws/ecs/namespaceTaskTarget";
import { adminToolsContainerTls, sdkClientContainerTls, serverContainerTls, serverTlsSpec, webConsoleContainerTls } from "../../aws/ecs/taskTls";
import type { EcsRuntimeTarget } from "./target";

export interface TemporalOnEcsArgs {
  config: StackConfig;
  roles: RoleName[];
  /** What the AWS platform made for the tasks: the ECS cluster, network, database, archive. */
  target: EcsRuntimeTarget;
  /** Refuses a changed shard count or a skipped minor version; the schema task and the roles wait for it. */
  upgradeGuard?: pulumi.Resource;
  /** The web console's OIDC client secret, when it signs people in. */
  webConsoleClientSecret?: pulumi.Output<string>;
}

/** Fargate sizes the one-off tasks with: the admin tools need little. */
const ONE_OFF_SIZE = { cpu: 256, memory: 512 };

/**
 * Temporal on ECS Fargate: the same deployment as on Kubernetes, in ECS terms. The database
 * password goes to Secrets Manager and reaches tasks only as a `valueFrom` reference; the schema
 * one-off task finishes before any role service exists or rolls; namespaces are registered once
 * every role runs; the web console and the workers come last.
 */
export class TemporalOnEcs extends pulumi.ComponentResource {
  readonly frontendAddress: pulumi.Output<string>;
  readonly frontendEndpoint: pulumi.Output<string>;
  readonly webConsoleUrl?: pulumi.Output<string>;
  readonly roles: Partial<Record<RoleName, FargateService>> = {};

  constructor(name: string, args: TemporalOnEcsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:aws:TemporalOnEcs", name, {}, opts);
    const { config } = args;
    const { ecs, database } = args.target;
    const target = args.target;
    const ecsConfig = config.aws?.ecs;
    const persistence = config.persistence;
    if (!ecsConfig || persistence.hosting !== "rds") throw new Error("TemporalOnEcs needs aws.ecs and an RDS store (checked by the stack config)");
    const child = childOf(this, opts);
    const tags = args.target.tags;
    const region = getRegionOutput({}, { parent: this }).region;
    const log: pulumi.Output<LogTarget> = pulumi.all([ecs.logGroupName, region]).apply(([group, regionName]) => ({ group, region: regionName }));
    const guarded = args.upgradeGuard ? [args.upgradeGuard] : [];
    // Every task's non-root containers get their scratch space opened by an init container of the server image.
    const hardenedTask = (containers: ContainerDefinition[], logTarget: LogTarget) => withScratchInit(containers, config.temporal.serverImage, logTarget);
    // Roles and the schema task (which needs the database) in the server group; tasks that only call a frontend in the clients group.
    const network = { subnetIds: target.privateSubnetIds, securityGroupIds: [ecs.tasksSecurityGroupId] };
    const clientNetwork = { subnetIds: target.privateSubnetIds, securityGroupIds: [ecs.clientsSecurityGroupId] };

    const passwordSecret = new secretsmanager.Secret(
      `${name}-db-password`,
      {
        description: "Password of the Temporal database user",
        // Production keeps a deleted secret recoverable for a week; others delete it at once so a stack can be recreated.
        recoveryWindowInDays: config.environment === "production" ? 7 : 0,
        tags: awsTags(tags, `${name}-db-password`),
      },
      child,
    );
    const passwordVersion = new secretsmanager.SecretVersion(
      `${name}-db-password`,
      { secretId: passwordSecret.id, secretString: database.password },
      child,
    );
    // Tasks must not start before the secret holds the password.
    const passwordSecretArn = pulumi.all([passwordSecret.arn, passwordVersion.id]).apply(([arn]) => arn);

    const consoleSignsIn = config.webConsole.enabled && config.webConsole.auth.enabled;
    if (consoleSignsIn && args.webConsoleClientSecret === undefined) throw new Error("TemporalOnEcs: the web console signs people in, so webConsoleClientSecret is required");
    const clientSecretArn = consoleSignsIn
      ? storedSecret(`${name}-web-oidc`, "OIDC client secret of the Temporal web console", args.webConsoleClientSecret!, config.environment === "production", tags, child)
      : undefined;

    const frontendLoadBalancer = new FrontendLoadBalancer(
      `${name}-frontend-lb`,
      { vpcId: target.vpcId, subnetIds: target.privateSubnetIds, clientCidrs: [target.vpcCidr], tasksSecurityGroupId: ecs.tasksSecurityGroupId, tags },
      child,
    );
    this.frontendEndpoint = pulumi.interpolate`${frontendLoadBalancer.dnsName}:${frontendLoadBalancer.port}`;

    // Inside the VPC the kit's own tasks find the frontend tasks through Cloud Map.
    const frontendHost = `${DISCOVERY_NAMES.frontend}.${ecs.discoveryDomain}`;
    const frontendAddress = `${frontendHost}:${ROLES.frontend.grpcPort}`;
    this.frontendAddress = pulumi.output(frontendAddress);

    const internodeServerName = internodeServerNameOf(config.clusterName);
    const certificates =
      config.security.tls.certificates === "generated"
        ? new EcsCertificates(
            `${name}-tls`,
            {
              clusterName: config.clusterName,
              tls: config.security.tls,
              internodeServerName,
              frontendServerName: frontendHost,
              frontendLoadBalancerDnsName: frontendLoadBalancer.dnsName,
              production: config.environment === "production",
              tags,
            },
            child,
          )
        : undefined;
    const tlsSecrets = certificates?.secrets;
    const authorization = config.security.authorization;
    const namespaceTarget = namespaceTaskTarget({
      authorization: authorization.enabled,
      roles: args.roles,
      discoveryDomain: ecs.discoveryDomain,
      frontendServerName: frontendHost,
      internodeServerName,
    });

    const executionRole = new ExecutionRole(
      `${name}-execution`,
      { logGroupName: ecs.logGroupName, secretArns: [passwordSecret.arn, ...(clientSecretArn ? [clientSecretArn] : []), ...(certificates?.secretArns ?? [])], tags },
      child,
    );

    const discoveryService = (suffix: string, discoveryName: string, description: string) =>
      new servicediscovery.Service(
        `${name}-${suffix}`,
        {
          name: discoveryName,
          namespaceId: ecs.discoveryNamespaceId,
          dnsConfig: { namespaceId: ecs.discoveryNamespaceId, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl: 10 }] },
          description,
          tags: awsTags(tags, `${name}-${suffix}`),
        },
        child,
      );
    const frontendDiscovery = discoveryService("frontend-discovery", DISCOVERY_NAMES.frontend, "Temporal frontend tasks");
    // The system worker finds the internal frontend through the membership ring; the namespace task needs a name.
    const internalFrontendDiscovery = args.roles.includes("internal-frontend")
      ? discoveryService("internal-frontend-discovery", DISCOVERY_NAMES.internalFrontend, "Temporal internal frontend tasks (internode certificate only)")
      : undefined;
    const discoveryOf: Partial<Record<RoleName, servicediscovery.Service>> = { frontend: frontendDiscovery, "internal-frontend": internalFrontendDiscovery };

    const store = (databaseName: string, passwordEnv: string): pulumi.Output<SqlStoreSpec> =>
      database.host.apply((host) => ({
        plugin: database.engine,
        host,
        port: database.port,
        database: databaseName,
        user: persistence.user,
        passwordEnv,
        pool: persistence.pool,
        tls: { enabled: true, caFile: STORE_CA_PATH, serverName: host },
      }));
    const defaultStore = store(persistence.database, SERVER_ENV.defaultStorePassword);
    const visibilityStore = store(persistence.visibilityDatabase, SERVER_ENV.visibilityStorePassword);

    const metrics =
      config.observability.ecsMetrics === "cloudwatch"
        ? new EcsMetrics(`${name}-metrics`, { cluster: config.clusterName, roles: args.roles, logRetentionDays: ecsConfig.logRetentionDays, thresholds: config.observability.alerts.thresholds, tags }, child)
        : undefined;
    const archival = archivalSpecOf(config, target.archive);
    const dynamicConfigSource = new DynamicConfigSource(`${name}-dynamic-config`, { content: renderDynamicConfig(config.temporal.dynamicConfig), tags }, child);
    // A task has one task role, shared by its containers: the dynamic config sidecar reads its
    // parameter, the metrics agent writes its log group, and the roles that archive reach the bucket.
    const roleTaskPolicies = [dynamicConfigSource.readPolicyArn, ...(metrics ? [metrics.logsPolicyArn] : [])];
    const serverTaskRole = new WorkloadIdentityRole(
      `${name}-server-identity`,
      { trust: { platform: "ecs" }, description: "Temporal roles: read the dynamic config, write metrics", policyArns: roleTaskPolicies, tags },
      child,
    );
    const archiveTaskRole = target.archive
      ? new WorkloadIdentityRole(
          `${name}-archival-identity`,
          { trust: { platform: "ecs" }, description: "Temporal roles that archive: the archive bucket, the dynamic config, metrics", policyArns: [target.archive.accessPolicyArn, ...roleTaskPolicies], tags },
          child,
        )
      : undefined;
    const serverConfig = pulumi.all([defaultStore, visibilityStore, archival]).apply(([defaultSpec, visibilitySpec, archivalSpec]) =>
      renderServerConfig({
        numHistoryShards: config.temporal.numHistoryShards,
        logLevel: config.temporal.logLevel,
        defaultStore: defaultSpec,
        visibilityStore: visibilitySpec,
        roles: args.roles,
        frontendAddress,
        dynamicConfigFile: DYNAMIC_CONFIG_PATH,
        tls: certificates ? serverTlsSpec({ internodeServerName: certificates.internodeServerName, frontendServerName: frontendHost }) : undefined,
        ...(authorization.enabled ? { authorization: { jwksUris: authorization.jwksUris, permissionsClaimName: authorization.permissionsClaimName } } : {}),
        ...(archivalSpec ? { archival: archivalSpec } : {}),
      }),
    );

    // Pools whose activities call services of their own get any outbound on top of the clients group.
    const openEgress = config.workers.some((pool) => workerEgressOf(pool) === "any") ? openEgressSecurityGroup(`${name}-workers-egress`, target.vpcId, tags, child) : undefined;
    let webConsoleUrl: pulumi.Output<string> | undefined;
    // The order (schema, roles in roll order, namespaces, console and pools) is the deploy plan's.
    const gates = { "stores-ready": database.ready, "upgrade-guard": guarded, "role-prerequisites": [] };
    const workerPools = new Map(config.workers.map((pool) => [pool.name, pool]));
    carryOut<pulumi.Resource>(
      deployPlan({ roles: args.roles, namespaces: config.namespaces.map((ns) => ns.name), webConsole: config.webConsole.enabled, workerPools: config.workers }),
      {
        gate: (gate) => gates[gate],
        schema: (dependsOn) => {
          const schemaTask = fargateTaskDefinition(
            `${name}-schema`,
            {
              size: ONE_OFF_SIZE,
              executionRoleArn: executionRole.arn,
              containers: pulumi
                .all([defaultStore, visibilityStore, database.caBundle, passwordSecretArn, log])
                .apply(([defaultSpec, visibilitySpec, caBundle, secretArn, logTarget]) =>
                  hardenedTask(
                    [schemaContainer({ image: config.temporal.adminToolsImage, defaultStore: defaultSpec, visibilityStore: visibilitySpec, storeCaBundle: caBundle, passwordSecretArn: secretArn, log: logTarget })],
                    logTarget,
                  ),
                ),
              tags,
            },
            { ...child, dependsOn },
          );
          return new OneOffTask(
            `${name}-schema-run`,
            {
              clusterArn: ecs.clusterArn,
              taskDefinitionArn: schemaTask.arn,
              passRoleArns: [executionRole.arn],
              ...network,
              containerName: "schema",
              purpose: "temporal-kit-schema",
              tags,
            },
            { parent: this, dependsOn },
          );
        },
        role: (role, dependsOn) => {
          const roleConfig = roleConfigOf(config, role);
          const frontend = role === "frontend";
          const service = new FargateService(
            `${name}-${role}`,
            {
              clusterArn: ecs.clusterArn,
              clusterName: ecs.cluster.name,
              size: fargateSize(withDynamicConfigSidecar(metrics ? withMetricsSidecar(roleConfig.resources) : roleConfig.resources)),
              executionRoleArn: executionRole.arn,
              taskRoleArn: archiveTaskRole && isArchivalRole(role) ? archiveTaskRole.arn : serverTaskRole.arn,
              containers: pulumi
                .all([serverConfig, database.caBundle, passwordSecretArn, log, metrics?.logGroupName, tlsSecrets, dynamicConfigSource.parameterName])
                .apply(([serverConfigText, caBundle, secretArn, logTarget, metricsLogGroup, tlsSecretRefs, dynamicConfigParameter]) => hardenedTask([
                  serverRoleContainer({
                    role,
                    image: config.temporal.serverImage,
                    serverConfig: serverConfigText,
                    storeCaBundle: caBundle,
                    passwordSecretArn: secretArn,
                    resources: roleConfig.resources,
                    log: logTarget,
                    authorizationEnabled: config.security.authorization.enabled,
                    ...(tlsSecretRefs ? { tls: serverContainerTls(tlsSecretRefs) } : {}),
                  }),
                  dynamicConfigSidecarContainer({ role, parameterName: dynamicConfigParameter, target: DYNAMIC_CONFIG_PATH, log: logTarget }),
                  ...(metricsLogGroup ? [metricsSidecarContainer({ cluster: config.clusterName, role, metricsLogGroup, log: logTarget })] : []),
                ], logTarget)),
              desiredCount: roleConfig.replicas,
              ...network,
              ...frontendAutoscalingOf(config, role),
              ...(frontend ? { loadBalancer: { targetGroupArn: frontendLoadBalancer.targetGroupArn, containerName: role, containerPort: ROLES.frontend.grpcPort } } : {}),
              ...(discoveryOf[role] ? { discoveryServiceArn: discoveryOf[role]!.arn } : {}),
              tags,
            },
            { parent: this, dependsOn },
          );
          this.roles[role] = service;
          return service;
        },
        namespaces: (declared, dependsOn) => {
          const namespaceTask = fargateTaskDefinition(
            `${name}-namespaces`,
            {
              size: ONE_OFF_SIZE,
              executionRoleArn: executionRole.arn,
              containers: pulumi.all([log, namespaceSpecsOf(config, archival), tlsSecrets]).apply(([logTarget, namespaces, tlsSecretRefs]) => hardenedTask([
                namespaceContainer({
                  image: config.temporal.adminToolsImage,
                  frontendAddress: namespaceTarget.address,
                  namespaces,
                  log: logTarget,
                  ...(tlsSecretRefs
                    ? { tls: adminToolsContainerTls(namespaceTarget.certificate, tlsSecretRefs[namespaceTarget.certificate], namespaceTarget.serverName) }
                    : {}),
                }),
              ], logTarget)),
              tags,
            },
            child,
          );
          const registration = new OneOffTask(
            `${name}-namespaces-run`,
            {
              clusterArn: ecs.clusterArn,
              taskDefinitionArn: namespaceTask.arn,
              passRoleArns: [executionRole.arn],
              ...clientNetwork,
              containerName: "namespaces",
              purpose: "temporal-kit-namespaces",
              tags,
            },
            { parent: this, dependsOn },
          );
          // One task registers them all.
          return Object.fromEntries(declared.map((namespace) => [namespace, registration]));
        },
        webConsole: (dependsOn) => {
          const consoleConfig = ecsConfig.webConsole;
          const loadBalancer = new WebConsoleLoadBalancer(
            `${name}-web-lb`,
            {
              vpcId: target.vpcId,
              subnetIds: consoleConfig.internetFacing ? target.publicSubnetIds : target.privateSubnetIds,
              internetFacing: consoleConfig.internetFacing,
              allowedCidrs: consoleConfig.allowedCidrs ?? [target.vpcCidr],
              certificateArn: consoleConfig.certificateArn,
              tasksSecurityGroupId: ecs.clientsSecurityGroupId,
              tags,
            },
            child,
          );
          webConsoleUrl = loadBalancer.url;
          return new FargateService(
            `${name}-web`,
            {
              clusterArn: ecs.clusterArn,
              clusterName: ecs.cluster.name,
              size: fargateSize(config.webConsole.resources),
              executionRoleArn: executionRole.arn,
              containers: pulumi.all([log, clientSecretArn ?? "", tlsSecrets]).apply(([logTarget, secretArn, tlsSecretRefs]) => hardenedTask([
                webConsoleContainer({
                  image: config.webConsole.image,
                  frontendAddress,
                  corsOrigins: config.webConsole.corsOrigins,
                  resources: config.webConsole.resources,
                  log: logTarget,
                  ...(consoleSignsIn ? { auth: { env: webConsoleAuthEnv(config.webConsole.auth), clientSecretArn: secretArn } } : {}),
                  ...(tlsSecretRefs ? { tls: webConsoleContainerTls(tlsSecretRefs.client, frontendHost) } : {}),
                }),
              ], logTarget)),
              desiredCount: config.webConsole.replicas,
              ...clientNetwork,
              loadBalancer: { targetGroupArn: loadBalancer.targetGroupArn, containerName: "web", containerPort: UI_PORT },
              tags: signInWaived(config.webConsole) ? { ...tags, [SIGN_IN_WAIVER.tag]: SIGN_IN_WAIVER.value } : tags,
            },
            { parent: this, dependsOn },
          );
        },
        workerPool: (poolName, dependsOn) => {
          const pool = workerPools.get(poolName)!;
          const taskRole = pool.awsPolicyArns?.length
            ? new WorkloadIdentityRole(
                `${name}-worker-${pool.name}-identity`,
                { trust: { platform: "ecs" }, description: `AWS access of the ${pool.name} worker pool`, policyArns: pool.awsPolicyArns, tags },
                child,
              )
            : undefined;
          return new FargateService(
            `${name}-worker-${pool.name}`,
            {
              clusterArn: ecs.clusterArn,
              clusterName: ecs.cluster.name,
              size: fargateSize(pool.resources),
              executionRoleArn: executionRole.arn,
              ...(taskRole ? { taskRoleArn: taskRole.arn } : {}),
              containers: pulumi.all([log, tlsSecrets]).apply(([logTarget, tlsSecretRefs]) =>
                hardenedTask([workerContainer({ config: pool, frontendAddress, log: logTarget, ...(tlsSecretRefs ? { tls: sdkClientContainerTls(tlsSecretRefs.client, frontendHost) } : {}) })], logTarget),
              ),
              desiredCount: pool.replicas,
              ...clientNetwork,
              ...(workerEgressOf(pool) === "any" && openEgress ? { securityGroupIds: [ecs.clientsSecurityGroupId, openEgress.id] } : {}),
              ...(pool.autoscaling ? { autoscaling: pool.autoscaling } : {}),
              tags,
            },
            { parent: this, dependsOn },
          );
        },
      },
    );
    this.webConsoleUrl = webConsoleUrl;

    this.registerOutputs({ frontendAddress: this.frontendAddress, frontendEndpoint: this.frontendEndpoint, webConsoleUrl: this.webConsoleUrl });
  }
}

/** A Secrets Manager secret holding `value`; its ARN resolves once the value is stored, so no task starts without it. */
function storedSecret(
  name: string,
  description: string,
  value: pulumi.Output<string>,
  production: boolean,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  // Production keeps a deleted secret recoverable for a week; others delete it at once so a stack can be recreated.
  const secret = new secretsmanager.Secret(name, { description, recoveryWindowInDays: production ? 7 : 0, tags: awsTags(tags, name) }, opts);
  const version = new secretsmanager.SecretVersion(name, { secretId: secret.id, secretString: value }, opts);
  return pulumi.all([secret.arn, version.id]).apply(([arn]) => arn);
}

/** A group that only allows any outbound connection; added beside the clients group, it widens egress alone. */
function openEgressSecurityGroup(name: string, vpcId: pulumi.Input<string>, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(name, { vpcId, description: "Temporal worker pools: any outbound for their activities", tags: awsTags(tags, name) }, opts);
  new vpc.SecurityGroupEgressRule(
    `${name}-all`,
    { securityGroupId: group.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "-1", description: "Whatever the activities call", tags: awsTags(tags, `${name}-all`) },
    opts,
  );
  return group;
}
