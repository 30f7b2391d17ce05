import { spawn } from "node:child_process";
import { request } from "node:http";
import { connect } from "node:net";
import * as grpc from "@grpc/grpc-js";

/** A container probe as the manifest states it. */
export interface Probe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/** The kubelet's defaults (k8s.io/api core/v1 Probe). */
export const probeTiming = (probe: Probe) => ({
  initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
  periodMs: (probe.periodSeconds ?? 10) * 1000,
  timeoutMs: (probe.timeoutSeconds ?? 1) * 1000,
  successThreshold: probe.successThreshold ?? 1,
  failureThreshold: probe.failureThreshold ?? 3,
});

export interface ProbeTarget {
  podIp: string;
  /** Named container ports, for probes that name theirs. */
  ports: Record<string, number>;
  /** Runs a command inside the container, as `kubectl exec` would; resolves to its exit code. */
  exec(command: string[], timeoutMs: number): Promise<{ code: number; output: string }>;
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

function portOf(port: number | string, target: ProbeTarget): number {
  if (typeof port === "number") return port;
  const resolved = target.ports[port];
  if (resolved === undefined) throw new Error(`probe names port "${port}", which the container does not declare`);
  return resolved;
}

/** One probe attempt, judged as the kubelet judges it. */
export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeResult> {
  const { timeoutMs } = probeTiming(probe);
  try {
    if (probe.exec) {
      const { code, output } = await target.exec(probe.exec.command, timeoutMs);
      return { ok: code === 0, detail: `exec ${probe.exec.command.join(" ")}: exit ${code} ${output.trim().slice(0, 300)}` };
    }
    if (probe.httpGet) return await httpProbe(probe.httpGet, target, timeoutMs);
    if (probe.tcpSocket) return await tcpProbe(target.podIp, portOf(probe.tcpSocket.port, target), timeoutMs);
    if (probe.grpc) return await grpcProbe(target.podIp, probe.grpc.port, probe.grpc.service ?? "", timeoutMs);
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
  throw new Error(`probe has no handler: ${JSON.stringify(probe)}`);
}

function httpProbe(get: NonNullable<Probe["httpGet"]>, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  if ((get.scheme ?? "HTTP") !== "HTTP") throw new Error(`httpGet scheme ${get.scheme} is not supported by the local runner`);
  const port = portOf(get.port, target);
  const path = get.path ?? "/";
  return new Promise((resolve) => {
    const headers = Object.fromEntries((get.httpHeaders ?? []).map((header) => [header.name, header.value]));
    const req = request({ host: target.podIp, port, path, method: "GET", timeout: timeoutMs, headers: { "User-Agent": "kube-probe/1.33", ...headers } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      // The kubelet counts 200–399 as success.
      resolve({ ok: status >= 200 && status < 400, detail: `GET ${path} on ${port}: ${status}` });
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path} on ${port}: timed out after ${timeoutMs} ms`)));
    req.on("error", (error) => resolve({ ok: false, detail: error.message }));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, detail: `tcp ${port}: timed out` }));
    socket.on("connect", () => done({ ok: true, detail: `tcp ${port}: open` }));
    socket.on("error", (error) => done({ ok: false, detail: `tcp ${port}: ${error.message}` }));
  });
}

// grpc.health.v1.HealthCheckRequest { string service = 1; } and HealthCheckResponse { ServingStatus status = 1; }.
const encodeHealthRequest = (service: string): Buffer => {
  const name = Buffer.from(service, "utf8");
  return name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, name.length]), name]);
};
const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];
const decodeHealthResponse = (bytes: Buffer): string => (bytes.length >= 2 && bytes[0] === 0x08 ? (SERVING_STATUS[bytes[1]] ?? `status ${bytes[1]}`) : "UNKNOWN");

/** The kubelet's gRPC probe: grpc.health.v1.Health/Check with the manifest's service name, plaintext. */
export function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeResult> {
  const client = new grpc.Client(`${host}:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      encodeHealthRequest,
      (bytes: Buffer) => decodeHealthResponse(bytes),
      service,
      new grpc.Metadata(),
      { deadline: Date.now() + timeoutMs },
      (error, status) => {
        client.close();
        if (error) resolve({ ok: false, detail: `grpc health ${port} "${service}": ${error.message}` });
        else resolve({ ok: status === "SERVING", detail: `grpc health ${port} "${service}": ${status}` });
      },
    );
  });
}

/** Runs a command to completion, collecting its output. */
export function runCommand(argv: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}
