import { execFileSync } from "node:child_process";
import { type KeyObject, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:https";
import { join } from "node:path";

/**
 * The token issuer a production-shaped real run configures the frontend with: an RS256 signing key
 * whose public half it serves as a JWKS over HTTPS, and JWTs it signs with it.
 *
 * Where it lives: on the node's address on the pod bridge (test/real/runner/network.ts NODE_IP),
 * outside every pod, on port 443, the only port the kit's NetworkPolicies open for the frontend's
 * HTTPS egress (components/kubernetes/networkIsolation.ts HTTPS_PORT). The pods have no default
 * route, and the bridge's host address is the one place outside the cluster they reach: like an
 * identity provider on the company network, it is no pod and no Service. Its certificate comes from
 * a CA of its own, which the stack hands the frontend through security.authorization.jwksCaCertificates,
 * as a stack would for an in-house provider behind a private CA.
 */
export class TokenIssuer {
  readonly kid = `real-run-${randomUUID().slice(0, 8)}`;
  /** The CA that signed the JWKS endpoint's certificate, as PEM. */
  readonly caPem: string;
  /** Source addresses of every JWKS fetch, in order. */
  readonly fetchedBy: string[] = [];
  private readonly signingKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private readonly tls: { key: Buffer; cert: Buffer };
  private server?: Server;

  constructor(
    dir: string,
    private readonly host: string,
    private readonly port = 443,
  ) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.signingKey = privateKey;
    this.publicJwk = { ...publicKey.export({ format: "jwk" }), kid: this.kid, alg: "RS256", use: "sig" };
    const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/O=temporal-kit real run/CN=identity provider CA"]);
    openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tls.key", "-out", "tls.csr", "-subj", `/CN=${host}`]);
    writeFileSync(join(dir, "ext.cnf"), `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:${host}\n`);
    openssl(["x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tls.crt", "-days", "1", "-extfile", "ext.cnf"]);
    this.caPem = readFileSync(join(dir, "ca.crt"), "utf8");
    this.tls = { key: readFileSync(join(dir, "tls.key")), cert: readFileSync(join(dir, "tls.crt")) };
  }

  get jwksUri(): string {
    return `https://${this.host}${this.port === 443 ? "" : `:${this.port}`}/.well-known/jwks.json`;
  }

  /** Listens on the host address, which exists only once the pod bridge is up. */
  start(): Promise<void> {
    const body = JSON.stringify({ keys: [this.publicJwk] });
    this.server = createServer(this.tls, (req, res) => {
      this.fetchedBy.push(String(req.socket.remoteAddress).replace(/^::ffff:/, ""));
      if (req.url !== "/.well-known/jwks.json") {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    });
    return new Promise((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.port, this.host, () => resolve());
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * A JWT as Temporal's default claim mapper reads it (go.temporal.io/server@v1.31.2
   * common/authorization/default_jwt_claim_mapper.go): a "kid" header naming a JWKS key, a string
   * "sub", and the permissions claim as a list of "<namespace>:<read|write|worker|admin>", where the
   * namespace "temporal-system" means the whole cluster.
   */
  token(subject: string, permissions: string[], options: { claimName?: string; signingKey?: KeyObject } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const header = encode({ alg: "RS256", typ: "JWT", kid: this.kid });
    const payload = encode({ sub: subject, [options.claimName ?? "permissions"]: permissions, iat: now, exp: now + 3600 });
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), options.signingKey ?? this.signingKey).toString("base64url");
    return `${header}.${payload}.${signature}`;
  }
}

/** A key no JWKS publishes, to sign a token that claims this issuer's key id. */
export const foreignKey = (): KeyObject => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
