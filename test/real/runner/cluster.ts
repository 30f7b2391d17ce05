import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type ImageSpec, type ToolPaths, imageSpec, loadToolPaths } from "./images";
import { type CheckFailure, CheckFailedError, type DynamicState, checkDynamic, deployDynamic } from "./dynamic";
import { type DynamicResource, type KubeObject, type SynthOutput, objectKey } from "./manifests";
import { type DnsRecord, PodNetwork, hostsFile, resolvConf } from "./network";
import { Pod, type PodContext, type PodSpec } from "./pod";
import { RUN_ROOT } from "./rootfs";

/** Kinds the runner stores but cannot enforce without a real cluster; listed in every run's report. */
const NOT_ENFORCED = new Set([
  "NetworkPolicy", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "PodDisruptionBudget",
  "HorizontalPodAutoscaler", "Ingress", "ServiceMonitor", "PrometheusRule", "Certificate", "Issuer", "ResourceQuota", "LimitRange",
]);

export interface ClusterOptions {
  /** Where pods, volumes and logs go; defaults to a fresh directory under /srv/temporal-kit-runs. */
  runDir?: string;
  /** How long to wait for a workload or Job, as Pulumi's default customTimeouts (10 minutes). */
  awaitTimeoutMs?: number;
  /** The first restart back-off; the kubelet and the Job controller use 10 s. */
  backoffBaseMs?: number;
  tools?: ToolPaths;
}

type Selector = Record<string, string>;

/** How many earlier runs' directories (logs, volumes) stay under /srv/temporal-kit-runs. */
const KEPT_RUNS = 4;

interface Workload {
  key: string;
  object: KubeObject;
  pods: Pod[];
}

const matches = (selector: Selector | undefined, labels: Record<string, string>) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** One step of a deploy: a Kubernetes object or a dynamic resource, with what must be done before it. */
type Step = { key: string; dependsOn: string[] } & ({ object: KubeObject } | { dynamic: DynamicResource });

