import { execFileSync } from "node:child_process";

/**
 * The pod network: one bridge on this machine, one network namespace per pod with its own address
 * on it, as a CNI plugin gives. Addresses come from a range that exists only on this bridge; the
 * runner refuses to start when the machine would route that range anywhere else, so no test traffic
 * can leave the machine.
 */
export interface PodAddress {
  netns: string;
  ip: string;
}

const BRIDGE = "tkbr0";
const PREFIX = "10.244.0";
const GATEWAY = `${PREFIX}.1`;
const NETNS_PREFIX = "tkpod-";

const ip = (...args: string[]): string => execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

export class PodNetwork {
  private next = 2;
  private readonly live = new Set<string>();

  /** The node's address on the pod network, from which probes and clients reach the pods. */
  readonly nodeIp = GATEWAY;

  up(): void {
    PodNetwork.removeLeftovers();
    ip("link", "add", BRIDGE, "type", "bridge");
    ip("addr", "add", `${GATEWAY}/24`, "dev", BRIDGE);
    ip("link", "set", BRIDGE, "up");
    const route = ip("route", "get", `${PREFIX}.254`);
    if (!route.includes(`dev ${BRIDGE}`)) {
      throw new Error(`the pod range ${PREFIX}.0/24 is routed elsewhere on this machine (${route.trim()}); refusing to send test traffic there`);
    }
  }

  addPod(): PodAddress {
    if (this.next > 254) throw new Error(`the pod network ${PREFIX}.0/24 is full`);
    const index = this.next++;
    const netns = `${NETNS_PREFIX}${index}`;
    const hostSide = `tkveth${index}`;
    const podIp = `${PREFIX}.${index}`;
    ip("netns", "add", netns);
    this.live.add(netns);
    ip("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", netns);
    ip("link", "set", hostSide, "master", BRIDGE, "up");
    ip("-n", netns, "addr", "add", `${podIp}/24`, "dev", "eth0");
    ip("-n", netns, "link", "set", "eth0", "up");
    ip("-n", netns, "link", "set", "lo", "up");
    ip("-n", netns, "route", "add", "default", "via", GATEWAY);
    return { netns, ip: podIp };
  }

  removePod(address: PodAddress): void {
    if (!this.live.delete(address.netns)) return;
    ip("netns", "del", address.netns);
  }

  down(): void {
    for (const netns of [...this.live]) this.removePod({ netns, ip: "" });
    PodNetwork.removeLeftovers();
  }

  /** What a run that was killed left behind: its namespaces and the bridge. */
  static removeLeftovers(): void {
    for (const line of ip("netns", "list").split("\n")) {
      const name = line.split(" ")[0];
      if (!name.startsWith(NETNS_PREFIX)) continue;
      // A run that was killed leaves its pods' processes behind in their namespaces.
      for (const pid of PodNetwork.pidsIn(name)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone already.
        }
      }
      ip("netns", "del", name);
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
