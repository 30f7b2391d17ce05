import { SERVER_ENV } from "./roles";
import { WhenEnv } from "./template";

/**
 * Temporal's `global.tls` and `global.authorization` server config, from where the platform puts
 * the certificate files. Pure data: no Pulumi, no cloud.
 *
 * Three certificates, each a directory holding `tls.crt`, `tls.key` and the `ca.crt` that signed it
 * (the layout of a Kubernetes TLS Secret, which cert-manager also writes):
 * - internode: every role's server certificate, also its client certificate towards the other
 *   roles; signed by a CA that signs nothing else, so no other certificate can call history,
 *   matching or the internal frontend directly;
 * - frontend: the public frontend's server certificate;
 * - client: the certificate the system worker and the kit's own workloads (web console, workers)
 *   present to the frontend; signed by the frontend's CA.
 */

export const TLS_DIR = "/etc/temporal/tls";
export const TLS_CERTIFICATES = ["internode", "frontend", "client"] as const;
export type TlsCertificateName = (typeof TLS_CERTIFICATES)[number];

export const TLS_FILES = { cert: "tls.crt", key: "tls.key", ca: "ca.crt" } as const;

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** Where one certificate's files are inside a container that mounts it at its conventional directory. */
export function tlsFilesOf(certificate: TlsCertificateName, dir = `${TLS_DIR}/${certificate}`): TlsFiles {
  return { certFile: `${dir}/${TLS_FILES.cert}`, keyFile: `${dir}/${TLS_FILES.key}`, caFile: `${dir}/${TLS_FILES.ca}` };
}

export interface ClusterTlsSpec {
  internode: TlsFiles;
  frontend: TlsFiles;
  client: TlsFiles;
  /** The name every internode certificate carries; clients verify it, whichever pod IP they dial. */
  internodeServerName: string;
  /** The frontend's DNS name that the system worker verifies. */
  frontendServerName: string;
}

/**
 * The one name every internode certificate carries, whichever platform runs the cluster: peers
 * dial each other by address (a pod IP, a task IP), so none of those can be the name they verify.
 */
export function internodeServerNameOf(cluster: string): string {
  return `${cluster}-internode`;
}

/** How often the server re-reads certificate files, so a renewed Secret takes effect without a restart. */
export const TLS_REFRESH_INTERVAL = "1m";

export function buildTlsConfig(spec: ClusterTlsSpec): Record<string, unknown> {
  return {
    internode: {
      server: {
        certFile: spec.internode.certFile,
        keyFile: spec.internode.keyFile,
        requireClientAuth: true,
        clientCaFiles: [spec.internode.caFile],
      },
      client: { serverName: spec.internodeServerName, rootCaFiles: [spec.internode.caFile] },
    },
    frontend: {
      server: {
        certFile: spec.frontend.certFile,
        keyFile: spec.frontend.keyFile,
        requireClientAuth: true,
        clientCaFiles: [spec.client.caFile],
      },
      client: { serverName: spec.frontendServerName, rootCaFiles: [spec.frontend.caFile] },
    },
    // Without an internal frontend the system worker calls the public frontend, which demands a
    // client certificate signed by the client CA; the internode one would be refused there.
    systemWorker: {
      certFile: spec.client.certFile,
      keyFile: spec.client.keyFile,
      client: { serverName: spec.frontendServerName, rootCaFiles: [spec.frontend.caFile] },
    },
    refreshInterval: TLS_REFRESH_INTERVAL,
    expirationChecks: { warningWindow: "720h", errorWindow: "168h", checkInterval: "1h" },
  };
}

export interface AuthorizationSpec {
  jwksUris: string[];
  permissionsClaimName: string;
}

/**
 * Temporal's default JWT claim mapper and authorizer. They apply to the public frontend only: the
 * internal frontend runs with a claim mapper that grants system admin, which is why the kit's own
 * callers are pointed there and why it is reachable only with the internode certificate.
 *
 * Every server process builds the claim mapper, and with it the key provider that fetches the JWKS
 * at start and every refreshInterval, whatever its role (go.temporal.io/server@v1.31.2
 * cmd/server/main.go: authorization.GetClaimMapperFromConfig; default_token_key_provider.go). The
 * real run saw history, matching, worker and the internal frontend fetch it too and log an error
 * each minute (they neither trust an in-house CA nor may reach HTTPS under the NetworkPolicies).
 * So the URIs are given to the public frontend alone: elsewhere they render empty, and the key
 * provider skips a list of empty URIs (config.go HasSourceURIsConfigured).
 */
export function buildAuthorizationConfig(spec: AuthorizationSpec): Record<string, unknown> {
  return {
    jwtKeyProvider: { keySourceURIs: spec.jwksUris.map((uri) => new WhenEnv(SERVER_ENV.services, "frontend", uri)), refreshInterval: "1m" },
    permissionsClaimName: spec.permissionsClaimName,
    authorizer: "default",
    claimMapper: "default",
  };
}
