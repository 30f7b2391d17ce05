import { readFileSync } from "node:fs";

/**
 * The TLS settings the kit hands a worker pod when the frontend requires mutual TLS
 * (components/kubernetes/podTls.ts, sdkClientPodTls): Temporal's SDK/CLI environment names.
 */
export const TLS_ENV = {
  enabled: "TEMPORAL_TLS",
  certPath: "TEMPORAL_TLS_CLIENT_CERT_PATH",
  keyPath: "TEMPORAL_TLS_CLIENT_KEY_PATH",
  caPath: "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
  serverName: "TEMPORAL_TLS_SERVER_NAME",
} as const;

export interface TlsSettings {
  /** "true"/"1" turns TLS on; "false"/"0" turns it off even when paths are set; unset means on when any path is given. */
  enabled?: string;
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  serverName?: string;
}

/** The shape both NativeConnection (worker) and Connection (client) take as `tls`. */
export interface TlsConfig {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export function tlsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TlsSettings {
  return {
    enabled: env[TLS_ENV.enabled],
    certPath: env[TLS_ENV.certPath],
    keyPath: env[TLS_ENV.keyPath],
    caPath: env[TLS_ENV.caPath],
    serverName: env[TLS_ENV.serverName],
  };
}

/** Flags win over the environment, one setting at a time. */
export function mergeTlsSettings(fromEnv: TlsSettings, fromFlags: TlsSettings): TlsSettings {
  const pick = (key: keyof TlsSettings) => nonEmpty(fromFlags[key]) ?? nonEmpty(fromEnv[key]);
  return { enabled: pick("enabled"), certPath: pick("certPath"), keyPath: pick("keyPath"), caPath: pick("caPath"), serverName: pick("serverName") };
}

/**
 * Reads the certificate files once, at start. Returns undefined for a plaintext connection.
 * Throws a message naming the variable at fault when the settings are half given or a file is unreadable.
 */
export function loadTls(settings: TlsSettings): TlsConfig | undefined {
  const certPath = nonEmpty(settings.certPath);
  const keyPath = nonEmpty(settings.keyPath);
  const caPath = nonEmpty(settings.caPath);
  const serverName = nonEmpty(settings.serverName);
  const flag = nonEmpty(settings.enabled)?.toLowerCase();
  if (flag !== undefined && !["true", "1", "false", "0"].includes(flag)) {
    throw new Error(`${TLS_ENV.enabled} must be true or false, got ${JSON.stringify(settings.enabled)}`);
  }
  const enabled = flag === undefined ? Boolean(certPath || keyPath || caPath || serverName) : flag === "true" || flag === "1";
  if (!enabled) return undefined;
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new Error(`mutual TLS needs both ${TLS_ENV.certPath} and ${TLS_ENV.keyPath} (or --tls-cert-path and --tls-key-path); only one is set`);
  }
  return {
    ...(serverName ? { serverNameOverride: serverName } : {}),
    ...(caPath ? { serverRootCACertificate: readPem(caPath, TLS_ENV.caPath) } : {}),
    ...(certPath && keyPath ? { clientCertPair: { crt: readPem(certPath, TLS_ENV.certPath), key: readPem(keyPath, TLS_ENV.keyPath) } } : {}),
  };
}

/** A one-line description for logs; never the key material. */
export function describeTls(tls: TlsConfig | undefined): string {
  if (!tls) return "plaintext";
  const parts = ["tls"];
  if (tls.clientCertPair) parts.push("client-cert");
  if (tls.serverRootCACertificate) parts.push("custom-ca");
  if (tls.serverNameOverride) parts.push(`server-name=${tls.serverNameOverride}`);
  return parts.join(" ");
}

function readPem(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read ${variable} file ${path}: ${(error as Error).message}`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
