import type * as pulumi from "@pulumi/pulumi";
import type { SecurityConfig } from "../config/securitySchema";
import type { RoleName } from "../temporal/roles";
import { AuthorizationSpec, ClusterTlsSpec, tlsFilesOf } from "../temporal/tls";
import { ClusterCertificates } from "./clusterCertificates";
import type { ClusterNames } from "./names";
import { PodTls, sdkClientPodTls, serverPodTls, webConsolePodTls } from "./podTls";

export interface ClusterSecurityArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  roles: RoleName[];
  security: SecurityConfig;
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
    if (security.tls.certificates === "off") return;

    this.certificates = new ClusterCertificates(name, { names, namespace: args.namespace, roles: args.roles, tls: security.tls }, opts);
    const frontend = { certificate: "client" as const, serverName: this.certificates.frontendServerName };
    const internode = { certificate: "internode" as const, serverName: names.internodeServerName };
    this.rolePods = serverPodTls(names);
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
