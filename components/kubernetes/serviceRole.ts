import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { PodOverridesConfig } from "../config/podSchema";
import type { ResourcesConfig } from "../config/schema";
import {
  DYNAMIC_CONFIG_DIR,
  METRICS_PORT,
  ROLES,
  RoleName,
  RoleSpec,
  SERVER_CONFIG_DIR,
  SERVER_CONFIG_FILE,
  SERVER_ENV,
  allowNoAuthEnv,
} from "../temporal/roles";
import { type RoleHealth, roleHealth } from "../temporal/roleHealth";
import { goMemoryLimitEnv } from "../temporal/sizing";
import { serverVersionOf } from "../temporal/versionSkew";
import type { ClusterNames } from "./names";
import { CpuScaling, cpuAutoscaler, replicasOwnedByAutoscaler } from "./autoscaler";
import {
  containerResources,
  disruptionBudget,
  hardenedPod,
  IMAGE_USERS,
  needsDisruptionBudget,
  restrictedContainerSecurity,
  scratchTmp,
  spreadAcrossZonesAndNodes,
} from "./podDefaults";
import { storeCaVolume } from "./managedStoreCredentials";
import { withPodOverrides } from "./podOverrides";
import type { PodTls } from "./podTls";
import type { S3Credentials, SecretKeyRef } from "./secretRef";

export interface TemporalServiceRoleArgs {
  role: RoleName;
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  image: string;
  replicas: number;
  resources: ResourcesConfig;
  /** Changes whenever the server config changes, so the pods roll with it (dynamic config does not). */
  configChecksum: pulumi.Input<string>;
  defaultStorePassword: SecretKeyRef;
  /** Absent for a visibility store without authentication (the dev Elasticsearch). */
  visibilityStorePassword?: SecretKeyRef;
  /** Zone/node spread: on for staging and production. */
  highAvailability: boolean;
  /** Scale on CPU between the bounds (the frontend only; see components/config/scalingSchema.ts). */
  autoscaling?: CpuScaling;
  /** ConfigMap with the database's CA bundle, when the store is reached over verified TLS. */
  storeCaConfigMapName?: pulumi.Input<string>;
  /** The cluster's mutual TLS certificates, when security.tls is on. */
  tls?: PodTls;
  /** Whether security.authorization is on: without it the server is told no authorizer is intended. */
  authorizationEnabled: boolean;
  /** A ServiceAccount carrying cloud access (the archive bucket); otherwise the namespace's default. */
  serviceAccountName?: pulumi.Input<string>;
  /** The key pair of an S3 gateway the archiver calls instead of AWS, which the AWS SDK reads from the environment. */
  archiveCredentials?: S3Credentials;
  /** The stack file's additions to the pods: scheduling, labels, pull secrets, env and volumes. */
  pod?: PodOverridesConfig;
}

/**
 * One Temporal service role (frontend, history, matching, worker or internal-frontend) as its own
 * Deployment, a ClusterIP Service for its clients and a headless Service that lists every pod for
 * metrics scraping and debugging.
 */
export class TemporalServiceRole extends pulumi.ComponentResource {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  readonly headlessService: k8s.core.v1.Service;
  readonly disruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
  readonly autoscaler?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  /** host:port clients use to reach this role's gRPC endpoint. */
  readonly address: pulumi.Output<string>;

