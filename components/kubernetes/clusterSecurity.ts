import * as k8s from "@pulumi/kubernetes";
import { kubernetesObjectOptions } from "./provider";
import type * as pulumi from "@pulumi/pulumi";
import type { SecurityConfig } from "../config/securitySchema";
import { ROLES, RoleName } from "../temporal/roles";
import { AuthorizationSpec, ClusterTlsSpec, tlsFilesOf } from "../temporal/tls";
import { ClusterCertificates } from "./clusterCertificates";
import { jwksTrust } from "./jwksTrust";
import type { ClusterNames } from "./names";
import { PodTls, sdkClientPodTls, serverPodTls, webConsolePodTls } from "./podTls";

export interface ClusterSecurityArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  roles: RoleName[];
  security: SecurityConfig;
  /** The stack's NetworkPolicies are on, so the jobs' path to the internal frontend must be opened. */
  networkPolicies: boolean;
}

/**
 * How `security` reaches each workload on Kubernetes: the certificates, the server config's TLS and
 * authorization sections, what each kind of pod mounts, and which frontend the kit's own jobs call.
 * Everything is absent when TLS is off, so dev's pods stay exactly as without this module.
 */
export class ClusterSecurity {
  readonly certificates?: ClusterCertificates;
  readonly authorization?: AuthorizationSpec;
  readonly rolePods?: PodTls;
  /** The public frontend's: the roles' certificates, plus the JWKS CA when the stack names one. */
  readonly frontendPods?: PodTls;
  /** What the frontend's pods mount beyond the certificates, to exist before they start. */
  readonly frontendDependencies: pulumi.Resource[] = [];
  readonly webConsolePods?: PodTls;
  readonly workerPods?: PodTls;
  readonly namespaceJobPods?: PodTls;
  /**
   * With authorization on, the kit's namespace jobs hold no JWT; they call the internal frontend,
   * which Temporal serves without the authorizer and which admits only the internode certificate.
   */
  readonly namespaceJobsUseInternalFrontend: boolean;

  constructor(name: string, private readonly args: ClusterSecurityArgs, opts: pulumi.ComponentResourceOptions) {
    const { names, security } = args;
    const authorization = security.authorization;
    this.authorization = authorization.enabled
      ? { jwksUris: authorization.jwksUris, permissionsClaimName: authorization.permissionsClaimName }
      : undefined;
    this.namespaceJobsUseInternalFrontend = authorization.enabled && args.roles.includes("internal-frontend");
    if (this.namespaceJobsUseInternalFrontend && args.networkPolicies) internalFrontendJobsPolicy(name, args, opts);
    if (security.tls.certificates === "off") return;

    this.certificates = new ClusterCertificates(name, { names, namespace: args.namespace, roles: args.roles, tls: security.tls }, opts);
    const frontend = { certificate: "client" as const, serverName: this.certificates.frontendServerName };
    const internode = { certificate: "internode" as const, serverName: names.internodeServerName };
    this.rolePods = serverPodTls(names);
    const jwksCa = authorization.enabled ? authorization.jwksCaCertificates : undefined;
    if (jwksCa) {
      const trust = jwksTrust(name, names, args.namespace, jwksCa, opts);
      this.frontendPods = joinPodTls(this.rolePods, trust.pods);
      this.frontendDependencies.push(trust.configMap);
    } else {
      this.frontendPods = this.rolePods;
    }
    this.webConsolePods = webConsolePodTls(names, this.certificates.frontendServerName);
    this.workerPods = sdkClientPodTls(names, frontend);
    this.namespaceJobPods = sdkClientPodTls(names, this.namespaceJobsUseInternalFrontend ? internode : frontend);
  }

  /** The server config's `global.tls` inputs, given the frontend's DNS name; absent when TLS is off. */
  serverTls(frontendServerName: string): ClusterTlsSpec | undefined {
    if (!this.certificates) return undefined;
    return {
      internode: tlsFilesOf("internode"),
      frontend: tlsFilesOf("frontend"),
      client: tlsFilesOf("client"),
      internodeServerName: this.args.names.internodeServerName,
      frontendServerName,
    };
  }
}

/**
 * NetworkPolicies add up, so this one only widens the internal frontend's ingress (roles only) by
 * the namespace jobs, on its gRPC port; the cluster's other policies stay as they are.
 */
function internalFrontendJobsPolicy(name: string, args: ClusterSecurityArgs, opts: pulumi.ComponentResourceOptions): k8s.networking.v1.NetworkPolicy {
  const { names } = args;
  const instance = { "app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": names.cluster };
  return new k8s.networking.v1.NetworkPolicy(
    `${name}-internal-frontend-jobs`,
    {
      metadata: { name: names.internalFrontendJobsPolicy, namespace: args.namespace, labels: names.labels("network-policy") },
      spec: {
        podSelector: { matchLabels: names.selector("internal-frontend") },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { ...instance, "app.kubernetes.io/component": "namespace-registration" } } }],
            ports: [{ protocol: "TCP", port: ROLES["internal-frontend"].grpcPort }],
          },
        ],
      },
    },
    kubernetesObjectOptions(opts),
  );
}

function joinPodTls(a: PodTls, b: PodTls): PodTls {
  return { volumes: [...a.volumes, ...b.volumes], mounts: [...a.mounts, ...b.mounts], env: [...a.env, ...b.env], annotations: { ...a.annotations, ...b.annotations } };
}
