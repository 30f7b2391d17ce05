import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import { kubernetesObjectOptions } from "./provider";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterNames } from "./names";
import type { PodTls } from "./podTls";

/** Where the frontend finds the extra CA certificates for its JWKS fetch. */
export const JWKS_CA_DIR = "/etc/temporal/jwks-ca";
const JWKS_CA_FILE = "ca.crt";
export const JWKS_CA_CHECKSUM_ANNOTATION = "temporal-kit/jwks-ca-checksum";

/**
 * Go reads SSL_CERT_DIR as a colon-separated list that replaces its default directories, while the
 * image's bundle file (/etc/ssl/certs/ca-certificates.crt on Alpine) is still read first (Go
 * crypto/x509 root_unix.go, loadSystemRoots; root_linux.go lists the defaults). Naming
 * /etc/ssl/certs again keeps everything the image trusted; the kit only adds.
 */
export const JWKS_SSL_CERT_DIR = `/etc/ssl/certs:${JWKS_CA_DIR}`;

/**
 * The public frontend fetches the JWKS with Go's default HTTP client (go.temporal.io/server@v1.31.2
 * common/authorization/default_token_key_provider.go, updateKeysFromURI: http.Get), which trusts
 * the system roots only. An identity provider behind a private CA needs that CA added there: a
 * ConfigMap (CA certificates are public) mounted as a directory. Go reads the system roots once per
 * process (crypto/x509 root.go, systemRootsPool: once.Do(initSystemRoots)), so a mounted file that
 * changes is never read again: the CA's hash is a pod annotation, and a new CA rolls the frontends.
 */
export function jwksTrust(
  name: string,
  names: ClusterNames,
  namespace: pulumi.Input<string>,
  pem: string,
  opts: pulumi.ComponentResourceOptions,
): { pods: PodTls; configMap: k8s.core.v1.ConfigMap } {
  const configMap = new k8s.core.v1.ConfigMap(
    `${name}-jwks-ca`,
    { metadata: { name: names.jwksCa, namespace, labels: names.labels("frontend") }, data: { [JWKS_CA_FILE]: pem } },
    kubernetesObjectOptions(opts),
  );
  const pods = {
    volumes: [{ name: "jwks-ca", configMap: { name: names.jwksCa } }],
    mounts: [{ name: "jwks-ca", mountPath: JWKS_CA_DIR, readOnly: true }],
    env: [{ name: "SSL_CERT_DIR", value: JWKS_SSL_CERT_DIR }],
    annotations: { [JWKS_CA_CHECKSUM_ANNOTATION]: createHash("sha256").update(pem).digest("hex").slice(0, 16) },
  };
  return { pods, configMap };
}
