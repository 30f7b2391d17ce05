import { chmodSync, chownSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * A container's view of the filesystem, built the way a container runtime layers it, without
 * touching the machine's own files: a fresh root in a private mount namespace; the image's files
 * (hard links to the locally built binaries) at the paths the image keeps them, overlaid on the
 * machine's directories; then the manifest's volumes mounted on top, hiding whatever the image had
 * at their paths; then, with readOnlyRootFilesystem, everything but the volumes read-only.
 */
export interface Mount {
  /** A file or directory on this machine. */
  source: string;
  /** The path inside the container. */
  target: string;
  readOnly: boolean;
}

export interface ContainerRoot {
  /** Where the root is assembled; a tmpfs is mounted there in the container's namespace. */
  rootDir: string;
  /** The image's files, laid out by their container paths. */
  layerDir: string;
  /** Where the container's writes go when its root is writable. */
  upperDir: string;
  /** The image's files: container path → path on this machine. */
  imageFiles: Record<string, string>;
  mounts: Mount[];
  readOnlyRoot: boolean;
  /** Directories of the image that belong to its user, with their modes (a copy keeps neither). */
  ownership?: Record<string, { uid: number; gid: number; mode: number }>;
}

/** Top-level directories a container never sees from the machine: it gets its own. */
// The machine's /root and /work (the tool cache, this repository and its private synth output) stay out of sight.
const NOT_FROM_HOST = new Set(["proc", "sys", "dev", "tmp", "run", "mnt", "media", "lost+found", "boot", "srv", "home", "root", "work"]);

/** The runner's own files live under /srv, which no container sees and no image path may use. */
export const RUN_ROOT = "/srv/temporal-kit-runs";

export function prepareLayer(root: ContainerRoot): void {
  rmSync(root.layerDir, { recursive: true, force: true });
  mkdirSync(root.layerDir, { recursive: true, mode: 0o755 });
  for (const [target, source] of Object.entries(root.imageFiles)) {
    checkPath(target);
    const destination = join(root.layerDir, target);
    mkdirSync(dirname(destination), { recursive: true, mode: 0o755 });
    if (statSync(source).isDirectory()) {
      // A mount point: the directory itself is bound read-only over it (assembleRootScript).
      mkdirSync(destination, { recursive: true, mode: 0o755 });
    } else {
      try {
        linkSync(source, destination);
      } catch {
        cpSync(source, destination, { preserveTimestamps: true });
      }
    }
  }
  for (const [target, owner] of Object.entries(root.ownership ?? {})) {
    checkPath(target);
    const path = join(root.layerDir, target);
    mkdirSync(path, { recursive: true, mode: 0o755 });
    chownSync(path, owner.uid, owner.gid);
    chmodSync(path, owner.mode);
  }
  // Mount points exist in the image's layer, as a runtime creates them before it mounts.
  for (const mount of root.mounts) {
    checkPath(mount.target);
    const point = join(root.layerDir, mount.target);
    if (existsSync(point)) continue;
    if (statSync(mount.source).isDirectory()) {
      mkdirSync(point, { recursive: true, mode: 0o755 });
    } else {
      mkdirSync(dirname(point), { recursive: true, mode: 0o755 });
      writeFileSync(point, "");
    }
  }
}

function checkPath(target: string): void {
  if (!target.startsWith("/") || target.split("/").includes("..")) throw new Error(`container path ${target} must be absolute and plain`);
  if (target === "/srv" || target.startsWith("/srv/")) throw new Error(`container path ${target}: /srv is where the local runner keeps its own files`);
}

const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The shell commands, run as root in the container's new mount namespace, that assemble its root.
 * They end where the caller's `exec chroot …` begins.
 */
export function assembleRootScript(root: ContainerRoot): string {
  const R = root.rootDir;
  const lines = ["set -eu", `mount -t tmpfs -o mode=0755 tmpfs ${quote(R)}`];
  const layerTops = new Set(readdirSync(root.layerDir));
  for (const entry of readdirSync("/")) {
    if (NOT_FROM_HOST.has(entry) && !layerTops.has(entry)) continue;
    const hostPath = `/${entry}`;
    const inRoot = quote(`${R}/${entry}`);
    const stats = lstatSync(hostPath);
    if (stats.isSymbolicLink()) {
      if (!layerTops.has(entry)) lines.push(`ln -s ${quote(readlinkSync(hostPath))} ${inRoot}`);
      continue;
    }
    if (!stats.isDirectory()) continue;
    lines.push(`mkdir ${inRoot}`);
    const layered = layerTops.has(entry);
    if (!root.readOnlyRoot) {
      // A writable root: writes land in the pod's own upper directory, never on the machine.
      const upper = join(root.upperDir, "upper", entry);
      const work = join(root.upperDir, "work", entry);
      lines.push(`mkdir -p ${quote(upper)} ${quote(work)}`);
      const lower = NOT_FROM_HOST.has(entry) ? join(root.layerDir, entry) : layered ? `${join(root.layerDir, entry)}:${hostPath}` : hostPath;
      lines.push(`mount -t overlay overlay -o ${quote(`lowerdir=${lower},upperdir=${upper},workdir=${work}`)} ${inRoot}`);
    } else if (layered && !NOT_FROM_HOST.has(entry)) {
      lines.push(`mount -t overlay overlay -o ${quote(`ro,lowerdir=${join(root.layerDir, entry)}:${hostPath}`)} ${inRoot}`);
    } else if (layered) {
      lines.push(`mount --bind ${quote(join(root.layerDir, entry))} ${inRoot}`, `mount -o remount,bind,ro ${inRoot}`);
    } else {
      lines.push(`mount --rbind ${quote(hostPath)} ${inRoot}`, `mount -o remount,bind,ro ${inRoot}`);
    }
  }
  // Directories of the image's that the machine does not have at all (/app, say).
  for (const entry of layerTops) {
    if (existsSync(`/${entry}`)) continue;
    const inRoot = quote(`${R}/${entry}`);
    lines.push(`mkdir ${inRoot}`, `mount --bind ${quote(join(root.layerDir, entry))} ${inRoot}`);
    if (root.readOnlyRoot) lines.push(`mount -o remount,bind,ro ${inRoot}`);
  }
  for (const system of ["proc", "sys", "dev", "tmp", "run"]) {
    if (!layerTops.has(system)) lines.push(`mkdir -p ${quote(`${R}/${system}`)}`);
  }
  // proc of the container's own PID namespace; sysfs read-only; a /dev of its own with the
  // runtime's standard devices and a private /dev/shm, as a container runtime sets them up.
  lines.push(`mount -t proc proc ${quote(`${R}/proc`)}`, `mount --rbind /sys ${quote(`${R}/sys`)}`, `mount -o remount,bind,ro ${quote(`${R}/sys`)}`);
  const dev = (path: string) => quote(`${R}/dev/${path}`);
  lines.push(`mount -t tmpfs -o mode=0755,nosuid tmpfs ${dev("")}`);
  for (const device of ["null", "zero", "full", "random", "urandom", "tty"]) lines.push(`touch ${dev(device)}`, `mount --bind /dev/${device} ${dev(device)}`);
  lines.push(`mkdir ${dev("shm")} ${dev("pts")}`, `mount -t tmpfs -o mode=1777,nosuid,nodev,size=64m shm ${dev("shm")}`);
  for (const [link, target] of [["fd", "/proc/self/fd"], ["stdin", "/proc/self/fd/0"], ["stdout", "/proc/self/fd/1"], ["stderr", "/proc/self/fd/2"]]) {
    lines.push(`ln -s ${target} ${dev(link)}`);
  }
  // The image's directories, read-only as image layers are to the runner's cache, under the volumes.
  const imageDirectories = Object.entries(root.imageFiles).filter(([, source]) => statSync(source).isDirectory());
  for (const [target, source] of imageDirectories.sort(([a], [b]) => a.length - b.length)) {
    const point = quote(`${R}${target}`);
    lines.push(`mount --bind ${quote(source)} ${point}`, `mount -o remount,bind,ro ${point}`);
  }
  // Shorter paths first, so a volume inside another volume lands on top of it.
  for (const mount of [...root.mounts].sort((a, b) => a.target.length - b.target.length)) {
    const point = quote(`${R}${mount.target}`);
    lines.push(`mount --bind ${quote(mount.source)} ${point}`);
    if (mount.readOnly) lines.push(`mount -o remount,bind,ro ${point}`);
  }
  if (root.readOnlyRoot) lines.push(`mount -o remount,bind,ro ${quote(R)}`);
  return lines.join("\n");
}

export { quote as shellQuote };
