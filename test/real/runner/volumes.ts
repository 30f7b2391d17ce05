import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject } from "./manifests";

/** What volumes read from the API server: ConfigMaps and Secrets by name. */
export interface ObjectStore {
  configMap(name: string): KubeObject | undefined;
  secret(name: string): KubeObject | undefined;
}

export interface VolumeSource {
  name: string;
  emptyDir?: Record<string, unknown>;
  configMap?: KeyProjection;
  secret?: KeyProjection & { secretName: string };
  projected?: { defaultMode?: number; sources: { configMap?: KeyProjection; secret?: KeyProjection }[] };
  persistentVolumeClaim?: { claimName: string };
  [other: string]: unknown;
}

interface KeyProjection {
  name?: string;
  secretName?: string;
  items?: { key: string; path: string; mode?: number }[];
  defaultMode?: number;
  optional?: boolean;
}

/** A Secret's values as text, from stringData or base64 data. */
export function secretData(secret: KubeObject): Record<string, string> {
  const decoded = Object.fromEntries(Object.entries((secret.data ?? {}) as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]));
  return { ...decoded, ...((secret.stringData ?? {}) as Record<string, string>) };
}

export function configMapData(configMap: KubeObject): Record<string, string> {
  const binary = Object.fromEntries(Object.entries((configMap.binaryData ?? {}) as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]));
  return { ...binary, ...((configMap.data ?? {}) as Record<string, string>) };
}

interface ProjectedFile {
  path: string;
  content: string;
  mode: number;
}

/** The files a configMap, secret or projected volume shows, as the kubelet projects them. */
export function projectedFiles(volume: VolumeSource, store: ObjectStore): ProjectedFile[] {
  const project = (projection: KeyProjection, data: Record<string, string> | undefined, what: string, defaultMode: number): ProjectedFile[] => {
    if (!data) {
      if (projection.optional) return [];
      throw new Error(`volume ${volume.name}: ${what} does not exist (the kubelet would keep the pod in ContainerCreating)`);
    }
    const mode = projection.defaultMode ?? defaultMode;
    if (!projection.items) return Object.entries(data).map(([key, content]) => ({ path: key, content, mode }));
    return projection.items.map((item) => {
      if (!(item.key in data)) throw new Error(`volume ${volume.name}: ${what} has no key ${item.key}`);
      return { path: item.path, content: data[item.key], mode: item.mode ?? mode };
    });
  };
  const fromConfigMap = (projection: KeyProjection, defaultMode: number) => {
    const object = store.configMap(projection.name!);
    return project(projection, object && configMapData(object), `ConfigMap ${projection.name}`, defaultMode);
  };
  const fromSecret = (projection: KeyProjection, defaultMode: number) => {
    const name = projection.secretName ?? projection.name!;
    const object = store.secret(name);
    return project(projection, object && secretData(object), `Secret ${name}`, defaultMode);
  };
  if (volume.configMap) return fromConfigMap(volume.configMap, 0o644);
  if (volume.secret) return fromSecret(volume.secret, 0o644);
  if (volume.projected) {
    const defaultMode = volume.projected.defaultMode ?? 0o644;
    return volume.projected.sources.flatMap((source) => {
      if (source.configMap) return fromConfigMap({ ...source.configMap, defaultMode }, defaultMode);
      if (source.secret) return fromSecret({ ...source.secret, defaultMode }, defaultMode);
      throw new Error(`volume ${volume.name}: projected source ${Object.keys(source).join(",")} is not supported by the local runner`);
    });
  }
  throw new Error(`volume ${volume.name} is not a projected kind`);
}

/**
 * Writes projected files the way the kubelet's atomic writer does: the files live in a timestamped
 * directory, `..data` points at it, and each visible name is a link through `..data`; an update
 * swaps `..data` in one rename, so a reader sees the old files or the new ones, never a mix.
 */
export function writeAtomically(dir: string, files: ProjectedFile[], group: number | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const version = `..${new Date().toISOString().replace(/[:.]/g, "_")}_${process.hrtime.bigint()}`;
  const versionDir = join(dir, version);
  mkdirSync(versionDir, { mode: 0o755 });
  for (const file of files) {
    const target = join(versionDir, file.path);
    mkdirSync(join(target, ".."), { recursive: true, mode: 0o755 });
    writeFileSync(target, file.content, { mode: file.mode });
    chmodSync(target, file.mode);
    if (group !== undefined) chownSync(target, 0, group);
  }
  const nextLink = join(dir, "..data_tmp");
  rmSync(nextLink, { force: true });
  symlinkSync(version, nextLink);
  renameSync(nextLink, join(dir, "..data"));
  for (const top of new Set(files.map((file) => file.path.split("/")[0]))) {
    const link = join(dir, top);
    if (!existsSync(link)) symlinkSync(join("..data", top), link);
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith("..") && entry !== "..data" && entry !== version) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * An emptyDir: empty when its pod starts and world-writable, as the kubelet makes it. A StatefulSet's
 * replacement pod has its predecessor's name (and so its directory) but none of its emptyDirs: a
 * stale lock or socket left there would be something no cluster shows a new pod.
 */
export function emptyDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
}

/** A volume claim's directory, given to the pod's fsGroup the way the kubelet does (setgid, group-writable). */
export function claimDir(dir: string, fsGroup: number | undefined): void {
  const fresh = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  if (fresh && fsGroup !== undefined) {
    chownSync(dir, 0, fsGroup);
    chmodSync(dir, 0o2775);
  } else if (fresh) {
    chmodSync(dir, 0o755);
  }
}
