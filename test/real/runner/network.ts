import { execFileSync } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

/**
 * The pod network: one bridge on this machine, one network namespace per pod with its own address
 * on it, as a CNI plugin gives. Addresses come from a range that exists only on this bridge, pods
 * get no default route (they reach the pod range and nothing else, so nothing is forwarded on their
 * behalf), and the runner refuses to start when the machine routes that range anywhere else: no
 * test traffic can leave the machine. One run at a time holds the network, through a lock file.
 */
export interface PodAddress {
  netns: string;
  ip: string;
  /** The pod's end of its veth pair lives in netns; this end is on the bridge. */
  hostInterface: string;
}

const BRIDGE = "tkbr0";
const PREFIX = "10.244.0";
/** The node's address on the pod network, from which probes and clients reach the pods. */
export const NODE_IP = `${PREFIX}.1`;
const GATEWAY = NODE_IP;
const NETNS_PREFIX = "tkpod-";
const LOCK_FILE = "/run/temporal-kit-runner.lock";

const ip = (...args: string[]): string => execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export class PodNetwork {
  private next = 2;
  private readonly live = new Set<string>();
  /** Names interfaces apart from a previous run's, whose namespaces may outlive it for a moment. */
  private readonly runTag = (Date.now() % 46656).toString(36).padStart(3, "0");

  up(): void {
    PodNetwork.lock();
    PodNetwork.removeLeftovers();
    ip("link", "add", BRIDGE, "type", "bridge");
    ip("addr", "add", `${GATEWAY}/24`, "dev", BRIDGE);
    ip("link", "set", BRIDGE, "up");
    const route = ip("route", "get", `${PREFIX}.254`);
    if (!route.includes(`dev ${BRIDGE}`)) {
      this.down();
      throw new Error(`the pod range ${PREFIX}.0/24 is routed elsewhere on this machine (${route.trim()}); refusing to send test traffic there`);
    }
  }

  addPod(): PodAddress {
    if (this.next > 254) throw new Error(`the pod network ${PREFIX}.0/24 is full`);
    const index = this.next++;
    const address = { netns: `${NETNS_PREFIX}${this.runTag}-${index}`, ip: `${PREFIX}.${index}`, hostInterface: `tk${this.runTag}v${index}` };
    ip("netns", "add", address.netns);
    this.live.add(address.netns);
    try {
      ip("link", "add", address.hostInterface, "type", "veth", "peer", "name", "eth0", "netns", address.netns);
      ip("link", "set", address.hostInterface, "master", BRIDGE, "up");
      ip("-n", address.netns, "addr", "add", `${address.ip}/24`, "dev", "eth0");
      ip("-n", address.netns, "link", "set", "eth0", "up");
      ip("-n", address.netns, "link", "set", "lo", "up");
    } catch (error) {
      this.removePod(address);
      throw error;
    }
    return address;
  }

  /** Kills what still runs in the pod's namespace, then removes it (its veth pair goes with it). */
  removePod(address: Pick<PodAddress, "netns">): number {
    if (!this.live.delete(address.netns)) return 0;
    return PodNetwork.removeNamespace(address.netns);
  }

  down(): void {
    for (const netns of [...this.live]) this.removePod({ netns });
    if (ip("link", "show").includes(`${BRIDGE}:`)) ip("link", "del", BRIDGE);
    PodNetwork.unlock();
  }

  /** What a run that was killed left behind: its namespaces, their processes and the bridge. */
  static removeLeftovers(): void {
    for (const line of ip("netns", "list").split("\n")) {
      const name = line.split(" ")[0];
      if (name.startsWith(NETNS_PREFIX)) PodNetwork.removeNamespace(name);
    }
    if (ip("link", "show").includes(`${BRIDGE}:`)) ip("link", "del", BRIDGE);
  }

  /** Processes still running in a pod's namespace. */
  static pidsIn(netns: string): number[] {
    return ip("netns", "pids", netns)
      .split("\n")
      .filter(Boolean)
      .map(Number);
  }

  private static removeNamespace(netns: string): number {
    const pids = PodNetwork.pidsIn(netns);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    // The namespace, and the veth in it, lives until its last process is gone.
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) execFileSync("sleep", ["0.1"]);
    ip("netns", "del", netns);
    return pids.length;
  }

  /** One run at a time: a second would tear down the first one's pods as leftovers. */
  private static lock(): void {
    try {
      const fd = openSync(LOCK_FILE, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
    } catch {
      const holder = Number(readFileSync(LOCK_FILE, "utf8"));
      if (holder && holder !== process.pid && alive(holder)) {
        throw new Error(`another local runner (pid ${holder}) holds ${LOCK_FILE}; stop it first`);
      }
      rmSync(LOCK_FILE, { force: true });
      PodNetwork.lock();
    }
  }

  private static unlock(): void {
    try {
      if (Number(readFileSync(LOCK_FILE, "utf8")) === process.pid) rmSync(LOCK_FILE, { force: true });
    } catch {
      // Not held.
    }
  }
}

/** Everything the cluster's DNS would answer, as /etc/hosts lines. */
export interface DnsRecord {
  ip: string;
  names: string[];
}

export function hostsFile(self: { ip: string; hostname: string; fqdn?: string }, records: DnsRecord[]): string {
  const lines = ["# Kubernetes-managed hosts file (temporal-kit local runner).", "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"];
  lines.push(`${self.ip}\t${[self.fqdn, self.hostname].filter(Boolean).join(" ")}`);
  for (const record of records) lines.push(`${record.ip}\t${record.names.join(" ")}`);
  return `${lines.join("\n")}\n`;
}

/** Cluster DNS's search path, so short Service names resolve in the pod's namespace. */
export function resolvConf(namespace: string): string {
  // Names are answered from the hosts file; a name it lacks fails at once at the node's address.
  return [`nameserver ${GATEWAY}`, `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local`, "options ndots:5 attempts:1 timeout:1", ""].join("\n");
}
