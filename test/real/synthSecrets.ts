import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SynthOutput } from "./runner/manifests";

export interface CertificateFiles {
  cert: string;
  key: string;
  ca: string;
}

/**
 * A certificate Secret of the synth (its private output holds the real PEMs), written to files as a
 * client outside the cluster would hold them.
 */
export function certificateFiles(synth: SynthOutput, secretName: string, dir: string): CertificateFiles {
  const secret = synth.plan.find((planned) => planned.object.kind === "Secret" && planned.object.metadata.name === secretName)?.object;
  if (!secret) throw new Error(`the synth has no Secret ${secretName}`);
  const value = (key: string): string => secret.stringData?.[key] ?? Buffer.from(secret.data?.[key] ?? "", "base64").toString();
  const target = join(dir, secretName);
  mkdirSync(target, { recursive: true });
  const files = { cert: join(target, "tls.crt"), key: join(target, "tls.key"), ca: join(target, "ca.crt") };
  writeFileSync(files.cert, value("tls.crt"));
  writeFileSync(files.key, value("tls.key"), { mode: 0o600 });
  writeFileSync(files.ca, value("ca.crt"));
  return files;
}

/** The TEMPORAL_TLS_* variables the kit gives a worker pool, pointing at a client's certificate files. */
export function sdkTlsEnv(files: CertificateFiles, serverName: string): Record<string, string> {
  return {
    TEMPORAL_TLS_CLIENT_CERT_PATH: files.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: files.key,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: files.ca,
    TEMPORAL_TLS_SERVER_NAME: serverName,
  };
}
