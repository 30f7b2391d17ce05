import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { beforeAll, describe, expect, it } from "vitest";
import { httpGet, httpGetJson, only, realRunHooks, synthesizeStack, workerClient } from "./realRun";
import { LocalCluster } from "./runner/cluster";
import { NODE_IP } from "./runner/network";
import { TokenIssuer, foreignKey } from "./tokenIssuer";
import { PRODUCTION_SHAPE_NAMESPACE, productionShapeStack, writeStackFile } from "./shapes";
import { certificateFiles } from "./synthSecrets";
import type { SynthOutput } from "./runner/manifests";
import type { Pod } from "./runner/pod";
import { type PolicyPod, policyRefusal } from "./policyAdmits";

/**
 * A production-shaped stack run for real (docs/local-runner.md): staging presets on plain
 * Kubernetes with the in-cluster PostgreSQL, two pods of every Temporal role, generated
 * certificates for internode and frontend mutual TLS, the web console, a worker pool holding the
 * kit's client certificate, and NetworkPolicies rendered (stored by the runner, not enforced).
 * JWT authorization is on from the first deploy, with the kit's own config: the test is the token
 * issuer (tokenIssuer.ts: a JWKS served over HTTPS outside the cluster, RS256 tokens), so the
 * internal frontend runs for the system worker and the namespace job, the worker pool presents a
 * token from a Secret, and every call of this suite to the public frontend carries one.
 */

const MINUTES = 60_000;
const STACK = "prod-shape";
const NAMESPACE = PRODUCTION_SHAPE_NAMESPACE;
const TASK_QUEUE = "prod-shape";
const ROLES = ["frontend", "internal-frontend", "history", "matching", "worker"];
/** The Secret the platform team creates before the deploy, holding the worker pool's token. */
const POOL_TOKEN_SECRET = { name: "greeter-temporal-token", key: "token" };
/** The gRPC health service names Temporal v1.31.2 registers per role (service/<role>/fx.go). */
const HEALTH_SERVICE: Record<string, string> = {
  frontend: "temporal.api.workflowservice.v1.WorkflowService",
  history: "temporal.api.workflowservice.v1.HistoryService",
  matching: "temporal.api.workflowservice.v1.MatchingService",
  worker: "temporal.api.workflowservice.v1.WorkerService",
  "internal-frontend": "temporal.api.workflowservice.v1.WorkflowService",
};

let workDir: string;
let cluster: LocalCluster;
let synth: SynthOutput;
/** The kit's client certificate (Secret temporal-tls-client), and one signed by a CA the kit never trusted. */
let kitClient: { cert: string; key: string; ca: string };
let rogueClient: { cert: string; key: string };
let internode: { cert: string; key: string; ca: string };
let issuer: TokenIssuer;
/** Tokens of the issuer: the operator's (cluster admin), the pool's (write on default). */
let operatorToken: string;
let poolToken: string;

/** The production shape (shapes.ts) with the authorization this run adds: JWTs from the test's issuer, checked by the public frontend; the kit's own callers use the internal frontend. */
function writeStack(): string {
  const shape = productionShapeStack(TASK_QUEUE);
  const roles = shape["temporal-kit:roles"] as Record<string, unknown>;
  const [pool] = shape["temporal-kit:workers"] as Record<string, unknown>[];
  return writeStackFile(workDir, STACK, {
    ...shape,
    "temporal-kit:roles": { ...roles, internalFrontend: { enabled: true, replicas: 2 } },
    "temporal-kit:security": {
      tls: { certificates: "generated" },
      authorization: { enabled: true, jwksUris: [issuer.jwksUri], permissionsClaimName: "permissions", jwksCaCertificates: issuer.caPem },
    },
    "temporal-kit:workers": [{ ...pool, apiKeySecret: POOL_TOKEN_SECRET }],
  });
}

function synthesize(): SynthOutput {
  return synthesizeStack(writeStack(), join(workDir, "out", STACK));
}

