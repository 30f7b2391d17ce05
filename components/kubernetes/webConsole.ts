import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { WebConsoleConfig } from "../config/schema";
import type { ClusterNames } from "./names";
import type { PodTls } from "./podTls";
import { containerResources, disruptionBudget, needsDisruptionBudget, restrictedContainerSecurity, spreadAcrossZonesAndNodes } from "./podDefaults";

export interface WebConsoleArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  config: WebConsoleConfig;
  frontendAddress: pulumi.Input<string>;
  highAvailability: boolean;
  /** The client certificate and frontend trust, when the frontend requires mutual TLS. */
  frontendTls?: PodTls;
}

const UI_PORT = 8080;

/** Temporal's web console (temporalio/ui) pointed at the frontend, behind a ClusterIP Service. */
export class WebConsole extends pulumi.ComponentResource {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  /** How to open the console from a workstation. */
  readonly accessCommand: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: WebConsoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:WebConsole", name, {}, opts);
    const { names, config } = args;
    const labels = names.labels("web");
    const selector = names.selector("web");
    const health = { httpGet: { path: "/healthz", port: "http" } };

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: names.webConsole, namespace: args.namespace, labels },
        spec: {
          replicas: config.replicas,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: {
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
                  ],
                  ...(args.frontendTls ? { volumeMounts: args.frontendTls.mounts } : {}),
                  ports: [{ name: "http", containerPort: UI_PORT, protocol: "TCP" }],
                  readinessProbe: { ...health, periodSeconds: 10 },
                  livenessProbe: { ...health, periodSeconds: 20, failureThreshold: 3 },
                  resources: containerResources(config.resources),
                  securityContext: restrictedContainerSecurity,
                },
              ],
              ...(args.frontendTls ? { volumes: args.frontendTls.volumes } : {}),
            },
          },
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

    this.accessCommand = pulumi
      .all([this.service.metadata.name, args.namespace])
      .apply(([service, namespace]) => `kubectl port-forward -n ${namespace} svc/${service} ${UI_PORT}:${UI_PORT}`);
    this.url = pulumi.output(`http://localhost:${UI_PORT}`);

    this.registerOutputs({ accessCommand: this.accessCommand, url: this.url });
  }
}