/** The objects the filter picks, with everything they depend on, in plan order. */
function withDependencies(plan: Step[], only: (object: KubeObject) => boolean): Step[] {
  const byKey = new Map(plan.map((planned) => [planned.key, planned]));
  const wanted = new Set<string>();
  const visit = (key: string) => {
    if (wanted.has(key) || !byKey.has(key)) return;
    wanted.add(key);
    byKey.get(key)!.dependsOn.forEach(visit);
  };
  plan.filter((planned) => "object" in planned && only(planned.object)).forEach((planned) => visit(planned.key));
  return plan.filter((planned) => wanted.has(planned.key));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A one-node Kubernetes stand-in for the synth's manifests: it applies them in the order Pulumi
 * would (each object once everything it depends on is created and, for workloads and Jobs, ready or
 * complete), runs every pod as processes (pod.ts), and answers cluster DNS from the Services.
 */
export class LocalCluster {
  readonly runDir: string;
  readonly network = new PodNetwork();
  readonly tools: ToolPaths;
  private readonly objects = new Map<string, KubeObject>();
  /** What the stack's state holds of each dynamic resource, by key: what the next preview checks against. */
  private readonly dynamicState = new Map<string, DynamicState>();
  private readonly workloads = new Map<string, Workload>();
  private readonly clientNamespaces: string[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly awaitTimeoutMs: number;
  private readonly backoffBaseMs: number;
  private podCounter = 0;
  /** Each applied object's dependencies as Pulumi recorded them, for the teardown order. */
  private readonly dependencies = new Map<string, string[]>();
  /** Everything the runner did, in order, for the test report. */
  readonly events: string[] = [];

  constructor(options: ClusterOptions = {}) {
    this.tools = options.tools ?? loadToolPaths();
    this.runDir = options.runDir ?? join(RUN_ROOT, `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`);
    this.awaitTimeoutMs = options.awaitTimeoutMs ?? 600_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 10_000;
  }

  async up(): Promise<void> {
    // Earlier runs' logs and volumes stay for a look afterwards, the last few of them.
    if (existsSync(RUN_ROOT)) {
      for (const old of readdirSync(RUN_ROOT).sort().slice(0, -KEPT_RUNS)) rmSync(join(RUN_ROOT, old), { recursive: true, force: true });
    }
    mkdirSync(this.runDir, { recursive: true, mode: 0o755 });
    this.network.up();
    this.event(`cluster up in ${this.runDir}`);
  }

  /**
   * Stops every pod and removes the pod network; afterwards no process of the run is left. Pods stop
   * in the order `pulumi destroy` deletes their objects: dependents before what they depend on (the
   * roles before their database), because the Kubernetes provider deletes each object with
   * foreground cascading and awaits it before deleting its dependencies
   * (pulumi/pulumi-kubernetes provider/pkg/await/await.go, Deletion). Stopped all at once, a
   * matching pod whose database went first retries it until its grace period runs out.
   */
  async down(): Promise<void> {
    const remaining = new Set(this.workloads.keys());
    while (remaining.size > 0) {
      const wave = [...remaining].filter((key) => ![...remaining].some((other) => other !== key && this.dependsTransitively(other, key)));
      // A dependency cycle cannot come from Pulumi's graph; stop whatever is left rather than hang.
      const stopping = wave.length > 0 ? wave : [...remaining];
      await Promise.all(stopping.flatMap((key) => this.workloads.get(key)!.pods.map((pod) => this.removePod(pod))));
      for (const key of stopping) remaining.delete(key);
    }
    this.workloads.clear();
    for (const netns of this.clientNamespaces) rmSync(`/etc/netns/${netns}`, { recursive: true, force: true });
    this.network.down();
    this.event("cluster down");
  }

  /**
   * `pulumi preview`'s verdict on a synth: every dynamic resource's check against the inputs the
   * stack's state holds for it (none before its first deploy). An empty list lets the deploy go on.
   */
  async preview(synth: SynthOutput): Promise<CheckFailure[]> {
    const failures: CheckFailure[] = [];
    for (const resource of synth.dynamic) failures.push(...(await checkDynamic(resource, this.dynamicState.get(resource.key))).failures);
    return failures;
  }

  /**
   * Applies a synth the way `pulumi up` would: first its preview, which stops everything when a
   * provider's check fails; then new and changed objects in dependency order, each awaited as the
   * Pulumi Kubernetes provider awaits it, dynamic resources through their own provider; objects
   * gone from the synth are deleted last, as Pulumi deletes replaced and removed resources.
   */
  async apply(synth: SynthOutput, options: { only?: (object: KubeObject) => boolean } = {}): Promise<string[]> {
    const refused = await this.preview(synth);
    if (refused.length > 0) {
      this.event(`preview refused ${synth.dir}: ${refused.map((failure) => `${failure.resource} ${failure.property}`).join(", ")}`);
      throw new CheckFailedError(refused);
    }
    const changed: string[] = [];
    const done = new Set<string>();
    const pending = new Map<string, Step>();
    const steps: Step[] = [...synth.dynamic.map((dynamic) => ({ key: dynamic.key, dependsOn: dynamic.dependsOn, dynamic })), ...synth.plan];
    const plan = options.only ? withDependencies(steps, options.only) : steps;
    for (const planned of plan) {
      const current = "object" in planned ? this.objects.get(planned.key) : undefined;
      if (current && "object" in planned && isDeepStrictEqual(current, planned.object)) done.add(planned.key);
      else pending.set(planned.key, planned);
    }
    const inPlan = new Set(steps.map((planned) => planned.key));
    for (const planned of plan) this.dependencies.set(planned.key, planned.dependsOn);
    const inFlight = new Map<string, Promise<void>>();
    let failure: unknown;
    while ((pending.size > 0 || inFlight.size > 0) && !failure) {
      for (const [key, planned] of pending) {
        if (!planned.dependsOn.every((dependency) => done.has(dependency) || !inPlan.has(dependency))) continue;
        pending.delete(key);
        if ("object" in planned) changed.push(key);
        inFlight.set(
          key,
          ("object" in planned ? this.applyObject(planned.object) : this.applyDynamic(planned.dynamic, changed)).then(
            () => {
              // A step's end, for suites that check the order a deploy kept (each workload ready, each Job complete).
              if ("object" in planned) this.event(`done ${key}`);
              done.add(key);
              inFlight.delete(key);
            },
            (error: unknown) => {
              failure ??= error;
              inFlight.delete(key);
            },
          ),
        );
      }
      if (inFlight.size === 0 && pending.size > 0) throw new Error(`cannot order ${[...pending.keys()].join(", ")}: their dependencies never complete`);
      await Promise.race(inFlight.values());
    }
    // What is still in flight may wait minutes for pods that depend on the failed object; the
    // caller tears the cluster down, which ends those waits.
    if (failure) throw failure;
    if (!options.only) {
      for (const key of [...this.objects.keys()]) {
        if (!inPlan.has(key)) await this.deleteObject(key);
      }
    }
    return changed;
  }

  /** Runs a Job again from a fresh pod, as deleting it and applying the same synth would. */
  async rerunJob(name: string): Promise<void> {
    const job = this.object("Job", name);
    if (!job) throw new Error(`no Job ${name} has been applied`);
    await this.runJob(job, job);
  }

  /** Pods of a Deployment, StatefulSet or Job, by its name. */
  pods(kindAndName: string): Pod[] {
    const workload = [...this.workloads.values()].find((candidate) => `${candidate.object.kind}/${candidate.object.metadata.name}` === kindAndName);
    return workload ? [...workload.pods] : [];
  }

  allPods(): Pod[] {
    return [...this.workloads.values()].flatMap((workload) => workload.pods);
  }

  /** Deletes a pod as `kubectl delete pod` does; its controller starts a replacement. */
  async deletePod(pod: Pod): Promise<void> {
    const workload = [...this.workloads.values()].find((candidate) => candidate.pods.includes(pod));
    await this.removePod(pod);
    if (!workload) return;
    workload.pods = workload.pods.filter((candidate) => candidate !== pod);
    if (workload.object.kind === "Deployment") await this.scaleUp(workload);
    // The StatefulSet controller recreates the same ordinal under the same name, on the same claims.
    if (workload.object.kind === "StatefulSet") {
      const ordinal = Number(pod.name.slice(workload.object.metadata.name.length + 1));
      const replacement = this.statefulPod(workload, ordinal);
      await this.until(`${replacement.name} to be ready`, () => replacement.ready, replacement);
    }
  }

  /**
   * Runs a command beside the pods, as `kubectl run` would: in a network namespace of its own, with
   * the cluster's DNS in its /etc/hosts, as root with the machine's files.
   */
  async runClient(argv: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
    const address = this.network.addPod();
    const etc = `/etc/netns/${address.netns}`;
    this.clientNamespaces.push(address.netns);
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, "hosts"), hostsFile({ ip: address.ip, hostname: "client" }, this.dnsRecords(this.defaultNamespace())));
    writeFileSync(join(etc, "resolv.conf"), resolvConf(this.defaultNamespace()));
    try {
      return await new Promise((resolve) => {
        execFile("ip", ["netns", "exec", address.netns, ...argv], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
          const code = error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      });
    } finally {
      this.network.removePod(address);
      rmSync(etc, { recursive: true, force: true });
    }
  }

  /** An applied object; Secrets, ConfigMaps and Services are found in their own namespace only, as pods see them. */
  object(kind: string, name: string, namespace?: string): KubeObject | undefined {
    return [...this.objects.values()].find((object) => object.kind === kind && object.metadata.name === name && (namespace === undefined || (object.metadata.namespace ?? "default") === namespace));
  }

  /** Every applied object by key, as a copy: what a later apply must (or must not) have changed. */
  appliedObjects(): Map<string, KubeObject> {
    return new Map([...this.objects].map(([key, object]) => [key, structuredClone(object)]));
  }

  /** The kinds this run stored without enforcing them. */
  notEnforced(): string[] {
    return [...new Set([...this.objects.values()].map((object) => object.kind).filter((kind) => NOT_ENFORCED.has(kind)))].sort();
  }

  /** Every pod's log tail, for a failing test. */
  logs(): string {
    return this.allPods().map((pod) => pod.logTail()).join("\n");
  }

  private event(text: string): void {
    this.events.push(`${new Date().toISOString()} ${text}`);
  }

  private defaultNamespace(): string {
    return [...this.objects.values()].find((object) => object.kind === "Namespace")?.metadata.name ?? "default";
  }

  private async applyObject(object: KubeObject): Promise<void> {
    const key = objectKey(object);
    const previous = this.objects.get(key);
    this.objects.set(key, object);
    this.event(`${previous ? "update" : "create"} ${key}`);
    switch (object.kind) {
      case "ConfigMap":
      case "Secret":
        if (previous) {
          for (const pod of this.allPods()) {
            if (pod.refreshVolumes(object.kind, object.metadata.name)) this.event(`refreshed ${object.kind} ${object.metadata.name} in pod ${pod.name}`);
          }
        }
        return;
      case "Service":
        this.checkServicePorts(object);
        this.refreshDns();
        // The Pulumi provider waits for a Service with a selector to have endpoints, not-ready ones
        // included (headless Services excepted): a running pod it selects.
        if (object.spec?.clusterIP !== "None" && object.spec?.selector) {
          await this.until(`${key} to have an endpoint`, () => this.selectedPods(object).length > 0);
        }
        return;
      case "Deployment":
        return this.rollDeployment(object, previous);
      case "StatefulSet":
        return this.rollStatefulSet(object, previous);
      case "Job":
        return this.runJob(object, previous);
      case "Namespace":
        return;
      default:
        if (!NOT_ENFORCED.has(object.kind)) throw new Error(`${key}: the local runner does not know how to apply a ${object.kind}`);
        return;
    }
  }

  /** Whether `from` depends on `to`, directly or through other objects (a role on its database through the schema Job). */
  private dependsTransitively(from: string, to: string, seen = new Set<string>()): boolean {
    for (const dependency of this.dependencies.get(from) ?? []) {
      if (dependency === to) return true;
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      if (this.dependsTransitively(dependency, to, seen)) return true;
    }
    return false;
  }

  /** A dynamic resource's create or update, recorded in the stack's state; unchanged ones are not listed as changed. */
  private async applyDynamic(resource: DynamicResource, changed: string[]): Promise<void> {
    const { state, step } = await deployDynamic(resource, this.dynamicState.get(resource.key));
    this.dynamicState.set(resource.key, state);
    if (step === "same") return;
    changed.push(resource.key);
    this.event(`${step} ${resource.key}`);
  }

  private async deleteObject(key: string): Promise<void> {
    const workload = this.workloads.get(key);
    if (workload) {
      await Promise.all(workload.pods.map((pod) => this.removePod(pod)));
      this.workloads.delete(key);
    }
    this.objects.delete(key);
    this.event(`delete ${key}`);
    this.refreshDns();
  }

  private podContext(namespace: string): PodContext {
    return {
      runDir: this.runDir,
      backoffBaseMs: this.backoffBaseMs,
      objects: {
        configMap: (name) => this.object("ConfigMap", name, namespace),
        secret: (name) => this.object("Secret", name, namespace),
      },
      serviceEnv: (podNamespace) => this.serviceEnv(podNamespace),
      image: (name: string, scratchDir: string): ImageSpec => imageSpec(name, this.tools, scratchDir),
      dnsFiles: (pod) => ({ hosts: hostsFile({ ip: pod.address.ip, hostname: pod.hostname, fqdn: pod.fqdn }, this.dnsRecords(pod.namespace)), resolvConf: resolvConf(pod.namespace) }),
      changed: () => {
        this.refreshDns();
        for (const wake of [...this.waiters]) wake();
      },
    };
  }

  private newPod(workload: Workload, template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec }, name: string, claims?: Record<string, string>): Pod {
    const namespace = workload.object.metadata.namespace ?? "default";
    if (!this.object("Namespace", namespace) && namespace !== "default") {
      throw new Error(`${workload.key}: namespace ${namespace} does not exist (the API server's NamespaceLifecycle admission refuses it)`);
    }
    const pod = new Pod({ name, namespace, labels: template.metadata?.labels ?? {}, spec: template.spec, address: this.network.addPod(), claims }, this.podContext(namespace));
    workload.pods.push(pod);
    this.event(`start pod ${name} at ${pod.address.ip}`);
    void pod.start().catch((error: unknown) => {
      pod.phase = "Failed";
      pod.failure = error instanceof Error ? error.message : String(error);
      this.podContext(namespace).changed(pod);
    });
    return pod;
  }

  private async removePod(pod: Pod): Promise<void> {
    await pod.stop();
    const leftovers = this.network.removePod(pod.address);
    this.event(`stopped pod ${pod.name}${leftovers ? ` (killed ${leftovers} leftover processes)` : ""}`);
    this.refreshDns();
  }

  private workloadOf(object: KubeObject): Workload {
    const key = objectKey(object);
    let workload = this.workloads.get(key);
    if (!workload) {
      workload = { key, object, pods: [] };
      this.workloads.set(key, workload);
    }
    workload.object = object;
    return workload;
  }

  private templateHash(object: KubeObject): string {
    return createHash("sha256").update(JSON.stringify(object.spec.template)).digest("hex").slice(0, 10);
  }

  /** A rollout: pods of the new template are started one at a time and each old pod stops once its replacement is ready (maxSurge 1, maxUnavailable 0). */
  private async rollDeployment(object: KubeObject, previous: KubeObject | undefined): Promise<void> {
    const workload = this.workloadOf(object);
    const hash = this.templateHash(object);
    const replicas = object.spec.replicas ?? 1;
    const current = (pod: Pod) => pod.name.startsWith(`${object.metadata.name}-${hash}-`);
    const old = workload.pods.filter((pod) => !current(pod));
    if (previous && old.length === 0 && workload.pods.length === replicas) return;
    for (const pod of old) {
      const replacement = this.newPod(workload, object.spec.template, this.podName(object, hash));
      await this.until(`${replacement.name} to be ready`, () => replacement.ready, replacement);
      await this.removePod(pod);
      workload.pods = workload.pods.filter((candidate) => candidate !== pod);
    }
    await this.scaleUp(workload);
  }

  private async scaleUp(workload: Workload): Promise<void> {
    const object = workload.object;
    const hash = this.templateHash(object);
    const replicas = object.spec.replicas ?? 1;
    while (workload.pods.length < replicas) this.newPod(workload, object.spec.template, this.podName(object, hash));
    await this.until(`Deployment ${object.metadata.name} to have ${replicas} ready replicas`, () => workload.pods.filter((pod) => pod.ready).length >= replicas, ...workload.pods);
  }

  private podName(object: KubeObject, hash: string): string {
    this.podCounter += 1;
    return `${object.metadata.name}-${hash}-${String(this.podCounter).padStart(3, "0")}`;
  }

  /** Ordered pods <name>-0, -1, … each ready before the next starts, with claims that outlive the pods. */
  private async rollStatefulSet(object: KubeObject, previous: KubeObject | undefined): Promise<void> {
    const workload = this.workloadOf(object);
    if (previous) {
      for (const pod of [...workload.pods].reverse()) {
        await this.removePod(pod);
        workload.pods = workload.pods.filter((candidate) => candidate !== pod);
      }
    }
    const replicas = object.spec.replicas ?? 1;
    for (let ordinal = 0; ordinal < replicas; ordinal += 1) {
      const pod = this.statefulPod(workload, ordinal);
      await this.until(`${pod.name} to be ready`, () => pod.ready, pod);
    }
  }

  /** The pod of one ordinal, on the claims named after it: <template>-<set>-<ordinal>, kept whatever happens to the pod. */
  private statefulPod(workload: Workload, ordinal: number): Pod {
    const object = workload.object;
    const name = `${object.metadata.name}-${ordinal}`;
    const claims = Object.fromEntries(
      ((object.spec.volumeClaimTemplates ?? []) as KubeObject[]).map((template) => [template.metadata.name, join(this.runDir, "claims", `${template.metadata.name}-${name}`)]),
    );
    const spec: PodSpec = { ...object.spec.template.spec, hostname: name, subdomain: object.spec.serviceName };
    return this.newPod(workload, { metadata: object.spec.template.metadata, spec }, name, claims);
  }

  /** A Job: pods until one succeeds, failing after backoffLimit failed attempts (container restarts included). */
  private async runJob(object: KubeObject, previous: KubeObject | undefined): Promise<void> {
    const workload = this.workloadOf(object);
    if (previous) {
      await Promise.all(workload.pods.map((pod) => this.removePod(pod)));
      workload.pods = [];
    }
    const backoffLimit = object.spec.backoffLimit ?? 6;
    const restartPolicy = object.spec.template.spec.restartPolicy;
    if (restartPolicy !== "OnFailure" && restartPolicy !== "Never") {
      throw new Error(`Job ${object.metadata.name}: spec.template.spec.restartPolicy must be OnFailure or Never (the API server refuses ${restartPolicy ?? "the default, Always"})`);
    }
    let failures = 0;
    for (;;) {
      this.podCounter += 1;
      const pod = this.newPod(workload, object.spec.template, `${object.metadata.name}-${String(this.podCounter).padStart(3, "0")}`);
      // With OnFailure the Job controller counts container restarts and fails at backoffLimit of
      // them (pastBackoffLimitOnFailure, pkg/controller/job/job_controller.go); with Never, failed pods.
      const exhausted = () => restartPolicy === "OnFailure" && failures + pod.restartCount >= backoffLimit;
      await this.until(`Job ${object.metadata.name} to complete`, () => pod.phase === "Succeeded" || pod.phase === "Failed" || exhausted(), pod);
      if (pod.phase === "Succeeded") {
        this.event(`Job ${object.metadata.name} complete`);
        return;
      }
      const gaveUp = exhausted();
      failures += pod.restartCount + (pod.phase === "Failed" ? 1 : 0);
      if (gaveUp || failures > backoffLimit || pod.phase !== "Failed") {
        const logs = pod.logTail();
        await this.removePod(pod);
        throw new Error(`Job ${object.metadata.name} failed: backoffLimit ${backoffLimit} reached (${pod.failure ?? "container kept failing"})\n${logs}`);
      }
      await sleep(Math.min(this.backoffBaseMs * 2 ** (failures - 1), 360_000));
    }
  }

  private selectedPods(service: KubeObject): Pod[] {
    const namespace = service.metadata.namespace ?? "default";
    return this.allPods().filter((pod) => pod.namespace === namespace && pod.phase === "Running" && matches(service.spec?.selector, pod.labels));
  }

  /** A Service's port must reach the same port on its pods: names resolve to pod addresses here, with no proxy to remap ports. */
  private checkServicePorts(service: KubeObject): void {
    for (const port of (service.spec?.ports ?? []) as { name?: string; port: number; targetPort?: number | string }[]) {
      if (typeof port.targetPort === "number" && port.targetPort !== port.port) {
        throw new Error(`Service ${service.metadata.name}: port ${port.port} forwards to ${port.targetPort}; the local runner resolves names to pods and cannot remap ports`);
      }
    }
  }

  /**
   * The kubelet's Service variables (pkg/kubelet/envvars): <NAME>_SERVICE_HOST, _SERVICE_PORT and the
   * docker-link style <NAME>_PORT* for each Service with a cluster IP in the pod's namespace. There
   * is no virtual IP here: the host is the Service's first ready pod, and a Service without one adds
   * no variables.
   */
  private serviceEnv(namespace: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const service of this.objects.values()) {
      if (service.kind !== "Service" || (service.metadata.namespace ?? "default") !== namespace || service.spec?.clusterIP === "None") continue;
      const host = this.selectedPods(service).find((pod) => pod.ready)?.address.ip;
      if (!host) continue;
      const prefix = service.metadata.name.toUpperCase().replace(/-/g, "_");
      const ports = (service.spec?.ports ?? []) as { name?: string; port: number; protocol?: string }[];
      env[`${prefix}_SERVICE_HOST`] = host;
      env[`${prefix}_SERVICE_PORT`] = String(ports[0]?.port ?? "");
      for (const port of ports) {
        const protocol = (port.protocol ?? "TCP").toLowerCase();
        if (port.name) env[`${prefix}_SERVICE_PORT_${port.name.toUpperCase().replace(/-/g, "_")}`] = String(port.port);
        const base = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
        Object.assign(env, { [base]: `${protocol}://${host}:${port.port}`, [`${base}_PROTO`]: protocol, [`${base}_PORT`]: String(port.port), [`${base}_ADDR`]: host });
      }
      if (ports[0]) env[`${prefix}_PORT`] = `${(ports[0].protocol ?? "TCP").toLowerCase()}://${host}:${ports[0].port}`;
    }
    return env;
  }

  /** What cluster DNS answers a pod of this namespace: full names everywhere, short ones for its own namespace. */
  private dnsRecords(forNamespace: string): DnsRecord[] {
    const records: DnsRecord[] = [];
    for (const service of this.objects.values()) {
      if (service.kind !== "Service") continue;
      const { name } = service.metadata;
      const namespace = service.metadata.namespace ?? "default";
      const names = [`${name}.${namespace}.svc.cluster.local`, `${name}.${namespace}.svc`, `${name}.${namespace}`, ...(namespace === forNamespace ? [name] : [])];
      const headless = service.spec?.clusterIP === "None";
      const pods = this.selectedPods(service).filter((pod) => pod.ready || (headless && service.spec?.publishNotReadyAddresses));
      for (const pod of pods) {
        for (const port of (service.spec?.ports ?? []) as { port: number; targetPort?: number | string }[]) {
          if (typeof port.targetPort === "string" && pod.containerPorts()[port.targetPort] !== undefined && pod.containerPorts()[port.targetPort] !== port.port) {
            throw new Error(`Service ${name}: port ${port.port} forwards to ${port.targetPort}=${pod.containerPorts()[port.targetPort]} on ${pod.name}; the local runner cannot remap ports`);
          }
        }
        records.push({ ip: pod.address.ip, names });
        if (headless && pod.fqdn && pod.spec.subdomain === name) records.push({ ip: pod.address.ip, names: [pod.fqdn] });
      }
    }
    return records;
  }

  private refreshDns(): void {
    for (const pod of this.allPods()) {
      if (pod.phase === "Running" || pod.phase === "Pending") pod.writeDnsFiles();
    }
  }

  /** Waits for a condition the pods' changes may make true; on timeout, fails with the watched pods' logs. */
  private until(what: string, condition: () => boolean, ...watched: Pod[]): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${this.awaitTimeoutMs / 1000} s waiting for ${what}\n${(watched.length ? watched : this.allPods()).map((pod) => `${pod.name}: ${pod.phase}${pod.failure ? ` (${pod.failure})` : ""}\n${pod.logTail()}`).join("\n")}`));
      }, this.awaitTimeoutMs);
      const failedPod = () => watched.find((pod) => pod.phase === "Failed" && pod.restartPolicy === "Always");
      const check = () => {
        const failed = failedPod();
        if (failed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(new Error(`pod ${failed.name} failed while waiting for ${what}: ${failed.failure}\n${failed.logTail()}`));
        } else if (condition()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }
}