/** A certificate Secret of the synth, written to files as a client outside the cluster would hold them. */
const secretFiles = (name: string) => certificateFiles(synth, name, join(workDir, "certs"));

/** A CA of our own and a client certificate it signs, shaped like the kit's (CN temporal-kit-client, clientAuth). */
function makeRogueClient(): { cert: string; key: string } {
  const dir = join(workDir, "certs", "rogue");
  mkdirSync(dir, { recursive: true });
  const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/O=temporal-kit/CN=temporal frontend CA"]);
  openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/O=temporal-kit/CN=temporal-kit-client"]);
  writeFileSync(join(dir, "ext.cnf"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n");
  openssl(["x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tls.crt", "-days", "1", "-extfile", "ext.cnf"]);
  return { cert: join(dir, "tls.crt"), key: join(dir, "tls.key") };
}

const frontendServerName = () => String(synth.outputs.frontendAddress).split(":")[0];

/**
 * A gRPC health check straight at a pod's port with the given client credentials (none: no
 * certificate offered). Resolves to the serving status, or to the error the call ended with.
 */
function healthCheck(ip: string, port: number, service: string, tls: { ca: string; serverName: string; cert?: string; key?: string } | "plaintext"): Promise<string> {
  const credentials =
    tls === "plaintext"
      ? grpc.credentials.createInsecure()
      : grpc.credentials.createSsl(readFileSync(tls.ca), tls.key ? readFileSync(tls.key) : null, tls.cert ? readFileSync(tls.cert) : null);
  const options = tls === "plaintext" ? {} : { "grpc.ssl_target_name_override": tls.serverName, "grpc.default_authority": tls.serverName };
  const client = new grpc.Client(`${ip}:${port}`, credentials, options);
  const encode = (value: string) => Buffer.concat([Buffer.from([0x0a, Buffer.byteLength(value)]), Buffer.from(value)]);
  return new Promise<string>((resolve) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      (value: Buffer) => value,
      (value: Buffer) => value,
      encode(service),
      new grpc.Metadata(),
      { deadline: Date.now() + 10_000 },
      (error, response) => {
        client.close();
        if (error) resolve(`${grpc.status[error.code]}: ${error.details}`);
        else resolve(["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"][response!.length >= 2 ? response![1] : 0]);
      },
    );
  });
}

