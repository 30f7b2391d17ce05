import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type ImageSpec, homeOf } from "./images";
import { NODE_IP, type PodAddress } from "./network";
import { type Probe, probeTiming, runCommand, runProbe } from "./probes";
import { type Mount, assembleRootScript, prepareLayer, shellQuote } from "./rootfs";
import { type ObjectStore, type VolumeSource, claimDir, configMapData, emptyDir, projectedFiles, secretData, writeAtomically } from "./volumes";

/** `$(VAR)` references as the kubelet expands them: known names only, `$$(VAR)` stays literal `$(VAR)`. */
export function expandReferences(text: string, variables: Record<string, string>): string {
  return text.replace(/\$(\$)?\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, escaped: string | undefined, name: string) => {
    if (escaped) return `$(${name})`;
    return name in variables ? variables[name] : whole;
  });
}

/** The container's PID 1: the process `unshare --fork` started in the new PID namespace. */
function containerInit(launcher: ChildProcess): number | undefined {
  try {
    const children = readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return children.length ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of a PodSpec the runner executes; anything else it meets is refused, not ignored. */
export interface PodSpec {
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  volumes?: VolumeSource[];
  restartPolicy?: "Always" | "OnFailure" | "Never";
  securityContext?: SecurityContext & { fsGroup?: number; supplementalGroups?: number[] };
  terminationGracePeriodSeconds?: number;
  hostname?: string;
  subdomain?: string;
  [field: string]: unknown;
}

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean }; prefix?: string }[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: SecurityContext;
  [field: string]: unknown;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

export interface PodContext {
  runDir: string;
  objects: ObjectStore;
  image(name: string, scratchDir: string): ImageSpec;
  /** The pod's hosts file and resolver config, kept current by the cluster's DNS. */
  dnsFiles(pod: Pod): { hosts: string; resolvConf: string };
  /** The variables the kubelet injects for the Services of a namespace (enableServiceLinks). */
  serviceEnv(namespace: string): Record<string, string>;
  /** Told whenever the pod's readiness or phase changes. */
  changed(pod: Pod): void;
  /** Kubernetes' CrashLoopBackOff and Job back-off start at 10 s; a runner may shorten them. */
  backoffBaseMs: number;
}

export interface PodArgs {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  spec: PodSpec;
  address: PodAddress;
  /** Volume claims of a StatefulSet pod: claim name → directory kept across the pod's restarts. */
  claims?: Record<string, string>;
}

const SUPPORTED_POD_FIELDS = new Set([
  "containers", "initContainers", "volumes", "restartPolicy", "securityContext", "terminationGracePeriodSeconds",
  "hostname", "subdomain", "automountServiceAccountToken", "serviceAccountName", "affinity", "topologySpreadConstraints",
  "nodeSelector", "tolerations", "priorityClassName", "enableServiceLinks",
]);
const SUPPORTED_CONTAINER_FIELDS = new Set([
  "name", "image", "imagePullPolicy", "command", "args", "workingDir", "env", "envFrom", "ports", "volumeMounts",
  "startupProbe", "readinessProbe", "livenessProbe", "resources", "securityContext", "terminationMessagePolicy",
]);

/** How a container is started: its image, who it runs as, its environment and command. */
interface ContainerLaunch {
  image: ImageSpec;
  identity: string[];
  env: string[];
  argv: string[];
  workingDir: string;
  readOnlyRoot: boolean;
}

interface ContainerState {
  spec: ContainerSpec;
  /** The image's STOPSIGNAL, which the kubelet sends first. */
  stopSignal?: NodeJS.Signals;
  process?: ChildProcess;
  started: boolean;
  ready: boolean;
  restarts: number;
  lastExit?: number;
  stopping: boolean;
}

/**
 * One pod, run as the kubelet would: init containers in order, then the containers with their
 * probes, restarts by the pod's restartPolicy, each container in its own root (see rootfs.ts) inside
 * the pod's network namespace, sharing the pod's volumes.
 */
export class Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly spec: PodSpec;
  readonly address: PodAddress;
  readonly dir: string;
  phase: PodPhase = "Pending";
  /** Why the pod failed, with the tail of the failing container's log. */
  failure?: string;
  private readonly containers: ContainerState[];
  private readonly context: PodContext;
  private readonly claims: Record<string, string>;
  private terminating = false;
  private initRestarts = 0;
  private readonly images = new Map<string, ImageSpec>();
  private readonly launches = new Map<string, ContainerLaunch>();
  /** The init container running now, so that stopping the pod stops it too. */
  private runningInit?: ContainerState;
  private timers = new Set<NodeJS.Timeout>();

  constructor(args: PodArgs, context: PodContext) {
    this.name = args.name;
    this.namespace = args.namespace;
    this.labels = args.labels;
    this.spec = args.spec;
    this.address = args.address;
    this.context = context;
    this.claims = args.claims ?? {};
    this.dir = join(context.runDir, "pods", args.name);
    for (const field of Object.keys(args.spec)) {
      if (!SUPPORTED_POD_FIELDS.has(field)) throw new Error(`pod ${args.name}: spec.${field} is not something the local runner can honour`);
    }
    for (const container of [...(args.spec.initContainers ?? []), ...args.spec.containers]) {
      for (const field of Object.keys(container)) {
        if (!SUPPORTED_CONTAINER_FIELDS.has(field)) throw new Error(`pod ${args.name}, container ${container.name}: ${field} is not something the local runner can honour`);
      }
    }
    this.containers = args.spec.containers.map((spec) => ({ spec, started: false, ready: false, restarts: 0, stopping: false }));
  }

  get ready(): boolean {
    return this.phase === "Running" && this.containers.every((container) => container.ready);
  }

  get restartPolicy(): "Always" | "OnFailure" | "Never" {
    return this.spec.restartPolicy ?? "Always";
  }

  get restartCount(): number {
    return this.initRestarts + this.containers.reduce((sum, container) => sum + container.restarts, 0);
  }

  /** The hostname and, for a StatefulSet pod, its stable DNS name. */
  get hostname(): string {
    return this.spec.hostname ?? this.name;
  }

  get fqdn(): string | undefined {
    return this.spec.subdomain ? `${this.hostname}.${this.spec.subdomain}.${this.namespace}.svc.cluster.local` : undefined;
  }

  logFile(container: string): string {
    return join(this.context.runDir, "logs", `${this.name}_${container}.log`);
  }

  /** The last lines each container wrote, for a failing test's message. */
  logTail(lines = 40): string {
    return [...(this.spec.initContainers ?? []), ...this.spec.containers]
      .map((container) => {
        let text = "";
        try {
          text = readFileSync(this.logFile(container.name), "utf8");
        } catch {
          return "";
        }
        return `--- ${this.name}/${container.name} ---\n${text.split("\n").slice(-lines).join("\n")}`;
      })
      .filter(Boolean)
      .join("\n");
  }

  containerPorts(name?: string): Record<string, number> {
    const containers = name ? this.spec.containers.filter((container) => container.name === name) : this.spec.containers;
    return Object.fromEntries(containers.flatMap((container) => (container.ports ?? []).filter((port) => port.name).map((port) => [port.name!, port.containerPort])));
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    mkdirSync(join(this.context.runDir, "logs"), { recursive: true });
    this.writeDnsFiles();
    this.prepareVolumes();
    this.phase = "Pending";
    for (const init of this.spec.initContainers ?? []) {
      if (!(await this.runInit(init))) return;
    }
    if (this.terminating) return;
    this.phase = "Running";
    this.context.changed(this);
    for (const container of this.containers) this.launch(container);
  }

  /** SIGTERM to every container, SIGKILL after the grace period, as the kubelet stops a pod. */
  async stop(): Promise<void> {
    this.terminating = true;
    for (const timer of this.timers) clearTimeout(timer);
    const grace = (this.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const running = [...this.containers, ...(this.runningInit ? [this.runningInit] : [])];
    await Promise.all(running.map((container) => this.killContainer(container, grace)));
    if (this.phase === "Running" || this.phase === "Pending") this.phase = "Failed";
    this.context.changed(this);
  }

  /** `kubectl exec`: a command inside a running container, with its environment and user. */
  async exec(command: string[], containerName = this.spec.containers[0].name, timeoutMs = 30_000): Promise<{ code: number; output: string }> {
    const container = this.containers.find((state) => state.spec.name === containerName);
    const pid = container?.process ? containerInit(container.process) : undefined;
    if (!container || pid === undefined || container.process?.exitCode !== null) throw new Error(`pod ${this.name}: container ${containerName} is not running`);
    const launch = this.launches.get(containerName)!;
    return runCommand(["nsenter", "-t", String(pid), "-m", "-n", "-u", "-i", "-p", "-r", "-w", "--", ...launch.identity, "/usr/bin/env", "-i", ...launch.env, ...command], timeoutMs);
  }

  /** Rewrites the projected volumes that show this ConfigMap or Secret, as the kubelet's sync does. */
  refreshVolumes(kind: "ConfigMap" | "Secret", name: string): boolean {
    let touched = false;
    for (const volume of this.spec.volumes ?? []) {
      const sources = volume.projected ? volume.projected.sources : [volume];
      const shows = sources.some((source) =>
        kind === "ConfigMap" ? source.configMap?.name === name : (source.secret?.secretName ?? source.secret?.name) === name,
      );
      if (!shows) continue;
      writeAtomically(this.volumeDir(volume.name), projectedFiles(volume, this.context.objects), this.spec.securityContext?.fsGroup);
      touched = true;
    }
    return touched;
  }

  writeDnsFiles(): void {
    const files = this.context.dnsFiles(this);
    mkdirSync(join(this.dir, "etc"), { recursive: true });
    // In place, so the file bind-mounted into running containers changes too.
    writeFileSync(join(this.dir, "etc", "hosts"), files.hosts);
    writeFileSync(join(this.dir, "etc", "resolv.conf"), files.resolvConf);
    writeFileSync(join(this.dir, "etc", "hostname"), `${this.hostname}\n`);
  }

  /**
   * The image as the runner lays it out, made once per container: its generated files (passwd,
   * group) are linked into the running container and must not be rewritten under it.
   */
  private imageOf(spec: ContainerSpec): ImageSpec {
    let image = this.images.get(spec.name);
    if (!image) {
      image = this.context.image(spec.image, join(this.dir, "images", spec.name));
      this.images.set(spec.name, image);
    }
    return image;
  }

  private volumeDir(name: string): string {
    return join(this.dir, "volumes", name);
  }

  private prepareVolumes(): void {
    const fsGroup = this.spec.securityContext?.fsGroup;
    for (const volume of this.spec.volumes ?? []) {
      const dir = this.volumeDir(volume.name);
      if (volume.emptyDir) emptyDir(dir);
      else if (volume.configMap || volume.secret || volume.projected) writeAtomically(dir, projectedFiles(volume, this.context.objects), fsGroup);
      else if (volume.persistentVolumeClaim) throw new Error(`pod ${this.name}: volume ${volume.name} names claim ${volume.persistentVolumeClaim.claimName}; only StatefulSet claim templates are supported`);
      else throw new Error(`pod ${this.name}: volume ${volume.name} (${Object.keys(volume).filter((key) => key !== "name").join(",")}) is not supported by the local runner`);
    }
    for (const dir of Object.values(this.claims)) claimDir(dir, fsGroup);
  }

  private mountsOf(spec: ContainerSpec): Mount[] {
    const mounts: Mount[] = (spec.volumeMounts ?? []).map((mount) => {
      const base = this.claims[mount.name] ?? this.volumeDir(mount.name);
      if (!this.claims[mount.name] && !(this.spec.volumes ?? []).some((volume) => volume.name === mount.name)) {
        throw new Error(`pod ${this.name}, container ${spec.name}: volumeMount ${mount.name} names no volume of the pod`);
      }
      if (mount.subPath !== undefined && (mount.subPath.startsWith("/") || mount.subPath.split("/").includes(".."))) {
        throw new Error(`pod ${this.name}, container ${spec.name}: subPath ${mount.subPath} must be a relative path inside the volume (the API server refuses it)`);
      }
      // The kubelet mounts Secret, ConfigMap and projected volumes read-only whatever the mount says.
      const volume = (this.spec.volumes ?? []).find((candidate) => candidate.name === mount.name);
      const alwaysReadOnly = !!(volume?.secret || volume?.configMap || volume?.projected);
      return { source: mount.subPath ? join(base, mount.subPath) : base, target: mount.mountPath, readOnly: alwaysReadOnly || (mount.readOnly ?? false) };
    });
    // The kubelet manages these three files in every container that does not mount its own.
    for (const file of ["hosts", "resolv.conf", "hostname"]) {
      if (!mounts.some((mount) => mount.target === `/etc/${file}`)) mounts.push({ source: join(this.dir, "etc", file), target: `/etc/${file}`, readOnly: false });
    }
    return mounts;
  }

  /** Who the container runs as and with which privileges, from the pod's and container's security contexts over the image's USER. */
  private launchSpec(spec: ContainerSpec): ContainerLaunch {
    const image = this.imageOf(spec);
    const pod = this.spec.securityContext ?? {};
    const own = spec.securityContext ?? {};
    const uid = own.runAsUser ?? pod.runAsUser ?? image.user.uid;
    const gid = own.runAsGroup ?? pod.runAsGroup ?? image.user.gid;
    const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
    if (nonRoot && uid === 0) {
      throw new Error(`pod ${this.name}, container ${spec.name}: runAsNonRoot is set and the image runs as root (CreateContainerConfigError)`);
    }
    // verifyRunAsNonRoot (pkg/kubelet/kuberuntime/security_context_others.go): a named image user cannot be checked.
    if (nonRoot && own.runAsUser === undefined && pod.runAsUser === undefined && image.userName) {
      throw new Error(`pod ${this.name}, container ${spec.name}: runAsNonRoot is set and the image has non-numeric user (${image.userName}), cannot verify user is non-root (CreateContainerConfigError)`);
    }
    const groups = [...new Set([...(pod.fsGroup !== undefined ? [pod.fsGroup] : []), ...(pod.supplementalGroups ?? [])])];
    const identity = ["/usr/bin/setpriv", `--reuid=${uid}`, `--regid=${gid}`, groups.length ? `--groups=${groups.join(",")}` : "--clear-groups"];
    if (own.allowPrivilegeEscalation === false) identity.push("--no-new-privs");
    if (own.capabilities?.drop?.includes("ALL")) identity.push("--inh-caps=-all", "--bounding-set=-all");

    const declared = this.environment(spec);
    // The container sees the image's ENV under the kubelet's; a runtime adds HOSTNAME, and HOME from
    // the image's passwd entry for the user when neither image nor manifest sets it.
    const env: Record<string, string> = { ...image.env, HOSTNAME: this.hostname, ...declared };
    env.HOME ??= homeOf(image, uid);
    // $(VAR) in command and args sees only what the manifest declares and the Service variables, as in the kubelet.
    const expand = (text: string) => expandReferences(text, declared);
    // command replaces ENTRYPOINT and drops CMD; args alone replace CMD (the Kubernetes rule).
    const argv = spec.command ? [...spec.command, ...(spec.args ?? [])] : [...image.entrypoint, ...(spec.args ?? image.cmd)];
    if (argv.length === 0) throw new Error(`pod ${this.name}, container ${spec.name}: neither the manifest nor the image names a command`);
    return {
      image,
      identity,
      env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
      argv: argv.map(expand),
      workingDir: spec.workingDir ?? image.workingDir ?? "/",
      readOnlyRoot: own.readOnlyRootFilesystem ?? false,
    };
  }

  /** What the kubelet puts in a container's environment: Service variables, envFrom, then env in order. */
  private environment(spec: ContainerSpec): Record<string, string> {
    const env: Record<string, string> = this.spec.enableServiceLinks === false ? {} : this.context.serviceEnv(this.namespace);
    const { objects } = this.context;
    for (const source of spec.envFrom ?? []) {
      const object = source.configMapRef ? objects.configMap(source.configMapRef.name) : source.secretRef ? objects.secret(source.secretRef.name) : undefined;
      const ref = source.configMapRef ?? source.secretRef;
      if (!object) {
        if (ref?.optional) continue;
        throw new Error(`pod ${this.name}, container ${spec.name}: envFrom ${ref?.name} does not exist (CreateContainerConfigError)`);
      }
      const data = source.configMapRef ? configMapData(object) : secretData(object);
      for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ""}${key}`] = value;
    }
    const expand = (text: string) => expandReferences(text, env);
    for (const variable of spec.env ?? []) {
      if (variable.value !== undefined || !variable.valueFrom) {
        env[variable.name] = expand(variable.value ?? "");
        continue;
      }
      const from = variable.valueFrom;
      const missing = (what: string) => new Error(`pod ${this.name}, container ${spec.name}: env ${variable.name} reads ${what}, which does not exist (CreateContainerConfigError)`);
      if (from.secretKeyRef) {
        const secret = objects.secret(from.secretKeyRef.name);
        const value = secret && secretData(secret)[from.secretKeyRef.key];
        if (value === undefined) {
          if (from.secretKeyRef.optional) continue;
          throw missing(`key ${from.secretKeyRef.key} of Secret ${from.secretKeyRef.name}`);
        }
        env[variable.name] = value;
      } else if (from.configMapKeyRef) {
        const configMap = objects.configMap(from.configMapKeyRef.name);
        const value = configMap && configMapData(configMap)[from.configMapKeyRef.key];
        if (value === undefined) {
          if (from.configMapKeyRef.optional) continue;
          throw missing(`key ${from.configMapKeyRef.key} of ConfigMap ${from.configMapKeyRef.name}`);
        }
        env[variable.name] = value;
      } else if (from.fieldRef) {
        env[variable.name] = this.field(from.fieldRef.fieldPath);
      } else {
        throw new Error(`pod ${this.name}, container ${spec.name}: env ${variable.name} uses ${Object.keys(from).join(",")}, which the local runner does not support`);
      }
    }
    return env;
  }

  private field(path: string): string {
    switch (path) {
      case "status.podIP":
        return this.address.ip;
      case "status.podIPs":
        return this.address.ip;
      case "metadata.name":
        return this.name;
      case "metadata.namespace":
        return this.namespace;
      case "spec.nodeName":
        return "local-runner";
      case "status.hostIP":
        return NODE_IP;
      default: {
        const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
        if (label) return this.labels[label[1]] ?? "";
        throw new Error(`pod ${this.name}: fieldRef ${path} is not supported by the local runner`);
      }
    }
  }

  private spawnContainer(spec: ContainerSpec): ChildProcess {
    const launch = this.launchSpec(spec);
    // `kubectl exec` and exec probes get the environment the container started with, as in a runtime.
    this.launches.set(spec.name, launch);
    const base = join(this.dir, "containers", spec.name);
    const root = {
      rootDir: join(base, "root"),
      layerDir: join(base, "layer"),
      upperDir: join(base, "upper"),
      imageFiles: launch.image.files,
      mounts: this.mountsOf(spec),
      readOnlyRoot: launch.readOnlyRoot,
      ownership: launch.image.ownership,
    };
    mkdirSync(root.rootDir, { recursive: true });
    // Every start gets a fresh writable layer, as a restarted container does.
    rmSync(root.upperDir, { recursive: true, force: true });
    prepareLayer(root);
    const script = [
      `hostname ${shellQuote(this.hostname)}`,
      assembleRootScript(root),
      `exec chroot ${shellQuote(root.rootDir)} ${launch.identity.map(shellQuote).join(" ")} /usr/bin/env -i -C ${shellQuote(launch.workingDir)} ${launch.env.map(shellQuote).join(" ")} ${launch.argv.map(shellQuote).join(" ")}`,
    ].join("\n");
    const log = openSync(this.logFile(spec.name), "a");
    writeSync(log, `==== ${new Date().toISOString()} ${this.name}/${spec.name} starts: ${launch.argv.join(" ")}\n`);
    // Namespaces of its own for mounts, hostname, IPC and processes: the container's first process is
    // PID 1 there (ignoring signals it does not handle, as in a container), and when it exits the
    // kernel ends everything else it started.
    const child = spawn("nsenter", [`--net=/run/netns/${this.address.netns}`, "unshare", "--mount", "--uts", "--ipc", "--pid", "--fork", "--kill-child=SIGKILL", "--propagation", "private", "sh", "-c", script], {
      detached: true,
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    return child;
  }

  private runInit(spec: ContainerSpec): Promise<boolean> {
    return new Promise((resolve) => {
      const attempt = (restarts: number) => {
        if (this.terminating) return resolve(false);
        let child: ChildProcess;
        try {
          child = this.spawnContainer(spec);
        } catch (error) {
          return this.fail(`init container ${spec.name}: ${(error as Error).message}`, resolve);
        }
        this.runningInit = { spec, process: child, started: true, ready: false, restarts, stopping: false, stopSignal: this.imageOf(spec).stopSignal };
        child.on("exit", (code, signal) => {
          this.runningInit = undefined;
          if (code === 0) return resolve(true);
          if (this.terminating) return resolve(false);
          const why = `init container ${spec.name} exited with ${code ?? signal}`;
          if (this.restartPolicy === "Never") return this.fail(why, resolve);
          this.initRestarts += 1;
          this.context.changed(this);
          this.after(this.backoff(restarts), () => attempt(restarts + 1));
        });
      };
      attempt(0);
    });
  }

  private fail(why: string, resolve?: (value: boolean) => void): void {
    this.phase = "Failed";
    this.failure = why;
    this.context.changed(this);
    resolve?.(false);
  }

  private backoff(restarts: number): number {
    return Math.min(this.context.backoffBaseMs * 2 ** restarts, 300_000);
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private launch(container: ContainerState): void {
    if (this.terminating) return;
    container.started = false;
    container.ready = false;
    let child: ChildProcess;
    try {
      child = this.spawnContainer(container.spec);
    } catch (error) {
      return this.fail(`container ${container.spec.name}: ${(error as Error).message}`);
    }
    container.process = child;
    container.stopSignal = this.imageOf(container.spec).stopSignal;
    child.on("exit", (code, signal) => {
      container.ready = false;
      container.lastExit = code ?? -1;
      if (this.terminating || container.stopping) return;
      const succeeded = code === 0;
      const restart = this.restartPolicy === "Always" || (this.restartPolicy === "OnFailure" && !succeeded);
      if (!restart) {
        if (this.containers.every((state) => state.process?.exitCode !== null || state.process?.signalCode !== null)) {
          const allSucceeded = this.containers.every((state) => state.lastExit === 0);
          if (allSucceeded) this.phase = "Succeeded";
          else this.failure = `container ${container.spec.name} exited with ${code ?? signal}`;
          if (!allSucceeded) this.phase = "Failed";
        }
        this.context.changed(this);
        return;
      }
      container.restarts += 1;
      this.context.changed(this);
      this.after(this.backoff(container.restarts - 1), () => this.launch(container));
    });
    this.watchProbes(container, child);
  }

  private watchProbes(container: ContainerState, child: ChildProcess): void {
    // The kubelet counts every probe's initialDelaySeconds from the container's start (prober worker.go).
    const startedAt = Date.now();
    const spec = container.spec;
    const target = {
      podIp: this.address.ip,
      ports: this.containerPorts(spec.name),
      exec: (command: string[], timeoutMs: number) => this.exec(command, spec.name, timeoutMs),
    };
    const alive = () => !this.terminating && container.process === child && child.exitCode === null && child.signalCode === null;
    const loop = (probe: Probe, onResult: (ok: boolean, detail: string, consecutive: { ok: number; failed: number }) => boolean | void) => {
      const timing = probeTiming(probe);
      const consecutive = { ok: 0, failed: 0 };
      const tick = async () => {
        if (!alive()) return;
        const result = await runProbe(probe, target);
        if (!alive()) return;
        if (result.ok) {
          consecutive.ok += 1;
          consecutive.failed = 0;
        } else {
          consecutive.failed += 1;
          consecutive.ok = 0;
        }
        if (onResult(result.ok, result.detail, consecutive) === false) return;
        this.after(timing.periodMs, tick);
      };
      this.after(Math.max(0, startedAt + timing.initialDelayMs - Date.now()), tick);
    };
    const afterStartup = () => {
      container.started = true;
      if (spec.readinessProbe) {
        const timing = probeTiming(spec.readinessProbe);
        loop(spec.readinessProbe, (ok, _detail, consecutive) => {
          const ready = ok ? consecutive.ok >= timing.successThreshold || container.ready : consecutive.failed < timing.failureThreshold && container.ready;
          if (ready !== container.ready) {
            container.ready = ready;
            this.context.changed(this);
          }
        });
      } else {
        container.ready = true;
        this.context.changed(this);
      }
      if (spec.livenessProbe) {
        const timing = probeTiming(spec.livenessProbe);
        loop(spec.livenessProbe, (ok, detail, consecutive) => {
          if (!ok && consecutive.failed >= timing.failureThreshold) {
            this.note(spec.name, `liveness probe failed ${consecutive.failed} times (${detail}); restarting the container`);
            void this.killContainer(container, (this.spec.terminationGracePeriodSeconds ?? 30) * 1000, true);
            return false;
          }
          return true;
        });
      }
    };
    if (!spec.startupProbe) return afterStartup();
    const timing = probeTiming(spec.startupProbe);
    loop(spec.startupProbe, (ok, detail, consecutive) => {
      if (ok) {
        afterStartup();
        return false;
      }
      if (consecutive.failed >= timing.failureThreshold) {
        this.note(spec.name, `startup probe failed ${consecutive.failed} times (${detail}); restarting the container`);
        void this.killContainer(container, (this.spec.terminationGracePeriodSeconds ?? 30) * 1000, true);
        return false;
      }
      return true;
    });
  }

  private note(container: string, text: string): void {
    const log = openSync(this.logFile(container), "a");
    writeSync(log, `==== ${new Date().toISOString()} runner: ${text}\n`);
    closeSync(log);
  }

  /** Stops one container's processes; with `restart`, the exit handler then restarts it by policy. */
  private killContainer(container: ContainerState, graceMs: number, restart = false): Promise<void> {
    const child = container.process;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
    container.stopping = !restart;
    return new Promise((resolve) => {
      const kill = (pid: number | undefined, signal: NodeJS.Signals) => {
        try {
          if (pid !== undefined) process.kill(pid, signal);
        } catch {
          // Already gone.
        }
      };
      // The stop signal goes to the container's PID 1 only, as a runtime sends it; SIGKILL to it
      // after the grace period ends the container's whole PID namespace.
      const init = containerInit(child);
      const timer = setTimeout(() => kill(containerInit(child) ?? child.pid, "SIGKILL"), graceMs);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      if (init === undefined) kill(child.pid, "SIGKILL");
      else kill(init, container.stopSignal ?? "SIGTERM");
    });
  }
}
