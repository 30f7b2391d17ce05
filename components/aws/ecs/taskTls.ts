import { ClusterTlsSpec, TLS_CERTIFICATES, TlsCertificateName, TlsFiles, tlsFilesOf } from "../../temporal/tls";

/**
 * How the kit's certificates reach ECS containers, as plain data. Fargate mounts no secret
 * volumes, so each certificate is one Secrets Manager secret holding JSON (see
 * `certificateSecretValue`), and a container takes single fields of it as environment variables
 * through `secrets` (`<secret ARN>:<json key>::<version id>`): the task definition carries only
 * references. Naming the version makes a reissued certificate a new task definition, so ECS
 * rolls the tasks onto it; a running task never sees a secret change.
 * The Temporal server and the admin tools read files, so their shell prelude writes the PEMs to
 * owner-only files and drops the variables before handing over; the web console and the SDKs
 * take the certificate data directly, so a worker image needs no shell.
 */

export const TASK_TLS_DIR = "/tmp/tls";

/** The JSON fields of a certificate's secret: PEM for files and SDKs, base64 of the PEM for the web console. */
export const CERTIFICATE_SECRET_KEYS = ["cert", "key", "ca", "certBase64", "keyBase64", "caBase64"] as const;
export type CertificateSecretKey = (typeof CERTIFICATE_SECRET_KEYS)[number];

/** What one certificate's secret holds. */
export function certificateSecretValue(pem: { cert: string; key: string; ca: string }): string {
  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const value: Record<CertificateSecretKey, string> = {
    cert: pem.cert,
    key: pem.key,
    ca: pem.ca,
    certBase64: base64(pem.cert),
    keyBase64: base64(pem.key),
    caBase64: base64(pem.ca),
  };
  return JSON.stringify(value);
}

/** A certificate's Secrets Manager secret and the version holding the current certificate. */
export interface CertificateSecretRef {
  arn: string;
  versionId: string;
}
export type CertificateSecretRefs = Record<TlsCertificateName, CertificateSecretRef>;

type SecretReference = { name: string; valueFrom: string };
type Variable = { name: string; value: string };

/** What a container adds for mutual TLS: secret references, plain variables, and prelude lines. */
export interface ContainerTls {
  secrets: SecretReference[];
  environment: Variable[];
  /** Lines for a `set -eu` shell prelude; empty for containers that take the certificate as data. */
  script: string[];
}

/** One field of one version of a JSON secret, as ECS's `valueFrom` names it (ARN:json-key:version-stage:version-id). */
export function secretField(secret: CertificateSecretRef, key: CertificateSecretKey): string {
  return `${secret.arn}:${key}::${secret.versionId}`;
}

/** Where a certificate's files are written inside the task. */
export function taskTlsFilesOf(certificate: TlsCertificateName): TlsFiles {
  return tlsFilesOf(certificate, `${TASK_TLS_DIR}/${certificate}`);
}

const FILE_PARTS = [
  { key: "cert", file: "certFile" },
  { key: "key", file: "keyFile" },
  { key: "ca", file: "caFile" },
] as const;

const fileVariable = (certificate: TlsCertificateName, key: CertificateSecretKey) => `TEMPORAL_KIT_TLS_${certificate.toUpperCase()}_${key.toUpperCase()}`;

/**
 * Writes the certificates as files only their owner may read (umask 077 in a subshell, so the
 * rest of the container keeps its usual umask), then unsets the variables so the process the
 * prelude hands over to does not carry the keys in its environment.
 */
function certificateFiles(secrets: Partial<CertificateSecretRefs>, certificates: readonly TlsCertificateName[]): Pick<ContainerTls, "secrets" | "script"> {
  const parts = certificates.flatMap((certificate) =>
    FILE_PARTS.map((part) => ({ certificate, variable: fileVariable(certificate, part.key), key: part.key, path: taskTlsFilesOf(certificate)[part.file] })),
  );
  const secretOf = (certificate: TlsCertificateName) => {
    const secret = secrets[certificate];
    if (!secret) throw new Error(`taskTls: no secret for the ${certificate} certificate`);
    return secret;
  };
  return {
    secrets: parts.map((part) => ({ name: part.variable, valueFrom: secretField(secretOf(part.certificate), part.key) })),
    script: [
      "(",
      "umask 077",
      `mkdir -p ${certificates.map((certificate) => `${TASK_TLS_DIR}/${certificate}`).join(" ")}`,
      ...parts.map((part) => `printf '%s\\n' "$${part.variable}" > ${part.path}`),
      ")",
      `unset ${parts.map((part) => part.variable).join(" ")}`,
    ],
  };
}