/** The `temporal` CLI beside the pods, with the given TLS flags. */
async function temporalCli(args: string[], tlsFlags: string[]): Promise<{ code: number; output: string }> {
  const result = await cluster.runClient([cluster.tools.temporalCli, ...args, "--address", String(synth.outputs.frontendAddress), ...tlsFlags], {}, 60_000);
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

const kitTlsFlags = () => ["--tls-cert-path", kitClient.cert, "--tls-key-path", kitClient.key, "--tls-ca-path", kitClient.ca, "--tls-server-name", frontendServerName()];

/** The kit's client certificate and a bearer token (`--api-key` sends `authorization: Bearer <token>`, CLI v1.8.3). */
const withToken = (token: string) => [...kitTlsFlags(), "--api-key", token];

/** The test client of test/real/worker with the kit's client certificate and a token allowed to start workflows in default. */
const kitWorkerClient = (args: string[]) => workerClient(cluster, [...args, ...kitTlsFlags(), "--api-key", poolToken]);

const internalFrontendAddress = () => `temporal-internal-frontend.${NAMESPACE}.svc.cluster.local:7236`;


const rolePods = (role: string): Pod[] => cluster.pods(`Deployment/temporal-${role}`);

const podIps = (role: string) => rolePods(role).map((pod) => pod.address.ip).sort();

/** tdbg (which sends no token: it has no flag for one) against a frontend with the given certificate. */
const tdbg = (address: string, certificate: { cert: string; key: string; ca: string }, serverName: string, args: string[]) =>
  cluster.runClient([String(cluster.tools.tdbg), "--address", address, "--tls-cert-path", certificate.cert, "--tls-key-path", certificate.key, "--tls-ca-path", certificate.ca, "--tls-server-name", serverName, ...args]);

/**
 * Each role's ring (AdminService.DescribeCluster), asked through tdbg. With authorization on, the
 * public frontend refuses tdbg, which carries no token; the internal frontend answers a caller
 * holding the internode certificate, as it answers the system worker.
 */
async function ringMembers(): Promise<Record<string, string[]>> {
  const gossip = await tdbg(internalFrontendAddress(), internode, "temporal-internode", ["membership", "list-gossip"]);
  if (gossip.code !== 0) throw new Error(`tdbg membership list-gossip exited ${gossip.code}: ${gossip.stderr}`);
  const rings = JSON.parse(gossip.stdout) as { role: string; members: { identity: string }[] }[];
  return Object.fromEntries(rings.map((ring) => [ring.role, ring.members.map((member) => member.identity.split(":")[0]).sort()]));
}

const policyPod = (pod: Pod): PolicyPod => ({
  namespace: pod.namespace,
  labels: pod.labels,
  ip: pod.address.ip,
  ports: Object.fromEntries(pod.spec.containers.flatMap((container) => container.ports ?? []).flatMap((port) => (port.name ? [[port.name, port.containerPort]] : []))),
});

/** The TCP connections a pod holds open to another pod's listening port, as `ss` in its network namespace shows them. */
function podConnections(pods: Pod[]): { source: Pod; target: Pod; port: number }[] {
  const ss = (pod: Pod, args: string[]) =>
    execFileSync("ip", ["netns", "exec", pod.address.netns, "ss", "-Hnt", ...args], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => line.trim().split(/\s+/));
  const listening = new Map(pods.map((pod) => [pod, new Set(ss(pod, ["-l"]).map((fields) => Number(fields.at(-2)!.split(":").pop())))]));
  const byIp = new Map(pods.map((pod) => [pod.address.ip, pod]));
  return pods.flatMap((source) =>
    ss(source, ["state", "established"]).flatMap((fields) => {
      const [ip, port] = fields.at(-1)!.replace(/^\[::ffff:/, "").replace("]", "").split(/:(?=\d+$)/);
      const target = byIp.get(ip);
      return target && target !== source && listening.get(target)!.has(Number(port)) ? [{ source, target, port: Number(port) }] : [];
    }),
  );
}

describe("a production-shaped stack (staging, mutual TLS, JWT authorization, two pods per role), run for real", () => {
  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("the real-run suite needs root: it creates network namespaces and mount namespaces");
    workDir = mkdtempSync(join(tmpdir(), "temporal-kit-real-prod-"));
    issuer = new TokenIssuer(join(workDir, "issuer"), NODE_IP);
    operatorToken = issuer.token("operator", ["temporal-system:admin"]);
    poolToken = issuer.token("greeter-pool", ["default:write"]);
    synth = synthesize();
    kitClient = secretFiles("temporal-tls-client");
    internode = secretFiles("temporal-tls-internode");
    rogueClient = makeRogueClient();
    cluster = new LocalCluster({ awaitTimeoutMs: 6 * MINUTES, backoffBaseMs: 2_000 });
    await cluster.up();
    // Up before the frontends start: they fetch the keys once at start, then every refreshInterval.
    await issuer.start();
    // The pool's token Secret, made by the platform team before the deploy, as the stack expects.
    // Kept in the plan from here on, so the later full apply leaves it where Pulumi would (it is not Pulumi's to delete).
    const tokenSecret = { apiVersion: "v1", kind: "Secret", metadata: { name: POOL_TOKEN_SECRET.name, namespace: NAMESPACE }, type: "Opaque", stringData: { [POOL_TOKEN_SECRET.key]: poolToken } };
    const key = `Secret/${NAMESPACE}/${POOL_TOKEN_SECRET.name}`;
    synth = { ...synth, plan: [{ key, object: tokenSecret, dependsOn: [] }, ...synth.plan] };
    await cluster.apply(synth, { only: (object) => object === tokenSecret });
    console.log(`pod logs: ${cluster.runDir}/logs`);
  }, 5 * MINUTES);

  realRunHooks(
    () => ({ cluster, workDir }),
    async () => {
      await issuer?.stop();
    },
  );

  it("brings two ready pods of every role into one membership ring, talking to each other only over mutual TLS", async () => {
    await cluster.apply(synth, { only: only(...ROLES, "namespace-registration") });
    for (const role of ROLES) {
      const pods = rolePods(role);
      expect(pods.map((pod) => pod.ready), `${role} pods ready`).toEqual([true, true]);
    }
    // The ring as the frontend reports it (AdminService.DescribeCluster), asked over the frontend's mTLS with the kit's client certificate.
    const rings = await ringMembers();
    for (const role of ROLES) expect(rings[role], `${role} ring`).toEqual(podIps(role));
    // Each role's gRPC port answers only a caller holding the internode certificate: plaintext and
    // the kit's client certificate (signed by the frontend's CA) are refused, the internode one served.
    // The internal frontend too, which matters most: it serves without the JWT authorizer.
    for (const role of ["history", "matching", "worker", "internal-frontend"]) {
      for (const pod of rolePods(role)) {
        const port = pod.spec.containers[0].ports!.find((p) => p.name === "grpc")!.containerPort;
        const service = HEALTH_SERVICE[role];
        expect(await healthCheck(pod.address.ip, port, service, { ...internode, serverName: "temporal-internode" }), `${pod.name} with the internode certificate`).toBe("SERVING");
        expect(await healthCheck(pod.address.ip, port, service, "plaintext"), `${pod.name} in plaintext`).toMatch(/^UNAVAILABLE/);
        expect(await healthCheck(pod.address.ip, port, service, { ca: internode.ca, cert: kitClient.cert, key: kitClient.key, serverName: "temporal-internode" }), `${pod.name} with the client certificate`).toMatch(/^UNAVAILABLE: .*alert unknown ca/);
      }
    }
  }, 15 * MINUTES);

  it("refuses a frontend client without a certificate, and one whose certificate another CA signed", async () => {
    const [frontend] = rolePods("frontend");
    const service = HEALTH_SERVICE.frontend;
    const serverName = frontendServerName();
    // The kit's certificate is served: the refusals below are about the certificate, nothing else.
    expect(await healthCheck(frontend.address.ip, 7233, service, { ...kitClient, serverName })).toBe("SERVING");
    const refusals = {
      "no certificate": await healthCheck(frontend.address.ip, 7233, service, { ca: kitClient.ca, serverName }),
      "another CA": await healthCheck(frontend.address.ip, 7233, service, { ca: kitClient.ca, ...rogueClient, serverName }),
      plaintext: await healthCheck(frontend.address.ip, 7233, service, "plaintext"),
    };
    console.log(`frontend refusals (grpc-js): ${JSON.stringify(refusals)}`);
    // The TLS alerts the frontend sends (RFC 8446 certificate_required 116, RFC 5246 unknown_ca 48).
    expect(refusals["no certificate"]).toMatch(/^UNAVAILABLE: .*alert certificate required/);
    expect(refusals["another CA"]).toMatch(/^UNAVAILABLE: .*alert unknown ca/);
    expect(refusals.plaintext).toMatch(/^UNAVAILABLE/);

    // The same through the CLI and the Service's DNS name, as a user would meet it.
    const listed = await temporalCli(["operator", "namespace", "list", "--output", "json"], withToken(operatorToken));
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toContain('"default"');
    const noCert = await temporalCli(["operator", "namespace", "list"], ["--tls-ca-path", kitClient.ca, "--tls-server-name", serverName]);
    expect(noCert.code, noCert.output).not.toBe(0);
    const rogue = await temporalCli(["operator", "namespace", "list"], ["--tls-cert-path", rogueClient.cert, "--tls-key-path", rogueClient.key, "--tls-ca-path", kitClient.ca, "--tls-server-name", serverName]);
    expect(rogue.code, rogue.output).not.toBe(0);
    console.log(`refusals: no certificate: ${noCert.output.trim().split("\n").pop()}\nother CA: ${rogue.output.trim().split("\n").pop()}`);
  }, 5 * MINUTES);

  it("authorizes by the token's permissions claim: none, another namespace's or a read-only one is refused, the right one passes", async () => {
    const listWorkflows = (token?: string) => temporalCli(["workflow", "list", "--namespace", "default", "--limit", "1"], token ? withToken(token) : kitTlsFlags());
    const start = (token: string) =>
      temporalCli(["workflow", "start", "--namespace", "default", "--type", "greet", "--task-queue", "nobody-polls", "--workflow-id", `authz-${randomUUID()}`, "--input", '"x"'], withToken(token));
    // Independent calls, made at once: the step costs one round trip instead of eight.
    // Admin calls need a cluster-wide claim too: tdbg, which cannot send a token, is refused at the public frontend.
    const adminWithoutToken = tdbg(String(synth.outputs.frontendAddress), kitClient, frontendServerName(), ["membership", "list-gossip"]);
    // "certificate, no token" is all a worker pool held before apiKeySecret: the default claim mapper
    // ignores the certificate (default_jwt_claim_mapper.go GetClaims) and the default authorizer
    // denies claims without a role (default_authorizer.go).
    const cases: [string, Promise<{ code: number; output: string }>][] = [
      ["certificate, no token", listWorkflows()],
      ["token for another namespace", listWorkflows(issuer.token("accounting-team", ["accounting:admin"]))],
      ["token whose claim has another name", listWorkflows(issuer.token("misnamed", ["default:read"], { claimName: "roles" }))],
      ["token signed by a key the JWKS lacks", listWorkflows(issuer.token("forger", ["temporal-system:admin"], { signingKey: foreignKey() }))],
      ["read-only token, listing", listWorkflows(issuer.token("reader", ["default:read"]))],
      ["read-only token, starting", start(issuer.token("reader", ["default:read"]))],
      ["write token, starting", start(issuer.token("writer", ["default:write"]))],
    ];
    const outcomes: Record<string, { code: number; output: string }> = Object.fromEntries(await Promise.all(cases.map(async ([name, outcome]) => [name, await outcome] as const)));
    console.log(`authorization outcomes: ${JSON.stringify(Object.fromEntries(Object.entries(outcomes).map(([name, o]) => [name, `${o.code}: ${o.output.trim().split("\n").pop()}`])))}`);
    for (const refused of ["certificate, no token", "token for another namespace", "token whose claim has another name", "token signed by a key the JWKS lacks", "read-only token, starting"] as const) {
      expect(outcomes[refused].code, `${refused}: ${outcomes[refused].output}`).not.toBe(0);
      // interceptor.go: every refusal is PermissionDenied "Request unauthorized."
      expect(outcomes[refused].output, refused).toMatch(/Request unauthorized/);
    }
    for (const passed of ["read-only token, listing", "write token, starting"] as const) {
      expect(outcomes[passed].code, `${passed}: ${outcomes[passed].output}`).toBe(0);
    }
    // Only the frontends fetched the keys: from outside the cluster, through the CA the stack named.
    const frontends = podIps("frontend");
    expect(new Set(issuer.fetchedBy.filter((ip) => frontends.includes(ip)))).toEqual(new Set(frontends));
    expect(issuer.fetchedBy.filter((ip) => !frontends.includes(ip))).toEqual([]);
    // The other roles do not even try (each server process builds the key provider: cmd/server/main.go).
    for (const role of ["internal-frontend", "history", "matching", "worker"]) {
      for (const pod of rolePods(role)) expect(readFileSync(pod.logFile("temporal"), "utf8"), `${pod.name} log`).not.toContain("token keys");
    }
    const admin = await adminWithoutToken;
    expect(admin.code).not.toBe(0);
    expect(`${admin.stdout}${admin.stderr}`).toMatch(/Request unauthorized/);
    // The kit's own callers carry no token and do not need one: the namespace job registered
    // default through the internal frontend with the internode certificate (it completed: default exists).
    const [job] = synth.plan.filter((planned) => planned.object.kind === "Job" && planned.object.metadata.labels?.["app.kubernetes.io/component"] === "namespace-registration").map((planned) => planned.object);
    const jobEnv = Object.fromEntries((job.spec.template.spec.containers[0].env ?? []).map((variable: { name: string; value?: string }) => [variable.name, variable.value]));
    expect(jobEnv.TEMPORAL_ADDRESS).toBe(internalFrontendAddress());
    expect(jobEnv.TEMPORAL_TLS_CLIENT_CERT_PATH).toBe("/etc/temporal/tls/internode/tls.crt");
  }, 5 * MINUTES);

  it("runs a workflow on the worker pool, which connects with the kit's client certificate and its token", async () => {
    await cluster.apply(synth, { only: only("worker-greeter") });
    const workers = cluster.pods("Deployment/temporal-worker-greeter");
    expect(workers.map((pod) => pod.ready)).toEqual([true, true]);
    const container = workers[0].spec.containers[0];
    expect(container.env?.find((variable) => variable.name === "TEMPORAL_TLS_CLIENT_CERT_PATH")?.value).toBe("/etc/temporal/tls/client/tls.crt");
    expect(container.env?.find((variable) => variable.name === "TEMPORAL_API_KEY")?.valueFrom).toEqual({ secretKeyRef: POOL_TOKEN_SECRET });
    const workflowId = `prod-shape-${Date.now()}`;
    const run = (await kitWorkerClient(["run", "--address", String(synth.outputs.frontendAddress), "--namespace", "default", "--task-queue", TASK_QUEUE, "--workflow-id", workflowId, "--name", "mtls"])) as { result: string };
    expect(run.result).toContain("Hello, mtls");
    expect(workers.map((pod) => pod.hostname).some((hostname) => run.result.includes(hostname))).toBe(true);
    // The worker said how it connected: with the mounted certificate, the mounted CA, and the frontend's name.
    const workerLog = readFileSync(workers[0].logFile("worker"), "utf8");
    expect(workerLog).toContain(`(tls client-cert custom-ca server-name=${frontendServerName()} bearer-token)`);
  }, 10 * MINUTES);

  it("serves the web console, which reaches the frontend over mutual TLS and lists the namespaces with the caller's token", async () => {
    await cluster.apply(synth, { only: only("web") });
    const [web] = cluster.pods("Deployment/temporal-web");
    // The console has no token of its own: it forwards the caller's Authorization header (grpc-gateway
    // v2.22.0 runtime/context.go, which ui-server v2.52.0 relies on: server/server.go). Sign-in
    // (webConsole.auth) or a proxy in front supplies it; a request without one is refused.
    const anonymous = await httpGet(web.address.ip, 8080, "/api/v1/namespaces", 20_000);
    expect(anonymous.status, anonymous.body).toBe(403);
    expect(anonymous.body).toContain("Request unauthorized");
    const reader = issuer.token("console-user", ["temporal-system:read"]);
    const body = (await httpGetJson(web.address.ip, 8080, "/api/v1/namespaces", 20_000, { authorization: `Bearer ${reader}` })) as { namespaces: { namespaceInfo: { name: string } }[] };
    expect(body.namespaces.map((namespace) => namespace.namespaceInfo.name)).toContain("default");
  }, 10 * MINUTES);

  it("holds only connections its rendered NetworkPolicies admit (judged offline: the runner does not enforce them)", async () => {
    const changed = await cluster.apply(synth);
    // The rest of the synth (policies, budgets, the autoscaler, dashboards) changes no workload that already runs.
    expect(changed.filter((key) => /^(Deployment|StatefulSet|Job)\//.test(key))).toEqual([]);
    expect(cluster.notEnforced()).toContain("NetworkPolicy");
    const policies = synth.plan.filter((planned) => planned.object.kind === "NetworkPolicy").map((planned) => planned.object);
    const namespaceLabels = (name: string) => ({ ...(cluster.object("Namespace", name)?.metadata.labels ?? {}), "kubernetes.io/metadata.name": name });
    const flows = podConnections(cluster.allPods().filter((pod) => pod.namespace === NAMESPACE));
    const name = (flow: (typeof flows)[number]) => `${flow.source.labels["app.kubernetes.io/component"]}->${flow.target.labels["app.kubernetes.io/component"]}:${flow.port}`;
    const kinds = [...new Set(flows.map(name))].sort();
    console.log(`connections held: ${kinds.join(" ")}`);
    // The flows this stack cannot work without are among those judged.
    for (const needed of ["web->frontend:7233", "worker-greeter->frontend:7233", "history->postgres:5432", "frontend->history:7234", "history->matching:7235", "worker->internal-frontend:7236"]) {
      expect(kinds, `a ${needed} connection`).toContain(needed);
    }
    // The system worker calls the internal frontend only: it carries no token the public one would accept.
    expect(kinds).not.toContain("worker->frontend:7233");
    for (const pod of rolePods("worker")) expect(readFileSync(pod.logFile("temporal"), "utf8"), `${pod.name} log`).not.toMatch(/Request unauthorized|PermissionDenied/);
    const refused = flows.flatMap((flow) => {
      const refusal = policyRefusal(policies, namespaceLabels, policyPod(flow.source), policyPod(flow.target), flow.port);
      return refusal ? [`${name(flow)} (${flow.source.name} -> ${flow.target.name}) refused by the ${refusal}`] : [];
    });
    expect(refused).toEqual([]);
    // The judge refuses what the policies forbid: the console and the worker pool never reach the store or history.
    const [web] = cluster.pods("Deployment/temporal-web");
    const [pool] = cluster.pods("Deployment/temporal-worker-greeter");
    const [store] = cluster.allPods().filter((pod) => pod.labels["app.kubernetes.io/component"] === "postgres");
    const [history] = rolePods("history");
    expect(policyRefusal(policies, namespaceLabels, policyPod(web), policyPod(store), 5432)).toMatch(/^egress of web/);
    expect(policyRefusal(policies, namespaceLabels, policyPod(pool), policyPod(history), 7234)).toMatch(/^ingress of history/);
  }, 10 * MINUTES);

  it("loses one pod of every role and keeps running workflows; the replacements join the rings", async () => {
    const lost = ROLES.map((role) => rolePods(role)[0]);
    await Promise.all(lost.map((pod) => cluster.deletePod(pod)));
    for (const role of ROLES) expect(rolePods(role).map((pod) => pod.ready), `${role} pods ready`).toEqual([true, true]);
    let rings: Record<string, string[]> = {};
    for (let attempt = 0; attempt < 30; attempt += 1) {
      rings = await ringMembers().catch(() => ({}));
      if (ROLES.every((role) => JSON.stringify(rings[role]) === JSON.stringify(podIps(role)))) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    for (const role of ROLES) expect(rings[role], `${role} ring`).toEqual(podIps(role));
    const workflowId = `prod-shape-after-loss-${Date.now()}`;
    const run = (await kitWorkerClient(["run", "--address", String(synth.outputs.frontendAddress), "--namespace", "default", "--task-queue", TASK_QUEUE, "--workflow-id", workflowId, "--name", "survivor", "--timeout-seconds", "120"])) as { result: string };
    expect(run.result).toContain("Hello, survivor");
  }, 10 * MINUTES);
});