  constructor(name: string, args: TemporalServiceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:TemporalServiceRole", name, {}, opts);
    const spec = ROLES[args.role];
    const { names } = args;
    const objectName = names.role(args.role);
    const labels = names.labels(args.role);
    const selector = names.selector(args.role);
    const storeCa = args.storeCaConfigMapName ? storeCaVolume(args.storeCaConfigMapName) : undefined;

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: objectName, namespace: args.namespace, labels },
        spec: {
          replicas: args.replicas,
          selector: { matchLabels: selector },
          // Bring a new pod up before an old one leaves, so capacity never dips during a roll.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: withPodOverrides({
            metadata: {
              labels,
              annotations: {
                "temporal-kit/config-checksum": args.configChecksum,
                ...args.tls?.annotations,
                "prometheus.io/scrape": "true",
                "prometheus.io/port": String(METRICS_PORT),
                "prometheus.io/path": "/metrics",
              },
            },
            spec: {
              // Long enough for history to hand its shards over cleanly on shutdown.
              terminationGracePeriodSeconds: args.role === "history" ? 60 : 30,
              ...(args.serviceAccountName ? { serviceAccountName: args.serviceAccountName } : {}),
              ...hardenedPod(IMAGE_USERS.temporal),
              ...(args.highAvailability ? { topologySpreadConstraints: spreadAcrossZonesAndNodes(selector) } : {}),
              containers: [
                {
                  name: "temporal",
                  image: args.image,
                  imagePullPolicy: "IfNotPresent",
                  env: [...serverEnv(args), ...(args.tls?.env ?? [])],
                  ports: containerPorts(spec),
                  ...probes(roleHealth(args.role, serverVersionOf(args.image)), args.tls !== undefined),
                  resources: containerResources(args.resources),
                  securityContext: restrictedContainerSecurity,
                  volumeMounts: [
                    { name: "server-config", mountPath: SERVER_CONFIG_DIR, readOnly: true },
                    // A directory mount (not subPath) so dynamic config edits reach running pods.
                    { name: "dynamic-config", mountPath: DYNAMIC_CONFIG_DIR, readOnly: true },
                    ...(storeCa ? [storeCa.mount] : []),
                    scratchTmp.mount,
                    ...(args.tls?.mounts ?? []),
                  ],
                },
              ],
              volumes: [
                { name: "server-config", configMap: { name: names.serverConfig } },
                { name: "dynamic-config", configMap: { name: names.dynamicConfig } },
                ...(storeCa ? [storeCa.volume] : []),
                scratchTmp.volume,
                ...(args.tls?.volumes ?? []),
              ],
            },
          }, args.pod, { container: "temporal", selector }),
        },
      },
      { ...childOf(this, opts), ...replicasOwnedByAutoscaler(args.autoscaling) },
    );

    const servicePorts = [
      { name: "grpc", port: spec.grpcPort, targetPort: "grpc", protocol: "TCP" },
      ...(spec.httpPort ? [{ name: "http", port: spec.httpPort, targetPort: "http", protocol: "TCP" }] : []),
    ];
    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: objectName, namespace: args.namespace, labels },
        spec: { type: "ClusterIP", selector, ports: servicePorts },
      },
      childOf(this, opts),
    );

    this.headlessService = new k8s.core.v1.Service(
      `${name}-headless`,
      {
        metadata: { name: names.roleHeadless(args.role), namespace: args.namespace, labels },
        spec: {
          clusterIP: "None",
          publishNotReadyAddresses: true,
          selector,
          ports: [
            ...servicePorts,
            { name: "membership", port: spec.membershipPort, targetPort: "membership", protocol: "TCP" },
            { name: "metrics", port: METRICS_PORT, targetPort: "metrics", protocol: "TCP" },
          ],
        },
      },
      childOf(this, opts),
    );

    if (args.autoscaling) {
      this.autoscaler = cpuAutoscaler(
        `${name}-autoscaler`,
        { objectName, namespace: args.namespace, labels, deploymentName: this.deployment.metadata.name, scaling: args.autoscaling },
        childOf(this, opts),
      );
    }

    if (needsDisruptionBudget(args.replicas, args.autoscaling?.maxReplicas)) {
      this.disruptionBudget = disruptionBudget(objectName, args.namespace, labels, selector, childOf(this, opts));
    }

    this.address = pulumi
      .output(args.namespace)
      .apply((namespace) => names.roleAddress(args.role, namespace, spec.grpcPort));

    this.registerOutputs({ address: this.address });
  }
}

function serverEnv(args: TemporalServiceRoleArgs): k8s.types.input.core.v1.EnvVar[] {
  return [
    { name: SERVER_ENV.podIp, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
    { name: SERVER_ENV.services, value: args.role },
    // Older entrypoints read SERVICES; set both so no image version falls back to "all roles".
    { name: "SERVICES", value: args.role },
    { name: SERVER_ENV.configFile, value: `${SERVER_CONFIG_DIR}/${SERVER_CONFIG_FILE}` },
    ...allowNoAuthEnv(args.authorizationEnabled),
    ...goMemoryLimitEnv(args.resources.limits.memory),
    { name: SERVER_ENV.defaultStorePassword, valueFrom: { secretKeyRef: args.defaultStorePassword } },
    ...(args.visibilityStorePassword
      ? [{ name: SERVER_ENV.visibilityStorePassword, valueFrom: { secretKeyRef: args.visibilityStorePassword } }]
      : []),
    ...(args.archiveCredentials
      ? [
          { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: args.archiveCredentials.accessKeyId } },
          { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: args.archiveCredentials.secretAccessKey } },
        ]
      : []),
  ];
}

function containerPorts(spec: RoleSpec): k8s.types.input.core.v1.ContainerPort[] {
  return [
    { name: "grpc", containerPort: spec.grpcPort, protocol: "TCP" },
    { name: "membership", containerPort: spec.membershipPort, protocol: "TCP" },
    ...(spec.httpPort ? [{ name: "http", containerPort: spec.httpPort, protocol: "TCP" }] : []),
    { name: "metrics", containerPort: METRICS_PORT, protocol: "TCP" },
  ];
}

function probes(health: RoleHealth, mutualTls: boolean): Pick<k8s.types.input.core.v1.Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
  const listening = { tcpSocket: { port: health.portName } };
  return {
    // Joining the membership ring and acquiring shards can take minutes on a cold start.
    startupProbe: { ...listening, periodSeconds: 5, failureThreshold: 60 },
    // The kubelet's gRPC probe speaks plaintext and has no client certificate, so under mutual
    // TLS it would fail on every pod; a listening port is then the readiness signal.
    // A role with no gRPC health service (the system worker before 1.31) has only its open port to show.
    readinessProbe: !mutualTls && health.grpcHealthService
      ? { grpc: { port: health.port, service: health.grpcHealthService }, periodSeconds: 10, failureThreshold: 3 }
      : { ...listening, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { ...listening, periodSeconds: 20, failureThreshold: 6 },
  };
}
