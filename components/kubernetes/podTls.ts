import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { TLS_CERTIFICATES, TLS_DIR, TlsCertificateName, tlsFilesOf } from "../temporal/tls";
import type { ClusterNames } from "./names";

type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** What a pod needs to speak mutual TLS: the certificate Secrets as volumes, and how to find the files. */
export interface PodTls {
  volumes: Volume[];
  mounts: VolumeMount[];
  env: EnvVar[];
  /** Pod template annotations: a hash of mounted content the process reads once, so a change rolls the pods. */
  annotations?: Record<string, string>;
}

/**
 * Which certificate a client pod presents and to whom: the kit's client certificate towards the
 * public frontend, or the internode certificate towards the internal frontend.
 */
export interface TlsPeer {
  certificate: Extract<TlsCertificateName, "client" | "internode">;
  /** The name the server's certificate carries. */
  serverName: pulumi.Input<string>;
}

// A directory per Secret (never subPath), so a renewed certificate reaches the running pod.
function secretVolume(names: ClusterNames, certificate: TlsCertificateName): { volume: Volume; mount: VolumeMount } {
  const volumeName = `tls-${certificate}`;
  return {
    volume: { name: volumeName, secret: { secretName: names.tlsSecret(certificate) } },
    mount: { name: volumeName, mountPath: `${TLS_DIR}/${certificate}`, readOnly: true },
  };
}

/** Every role mounts all three certificates: they share one server config file that names them all. */
export function serverPodTls(names: ClusterNames): PodTls {
  const volumes = TLS_CERTIFICATES.map((certificate) => secretVolume(names, certificate));
  return { volumes: volumes.map((v) => v.volume), mounts: volumes.map((v) => v.mount), env: [] };
}

/**
 * A client pod of the frontend (worker pool, namespace job): the certificate as files, named by
 * the environment variables of Temporal's SDK environment configuration and CLI, so an SDK client
 * loaded from the environment connects without code for it.
 */
export function sdkClientPodTls(names: ClusterNames, peer: TlsPeer): PodTls {
  const { volume, mount } = secretVolume(names, peer.certificate);
  const files = tlsFilesOf(peer.certificate);
  return {
    volumes: [volume],
    mounts: [mount],
    env: [
      { name: "TEMPORAL_TLS", value: "true" },
      { name: "TEMPORAL_TLS_CLIENT_CERT_PATH", value: files.certFile },
      { name: "TEMPORAL_TLS_CLIENT_KEY_PATH", value: files.keyFile },
      { name: "TEMPORAL_TLS_SERVER_CA_CERT_PATH", value: files.caFile },
      { name: "TEMPORAL_TLS_SERVER_NAME", value: peer.serverName },
    ],
  };
}

/** The web console (temporalio/ui) reads its own TEMPORAL_TLS_* variables. */
export function webConsolePodTls(names: ClusterNames, frontendServerName: pulumi.Input<string>): PodTls {
  const { volume, mount } = secretVolume(names, "client");
  const files = tlsFilesOf("client");
  return {
    volumes: [volume],
    mounts: [mount],
    env: [
      { name: "TEMPORAL_TLS_CA", value: files.caFile },
      { name: "TEMPORAL_TLS_CERT", value: files.certFile },
      { name: "TEMPORAL_TLS_KEY", value: files.keyFile },
      { name: "TEMPORAL_TLS_SERVER_NAME", value: frontendServerName },
      { name: "TEMPORAL_TLS_ENABLE_HOST_VERIFICATION", value: "true" },
    ],
  };
}