/** A Temporal role: all three certificates as files, where the server config (serverTlsSpec) names them. */
export function serverContainerTls(secrets: CertificateSecretRefs): ContainerTls {
  return { ...certificateFiles(secrets, TLS_CERTIFICATES), environment: [] };
}

/**
 * The namespace task: one certificate as files, named by the variables the namespace script
 * (components/temporal/namespaceRegistration.ts) turns into the CLI's TLS flags. The client
 * certificate for the public frontend; the internode one for the internal frontend, which admits
 * only the internode CA (see namespaceTaskTarget).
 */
export function adminToolsContainerTls(certificate: "client" | "internode", secret: CertificateSecretRef, serverName: string): ContainerTls {
  const files = taskTlsFilesOf(certificate);
  return {
    ...certificateFiles({ [certificate]: secret }, [certificate]),
    environment: [
      { name: "TEMPORAL_TLS", value: "true" },
      { name: "TEMPORAL_TLS_CLIENT_CERT_PATH", value: files.certFile },
      { name: "TEMPORAL_TLS_CLIENT_KEY_PATH", value: files.keyFile },
      { name: "TEMPORAL_TLS_SERVER_CA_CERT_PATH", value: files.caFile },
      { name: "TEMPORAL_TLS_SERVER_NAME", value: serverName },
    ],
  };
}

/**
 * A worker pool: the client certificate as the PEM data variables of Temporal's SDK environment
 * configuration, so a client loaded from the environment connects with no file and no shell.
 */
export function sdkClientContainerTls(client: CertificateSecretRef, frontendServerName: string): ContainerTls {
  return {
    secrets: [
      { name: "TEMPORAL_TLS_CLIENT_CERT_DATA", valueFrom: secretField(client, "cert") },
      { name: "TEMPORAL_TLS_CLIENT_KEY_DATA", valueFrom: secretField(client, "key") },
      { name: "TEMPORAL_TLS_SERVER_CA_CERT_DATA", valueFrom: secretField(client, "ca") },
    ],
    environment: [
      { name: "TEMPORAL_TLS", value: "true" },
      { name: "TEMPORAL_TLS_SERVER_NAME", value: frontendServerName },
    ],
    script: [],
  };
}

/** The web console (temporalio/ui) takes its client certificate as base64 of the PEM in its `_DATA` variables. */
export function webConsoleContainerTls(client: CertificateSecretRef, frontendServerName: string): ContainerTls {
  return {
    secrets: [
      { name: "TEMPORAL_TLS_CA_DATA", valueFrom: secretField(client, "caBase64") },
      { name: "TEMPORAL_TLS_CERT_DATA", valueFrom: secretField(client, "certBase64") },
      { name: "TEMPORAL_TLS_KEY_DATA", valueFrom: secretField(client, "keyBase64") },
    ],
    environment: [
      { name: "TEMPORAL_TLS_SERVER_NAME", value: frontendServerName },
      { name: "TEMPORAL_TLS_ENABLE_HOST_VERIFICATION", value: "true" },
    ],
    script: [],
  };
}

/** The server config's `global.tls` inputs for roles whose prelude wrote the files of serverContainerTls. */
export function serverTlsSpec(names: { internodeServerName: string; frontendServerName: string }): ClusterTlsSpec {
  return {
    internode: taskTlsFilesOf("internode"),
    frontend: taskTlsFilesOf("frontend"),
    client: taskTlsFilesOf("client"),
    internodeServerName: names.internodeServerName,
    frontendServerName: names.frontendServerName,
  };
}
