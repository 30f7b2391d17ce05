import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { WebConsoleConfig } from "../config/schema";
import type { ClusterNames } from "./names";
import { CLIENT_SECRET_ENV, SIGN_IN_WAIVER, signInWaived, webConsoleAuthEnv } from "../temporal/webConsoleAuth";
import { plainEnv } from "./envVars";
import { withPodOverrides } from "./podOverrides";
import type { PodTls } from "./podTls";
import { IMAGE_USERS, containerResources, disruptionBudget, hardenedPod, needsDisruptionBudget, restrictedContainerSecurity, scratchTmp, spreadAcrossZonesAndNodes } from "./podDefaults";

/** Long enough for an endpoint controller to take a stopping console out of its Service. */
export const UI_STOP_GRACE_SECONDS = 5;

export interface WebConsoleArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  config: WebConsoleConfig;
  frontendAddress: pulumi.Input<string>;
  highAvailability: boolean;
  /** The client certificate and frontend trust, when the frontend requires mutual TLS. */
  frontendTls?: PodTls;
  /** The OIDC client secret (a Pulumi secret); required when `config.auth.enabled`. */
  clientSecret?: pulumi.Input<string>;
}

const UI_PORT = 8080;
const CLIENT_SECRET_KEY = "client-secret";

/**
 * Temporal's web console (temporalio/ui) pointed at the frontend, behind a ClusterIP Service;
 * optionally signing people in through OIDC and published by an Ingress with TLS.
 */
export class WebConsole extends pulumi.ComponentResource {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  readonly ingress?: k8s.networking.v1.Ingress;
  /** How to open the console from a workstation. */
  readonly accessCommand: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: WebConsoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:WebConsole", name, {}, opts);
    const { names, config } = args;
    if (config.auth.enabled && args.clientSecret === undefined) {
      throw new Error(`WebConsole ${name}: auth is enabled, so clientSecret is required`);
    }
    const ingress = config.ingress;
    if (ingress.enabled && (ingress.host === undefined || ingress.tlsSecretName === undefined)) {
      throw new Error(`WebConsole ${name}: an ingress needs a host and a tlsSecretName`);
    }
    const clientSecret = config.auth.enabled
      ? new k8s.core.v1.Secret(
          `${name}-oidc`,
          {
            metadata: { name: names.webConsoleAuth, namespace: args.namespace, labels: names.labels("web") },
            type: "Opaque",
            stringData: { [CLIENT_SECRET_KEY]: pulumi.secret(args.clientSecret!) },
          },
          childOf(this, opts),
        )
      : undefined;
    const labels = names.labels("web");
    const selector = names.selector("web");
    const health = { httpGet: { path: "/healthz", port: "http" } };

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: {
          name: names.webConsole,
          namespace: args.namespace,
          labels,
          ...(signInWaived(config) ? { annotations: { [SIGN_IN_WAIVER.annotation]: SIGN_IN_WAIVER.value } } : {}),
        },
        spec: {
          replicas: config.replicas,
          selector: { matchLabels: selector },
          template: withPodOverrides({
            metadata: { labels },
            spec: {
              ...hardenedPod(IMAGE_USERS.ui),
              // ui-server v2.52.0 handles no signal (no signal.Notify in temporalio/ui-server), so as PID 1
              // it ignores SIGTERM and each stop waits out the whole grace period; it holds no state to drain.
              terminationGracePeriodSeconds: UI_STOP_GRACE_SECONDS,
              ...(args.highAvailability ? { topologySpreadConstraints: spreadAcrossZonesAndNodes(selector) } : {}),
              containers: [
                {
                  name: "ui",
                  image: config.image,
                  imagePullPolicy: "IfNotPresent",
                  env: [
                    { name: "TEMPORAL_ADDRESS", value: args.frontendAddress },
                    { name: "TEMPORAL_UI_PORT", value: String(UI_PORT) },
                    ...(config.corsOrigins.length > 0
                      ? [{ name: "TEMPORAL_CORS_ORIGINS", value: config.corsOrigins.join(",") }]
                      : []),
                    ...(args.frontendTls?.env ?? []),
                    ...plainEnv(webConsoleAuthEnv(config.auth)),
                    ...(clientSecret ? [{ name: CLIENT_SECRET_ENV, valueFrom: { secretKeyRef: { name: clientSecret.metadata.name, key: CLIENT_SECRET_KEY } } }] : []),
                  ],
                  ports: [{ name: "http", containerPort: UI_PORT, protocol: "TCP" }],
                  readinessProbe: { ...health, periodSeconds: 10 },
                  livenessProbe: { ...health, periodSeconds: 20, failureThreshold: 3 },
                  resources: containerResources(config.resources),
                  securityContext: restrictedContainerSecurity,
                  volumeMounts: [scratchTmp.mount, ...(args.frontendTls?.mounts ?? [])],
                },
              ],
              volumes: [scratchTmp.volume, ...(args.frontendTls?.volumes ?? [])],
            },
          }, config.pod, { container: "ui", selector }),
        },
      },
      childOf(this, opts),
    );

    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: names.webConsole, namespace: args.namespace, labels },
        spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: UI_PORT, targetPort: "http", protocol: "TCP" }] },
      },
      childOf(this, opts),
    );

    if (needsDisruptionBudget(config.replicas)) disruptionBudget(names.webConsole, args.namespace, labels, selector, childOf(this, opts));

    if (ingress.enabled) {
      this.ingress = new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: {
            name: names.webConsole,
            namespace: args.namespace,
            labels,
            annotations: { ...ingress.annotations, ...(ingress.clusterIssuer ? { "cert-manager.io/cluster-issuer": ingress.clusterIssuer } : {}) },
          },
          spec: {
            ...(ingress.className ? { ingressClassName: ingress.className } : {}),
            tls: [{ hosts: [ingress.host!], secretName: ingress.tlsSecretName }],
            rules: [
              {
                host: ingress.host,
                http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: this.service.metadata.name, port: { name: "http" } } } }] },
              },
            ],
          },
        },
        childOf(this, opts),
      );
    }

    this.accessCommand = pulumi
      .all([this.service.metadata.name, args.namespace])
      .apply(([service, namespace]) => `kubectl port-forward -n ${namespace} svc/${service} ${UI_PORT}:${UI_PORT}`);
    this.url = pulumi.output(ingress.enabled ? `https://${ingress.host}` : `http://localhost:${UI_PORT}`);

    this.registerOutputs({ accessCommand: this.accessCommand, url: this.url });
  }
}
