import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

/**
 * The images the kit runs, as the local pod runner reproduces them: what each image keeps where,
 * its ENTRYPOINT, CMD, WORKDIR, USER and ENV, read from the upstream sources at the versions the
 * kit pins (each spec lists its sources), with locally built binaries standing in for the image's
 * and our own scripts (test/real/images/) standing in for its entrypoint scripts.
 */

/** $CACHE/tools.json, written by `npm run e2e:tools` (tools/e2e/tools.sh). */
export interface ToolPaths {
  serverVersion: string;
  uiVersion: string;
  cliVersion: string;
  temporalServer: string;
  temporalSqlTool: string;
  schemaDir: string;
  uiServer: string;
  uiModuleConfig: string;
  temporalCli: string;
  postgresBinDir: string;
  postgresVersion: string;
  /** PREVIOUS_SERVER_VERSION of presets.ts. */
  previousServerVersion: string;
  /** Every server release e2e:tools built, by the version the kit pins (SERVER_VERSION, PREVIOUS_SERVER_VERSION). */
  servers: Record<string, ServerBuild>;
  [k: string]: unknown;
}

/** One release's binaries and schema files (tools.json "servers"). */
export interface ServerBuild {
  /** What was built: the pinned version, or another patch of its minor when the proxy lacked it (versionNote says). */
  version: string;
  temporalServer: string;
  temporalSqlTool: string;
  tdbg: string;
  schemaDir: string;
  versionNote?: string;
}

export interface ImageSpec {
  /** As named in the manifest. */
  image: string;
  /**
   * The image's ENTRYPOINT, exactly as the image declares it: a bare name (postgres'
   * `docker-entrypoint.sh`) is looked up on the container's PATH and a relative one (the UI's
   * `./start-ui-server.sh`) against the working directory, as a container runtime does.
   */
  entrypoint: string[];
  /** The image's CMD (empty when the image has none, or when its ENTRYPOINT reset the base image's). */
  cmd: string[];
  /** WORKDIR ("/" when the image sets none). */
  workingDir: string;
  /** USER, as numbers (0:0 when the image sets none). */
  user: { uid: number; gid: number };
  /**
   * The name USER gives, when it gives a name rather than a number (`USER temporal`): the kubelet
   * cannot prove such a user non-root, so runAsNonRoot without a runAsUser refuses the container.
   */
  userName?: string;
  /** ENV the image sets (PATH included). HOME is not among them: a runtime derives it, see homeOf. */
  env: Record<string, string>;
  /**
   * What the image keeps, by path inside the container → path on this machine (file or
   * directory). Directories the image owns exclusively map as a whole; files inside shared
   * directories map one by one. Generated files (passwd, group, empty directories) live under
   * the scratch directory given to imageSpec.
   */
  files: Record<string, string>;
  /**
   * Owner and mode the image gives some of those paths, where the behaviour depends on them
   * (directories the image's user must write to): the runner sets them on its copy. The generated
   * directories already have the mode; they have the owner only when imageSpec runs as root.
   */
  ownership?: Record<string, { uid: number; gid: number; mode: number }>;
  /** The image's STOPSIGNAL, the signal a runtime stops the container with. */
  stopSignal?: "SIGTERM" | "SIGINT";
  /** Where each fact comes from: repository, file, tag. */
  sources: string[];
  /** What differs from the real image. */
  differences: string[];
}

/** The versions whose images were read for these specs. */
export const VERIFIED = { ui: "2.52.0", postgresMajors: "12 and later, Debian variants" } as const;

/**
 * temporalio/server and temporalio/admin-tools, release by release, as read in
 * temporalio/temporal at that tag (the Go module go.temporal.io/server@v<release> carries docker/
 * and .github/): docker/targets/server.Dockerfile and admin-tools.Dockerfile give the same user,
 * paths, WORKDIR, CMD and no ENTRYPOINT or ENV at both releases (they differ only in the Alpine
 * tag and `apk upgrade` of every package rather than zlib alone at v1.30.9);
 * docker/scripts/sh/entrypoint.sh is byte for byte the same. A release not listed is refused.
 */
export const TEMPORAL_IMAGE_RELEASES: Readonly<Record<string, { alpine: string; cliBundled: string }>> = {
  // docker/docker-bake.hcl ALPINE_TAG default; .github/actions/build-docker-images/scripts/main.go defaultCliVersion.
  "1.31.2": { alpine: "3.23.5", cliBundled: "1.7.2" },
  "1.30.9": { alpine: "3.23.7", cliBundled: "1.9.1" },
};

const REPO_ROOT = resolve(__dirname, "..", "..", "..");
/** Our entrypoint stand-ins. */
export const STAND_INS_DIR = join(REPO_ROOT, "test", "real", "images");
const WORKER_DIR = join(REPO_ROOT, "test", "real", "worker");
const NODE_MODULES = join(REPO_ROOT, "node_modules");

/** The PATH of an image whose Dockerfiles never set one (alpine, debian): the runtime's default, which BuildKit writes into the image config. */
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const REQUIRED_TOOLS = [
  "serverVersion",
  "uiVersion",
  "cliVersion",
  "temporalServer",
  "temporalSqlTool",
  "schemaDir",
  "uiServer",
  "uiModuleConfig",
  "temporalCli",
  "postgresBinDir",
  "postgresVersion",
  "previousServerVersion",
] as const;

export function toolsJsonPath(): string {
  const cache = process.env.TEMPORAL_KIT_CACHE || join(homedir(), ".cache", "temporal-kit");
  return join(cache, "tools.json");
}

/** Reads $CACHE/tools.json (CACHE = $TEMPORAL_KIT_CACHE or ~/.cache/temporal-kit). */
export function loadToolPaths(): ToolPaths {
  const path = toolsJsonPath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run e2e:tools first`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}): run npm run e2e:tools first`);
  }
  if (typeof parsed !== "object" || parsed === null) throw new Error(`${path} does not hold an object: run npm run e2e:tools first`);
  const record = parsed as Record<string, unknown>;
  const missing = REQUIRED_TOOLS.filter((key) => typeof record[key] !== "string" || record[key] === "");
  if (missing.length > 0) throw new Error(`${path} lacks ${missing.join(", ")}: run npm run e2e:tools first`);
  if (typeof record.servers !== "object" || record.servers === null) throw new Error(`${path} lacks servers: run npm run e2e:tools first`);
  return record as ToolPaths;
}

/** An image reference split into repository (without registry host or library/) and tag ("latest" when none; digest dropped). */
export function parseImage(image: string): { repository: string; tag: string } {
  let rest = image.replace(/@sha256:[0-9a-f]+$/, "");
  let tag = "latest";
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (rest === "temporal-kit.test/worker") return { repository: rest, tag };
  // A registry host (docker.io, a mirror that keeps the names) is the first component when it has a dot, a colon or is localhost.
  const parts = rest.split("/");
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift();
  if (parts.length > 1 && parts[0] === "library") parts.shift();
  return { repository: parts.join("/"), tag };
}

/**
 * The spec of an image the kit runs, with this machine's binaries in it. Generated files go under
 * scratchDir (created if need be). Throws, naming the image, for an image it does not know.
 */
export function imageSpec(image: string, tools: ToolPaths, scratchDir: string): ImageSpec {
  const { repository, tag } = parseImage(image);
  const scratch = new Scratch(scratchDir, image);
  let spec: ImageSpec;
  switch (repository) {
    case "temporalio/server":
      spec = serverImage(image, tag, tools, scratch);
      break;
    case "temporalio/admin-tools":
      spec = adminToolsImage(image, tag, tools, scratch);
      break;
    case "temporalio/ui":
      spec = uiImage(image, tag, tools, scratch);
      break;
    case "postgres":
      spec = postgresImage(image, tag, tools, scratch);
      break;
    case "temporal-kit.test/worker":
      spec = workerImage(image, scratch);
      break;
    default:
      throw new Error(
        `imageSpec: no local stand-in for image "${image}" (repository ${repository}); known: temporalio/server, temporalio/admin-tools, temporalio/ui, postgres (Debian variants), temporal-kit.test/worker`,
      );
  }
  for (const [inContainer, onMachine] of Object.entries(spec.files)) {
    if (!existsSync(onMachine)) {
      throw new Error(`imageSpec(${image}): ${inContainer} would come from ${onMachine}, which does not exist (run npm run e2e:tools first?)`);
    }
  }
  return spec;
}

/**
 * HOME as a container runtime sets it when the image's ENV has none: the home directory of the
 * uid in the image's /etc/passwd, "/" when the uid has no entry there.
 */
export function homeOf(spec: ImageSpec, uid: number): string {
  const passwd = spec.files["/etc/passwd"];
  if (!passwd) return "/";
  for (const line of readFileSync(passwd, "utf8").split("\n")) {
    const fields = line.split(":");
    if (fields.length >= 7 && Number(fields[2]) === uid) return fields[5] || "/";
  }
  return "/";
}

// ---------------------------------------------------------------------------------------------
// temporalio/server and temporalio/admin-tools: built from temporalio/temporal since 1.30.

const TEMPORAL_REPO = "temporalio/temporal";

/**
 * Both Dockerfiles: `addgroup -g 1000 temporal && adduser -u 1000 -G temporal -D temporal` (busybox: GECOS "Linux User,,,",
 * home /home/temporal created, shell /bin/ash, and the user listed as a member of the group), then USER temporal.
 */
const TEMPORAL_USER = { uid: 1000, gid: 1000 };

function alpineAccounts(scratch: Scratch, user: { name: string; uid: number; gid: number }): Record<string, string> {
  return scratch.accounts(
    ["root:x:0:0:root:/root:/bin/sh", `${user.name}:x:${user.uid}:${user.gid}:Linux User,,,:/home/${user.name}:/bin/ash`, "nobody:x:65534:65534:nobody:/:/sbin/nologin"],
    ["root:x:0:root", `${user.name}:x:${user.gid}:${user.name}`, "nobody:x:65534:"],
  );
}

/**
 * The release an image of temporalio/server or admin-tools names, with its local build: refused,
 * naming the image, when the tag's release was not read here or not built by e2e:tools. Admin-tools
 * tags may carry the CLI versions after the release (1.29.1-tctl-1.18.4-cli-1.4.1).
 */
export function temporalRelease(image: string, tag: string, tools: Pick<ToolPaths, "servers">): { release: string; build: ServerBuild; layout: { alpine: string; cliBundled: string } } {
  const release = /^(\d+\.\d+\.\d+)(?:$|-)/.exec(tag)?.[1];
  const read = Object.keys(TEMPORAL_IMAGE_RELEASES).join(", ");
  if (!release) throw new Error(`imageSpec: cannot reproduce image "${image}": its tag names no Temporal release (releases read: ${read})`);
  const layout = TEMPORAL_IMAGE_RELEASES[release];
  if (!layout) throw new Error(`imageSpec: cannot reproduce image "${image}": the image layout of Temporal ${release} was never read here (releases read: ${read}; add its row to TEMPORAL_IMAGE_RELEASES after reading its Dockerfiles)`);
  const build = tools.servers[release];
  if (!build) throw new Error(`imageSpec: cannot reproduce image "${image}": npm run e2e:tools built no Temporal ${release} (built: ${Object.keys(tools.servers).join(", ") || "none"}; it builds SERVER_VERSION and PREVIOUS_SERVER_VERSION of components/config/presets.ts)`);
  return { release, build, layout };
}

function temporalVersionNotes(build: ServerBuild): string[] {
  return build.versionNote ? [build.versionNote] : [];
}

/** The sources every temporalio/server or admin-tools spec was read from, at the image's release. */
function temporalSources(release: string, layout: { alpine: string }): { dockerBake: string; buildWorkflow: string } {
  return {
    dockerBake: `${TEMPORAL_REPO}@v${release} docker/docker-bake.hcl: targets "server" and "admin-tools", context docker/, ALPINE_TAG default ${layout.alpine}`,
    buildWorkflow: `${TEMPORAL_REPO}@v${release} .github/workflows/build-and-publish.yml, .github/actions/build-docker-images/action.yml: goreleaser binaries, docker buildx bake server admin-tools into temporaliotest/*, promoted to temporalio/<image>:<version>`,
  };
}

const ALPINE_DIFFERENCE =
  "Userland is this Debian machine's (glibc; /bin/sh is dash; getent, hostname, awk, sleep from Debian), not Alpine 3.23's busybox and musl; CA certificates and time zones are the machine's too.";

function serverImage(image: string, tag: string, tools: ToolPaths, scratch: Scratch): ImageSpec {
  const { release, build, layout } = temporalRelease(image, tag, tools);
  const sources = temporalSources(release, layout);
  const home = scratch.directory("home-temporal", 0o755, TEMPORAL_USER);
  return {
    image,
    entrypoint: [],
    cmd: ["/etc/temporal/entrypoint.sh"],
    workingDir: "/etc/temporal",
    user: TEMPORAL_USER,
    userName: "temporal",
    env: { PATH: DEFAULT_PATH },
    files: {
      "/usr/local/bin/temporal-server": build.temporalServer,
      "/etc/temporal/entrypoint.sh": join(STAND_INS_DIR, "server-entrypoint.sh"),
      "/home/temporal": home,
      ...alpineAccounts(scratch, { name: "temporal", ...TEMPORAL_USER }),
    },
    ownership: { "/home/temporal": { ...TEMPORAL_USER, mode: 0o755 } },
    stopSignal: "SIGTERM",
    sources: [
      `${TEMPORAL_REPO}@v${release} docker/targets/server.Dockerfile: FROM alpine:\${ALPINE_TAG}; apk add ca-certificates tzdata; addgroup -g 1000 temporal; adduser -u 1000 -G temporal -D temporal; COPY temporal-server to /usr/local/bin/; COPY scripts/sh/entrypoint.sh to /etc/temporal/entrypoint.sh; WORKDIR /etc/temporal; USER temporal; CMD ["/etc/temporal/entrypoint.sh"]; no ENTRYPOINT, no ENV`,
      sources.dockerBake,
      `${TEMPORAL_REPO}@v${release} docker/scripts/sh/entrypoint.sh: BIND_ON_IP from getent hosts $(hostname), TEMPORAL_BROADCAST_ADDRESS when bound to a wildcard, exec temporal-server start (stand-in: test/real/images/server-entrypoint.sh)`,
      `${TEMPORAL_REPO}@v1.31.2 cmd/server/main.go and common/config/loader.go: start reads TEMPORAL_SERVER_CONFIG_FILE_PATH, TEMPORAL_SERVICES, TEMPORAL_ALLOW_NO_AUTH, else the embedded config_template_embedded.yaml; SERVICES is read by nothing`,
      sources.buildWorkflow,
    ],
    differences: [
      `temporal-server is built here from the Go module go.temporal.io/server@v${build.version} (cmd/server), not the release's goreleaser build (CGO_ENABLED=0).`,
      "/etc/temporal/entrypoint.sh is our POSIX sh stand-in (test/real/images/server-entrypoint.sh) for the image's script; same steps.",
      ALPINE_DIFFERENCE,
      "/etc/passwd and /etc/group list root, temporal (1000:1000) and nobody only; Alpine's base files have more system accounts.",
      ...temporalVersionNotes(build),
    ],
  };
}

/** The tools temporalio/admin-tools puts in /usr/local/bin, with the tools.json keys that may hold local builds of the ones e2e:tools does not build. */
const OPTIONAL_ADMIN_TOOLS: Array<[name: string, key: string]> = [
  ["temporal-cassandra-tool", "temporalCassandraTool"],
  ["temporal-elasticsearch-tool", "temporalElasticsearchTool"],
  ["tdbg", "tdbg"],
];

function adminToolsImage(image: string, tag: string, tools: ToolPaths, scratch: Scratch): ImageSpec {
  const { release, build, layout } = temporalRelease(image, tag, tools);
  const sources = temporalSources(release, layout);
  const home = scratch.directory("home-temporal", 0o755, TEMPORAL_USER);
  const files: Record<string, string> = {
    "/usr/local/bin/temporal": tools.temporalCli,
    "/usr/local/bin/temporal-sql-tool": build.temporalSqlTool,
  };
  const absent: string[] = [];
  for (const [name, key] of OPTIONAL_ADMIN_TOOLS) {
    const local = key === "tdbg" ? build.tdbg : tools[key];
    if (typeof local === "string" && local !== "") files[`/usr/local/bin/${name}`] = local;
    else absent.push(name);
  }
  const differences = [
    `temporal-sql-tool is built here from go.temporal.io/server@v${build.version} (cmd/tools/sql), not the release's goreleaser build.`,
    ALPINE_DIFFERENCE + " `sh` in the kit's scripts is therefore dash, not busybox ash.",
    "/etc/passwd and /etc/group list root, temporal (1000:1000) and nobody only.",
    ...temporalVersionNotes(build),
  ];
  if (tools.cliVersion !== layout.cliBundled) {
    differences.push(
      `The temporal CLI is v${tools.cliVersion}; the image bundles v${layout.cliBundled} (defaultCliVersion at ${TEMPORAL_REPO}@v${release}).` +
        // The note names the release the CLI pin was chosen for (tools.sh CLI_CHOSEN_FOR_SERVER).
        (typeof tools.cliVersionNote === "string" && release === tools.serverVersion ? ` ${tools.cliVersionNote}` : ""),
    );
  }
  if (absent.length > 0) differences.push(`Not available locally, so absent from /usr/local/bin: ${absent.join(", ")} (the image has them).`);
  return {
    image,
    entrypoint: [],
    cmd: ["sh", "-c", "trap exit INT HUP TERM; sleep infinity"],
    workingDir: "/",
    user: TEMPORAL_USER,
    userName: "temporal",
    env: { PATH: DEFAULT_PATH },
    files: {
      ...files,
      // The repository's whole schema/ directory, copied as is (its .go files included).
      "/etc/temporal/schema": build.schemaDir,
      "/home/temporal": home,
      ...alpineAccounts(scratch, { name: "temporal", ...TEMPORAL_USER }),
    },
    ownership: { "/home/temporal": { ...TEMPORAL_USER, mode: 0o755 } },
    stopSignal: "SIGTERM",
    sources: [
      `${TEMPORAL_REPO}@v${release} docker/targets/admin-tools.Dockerfile: FROM alpine:\${ALPINE_TAG}; user temporal 1000:1000; COPY temporal, temporal-cassandra-tool, temporal-sql-tool, temporal-elasticsearch-tool, tdbg to /usr/local/bin/ (mode 755); COPY build/temporal/schema to /etc/temporal/schema; USER temporal; CMD ["sh", "-c", "trap exit INT HUP TERM; sleep infinity"]; no ENTRYPOINT, WORKDIR, ENV`,
      `${TEMPORAL_REPO}@v${release} .github/actions/build-docker-images/scripts/main.go: copies the repository's schema/ recursively to docker/build/temporal/schema; downloads CLI defaultCliVersion = "${layout.cliBundled}" from temporalio/cli releases`,
      sources.dockerBake,
      sources.buildWorkflow,
    ],
    differences,
  };
}

// ---------------------------------------------------------------------------------------------
// temporalio/ui: built by temporalio/ui-server's release workflow from its own Dockerfile.

const UI_REPO = "temporalio/ui-server";
/** ui-server v2.52.0's Dockerfile: `addgroup -g 1000 temporal && adduser -u 1000 -G temporal -D temporal`, USER temporal. */
const UI_USER = { uid: 1000, gid: 1000 };

function uiImage(image: string, tag: string, tools: ToolPaths, scratch: Scratch): ImageSpec {
  const home = scratch.directory("home-temporal", 0o755, UI_USER);
  const differences = [
    "start-ui-server.sh is our POSIX sh stand-in (test/real/images/ui-start.sh) for the image's bash script; without dockerize, its legacy ./config/config-template.yaml branch only reproduces the warning and the failure.",
    `ui-server is built here from the Go module github.com/temporalio/ui-server/v2@v${tools.uiVersion} (cmd/server), not the image's make build-server.`,
    "No /usr/local/bin/dockerize and no bash: the image has both (alpine:3.23.3 with bash; dockerize v0.10.1).",
    ALPINE_DIFFERENCE,
    "/etc/passwd and /etc/group list root, temporal (1000:1000) and nobody only.",
  ];
  if (tag !== tools.uiVersion) differences.push(`The manifest asks for temporalio/ui:${tag}; the local ui-server is v${tools.uiVersion}.`);
  if (!tag.startsWith("2.52.")) differences.push(`The image layout was read at v${VERIFIED.ui} only; temporalio/ui:${tag} may differ.`);
  if (typeof tools.uiVersionNote === "string") differences.push(tools.uiVersionNote);
  return {
    image,
    entrypoint: ["./start-ui-server.sh"],
    // Setting ENTRYPOINT resets the CMD inherited from alpine (["/bin/sh"]); the Dockerfile sets none.
    cmd: [],
    workingDir: "/home/ui-server",
    user: UI_USER,
    userName: "temporal",
    env: { PATH: DEFAULT_PATH, TEMPORAL_CLOUD_UI: "false" },
    files: {
      "/home/ui-server/ui-server": tools.uiServer,
      "/home/ui-server/start-ui-server.sh": join(STAND_INS_DIR, "ui-start.sh"),
      // The only file the image has in config/: the server renders it as a template at start.
      "/home/ui-server/config/docker.yaml": join(tools.uiModuleConfig, "docker.yaml"),
      "/home/temporal": home,
      ...alpineAccounts(scratch, { name: "temporal", ...UI_USER }),
    },
    ownership: { "/home/temporal": { ...UI_USER, mode: 0o755 } },
    stopSignal: "SIGTERM",
    sources: [
      `${UI_REPO}@v2.52.0 Dockerfile: final stage FROM alpine:3.23.3 (+ ca-certificates, tzdata, bash); dockerize to /usr/local/bin; WORKDIR /home/ui-server; addgroup -g 1000 temporal, adduser -u 1000 -G temporal -D temporal, mkdir ./config; COPY --chown=temporal:temporal ui-server, config/docker.yaml to ./config/docker.yaml, docker/start-ui-server.sh to ./start-ui-server.sh; USER temporal; ENV TEMPORAL_CLOUD_UI=false (build arg); ENTRYPOINT ["./start-ui-server.sh"]; no CMD`,
      `${UI_REPO}@v2.52.0 docker/start-ui-server.sh: dockerize only if ./config/config-template.yaml exists, "bash" argument, exec ./ui-server --env docker start (stand-in: test/real/images/ui-start.sh)`,
      `${UI_REPO}@v2.52.0 config/docker.yaml: "# enable-template"; TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_UI_PORT (8080), TEMPORAL_CORS_ORIGINS, TEMPORAL_AUTH_*, TEMPORAL_TLS_*, TEMPORAL_CODEC_* ...`,
      `${UI_REPO}@v2.52.0 cmd/server/main.go and plugins/fs_config_provider/loader.go: config dir = --root (.) + --config (config); loads base.yaml then <env>.yaml, renders templates in memory, fails "no config files found within config" when neither exists`,
      `${UI_REPO}@v2.52.0 .github/workflows/on-release.yaml: on release, docker-build-push of this repository's Dockerfile to vars.DOCKER_IMAGE_UI with the version tag`,
    ],
    differences,
  };
}

// ---------------------------------------------------------------------------------------------
// postgres: the official image, Debian variants.

const POSTGRES_REPO = "docker-library/postgres";
/** `groupadd -r postgres --gid=999; useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres`. */
const POSTGRES_USER = { uid: 999, gid: 999 };

function postgresImage(image: string, tag: string, tools: ToolPaths, scratch: Scratch): ImageSpec {
  if (/alpine/.test(tag)) {
    throw new Error(`imageSpec: no local stand-in for image "${image}": only the Debian variants of postgres are reproduced (the Alpine ones run as uid 70 with another layout)`);
  }
  const major = Number(/^(\d+)/.exec(tag)?.[1]);
  if (!Number.isInteger(major) || major < 12) {
    throw new Error(`imageSpec: cannot reproduce image "${image}": its tag names no PostgreSQL major of 12 or later`);
  }
  const localMajor = /\/postgresql\/(\d+)\/bin\/?$/.exec(tools.postgresBinDir)?.[1];
  const pgdata = major >= 18 ? `/var/lib/postgresql/${major}/docker` : "/var/lib/postgresql/data";
  const imageBinDir = `/usr/lib/postgresql/${major}/bin`;

  const files: Record<string, string> = {
    "/usr/local/bin/docker-entrypoint.sh": join(STAND_INS_DIR, "postgres-entrypoint.sh"),
    "/docker-entrypoint-initdb.d": scratch.directory("docker-entrypoint-initdb.d", 0o755),
    // /var/run is a symbolic link to /run in Debian: the image's /var/run/postgresql is /run/postgresql.
    "/run/postgresql": scratch.directory("run-postgresql", 0o3777, POSTGRES_USER),
    "/var/lib/postgresql": scratch.directory("var-lib-postgresql", 0o1777, POSTGRES_USER),
    ...scratch.accounts(
      ["root:x:0:0:root:/root:/bin/bash", "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin", "postgres:x:999:999::/var/lib/postgresql:/bin/bash"],
      ["root:x:0:", "nogroup:x:65534:", "postgres:x:999:"],
    ),
  };
  const ownership: Record<string, { uid: number; gid: number; mode: number }> = {
    "/run/postgresql": { ...POSTGRES_USER, mode: 0o3777 },
    "/var/lib/postgresql": { ...POSTGRES_USER, mode: 0o1777 },
  };
  if (major < 18) {
    scratch.directory("var-lib-postgresql/data", 0o1777, POSTGRES_USER);
    ownership["/var/lib/postgresql/data"] = { ...POSTGRES_USER, mode: 0o1777 };
  }
  const differences = [
    `PostgreSQL ${tools.postgresVersion} from Debian (${tools.postgresBinDir}) stands in for postgres:${tag} (PostgreSQL ${major} from apt.postgresql.org).`,
    "docker-entrypoint.sh is our POSIX sh stand-in (test/real/images/postgres-entrypoint.sh) for the image's bash script: same contract; /docker-entrypoint-initdb.d/*.sh that are not executable are sourced by sh, so bash-only ones (e.g. using \"${psql[@]}\") fail; decompressed init files reach psql through a temporary file.",
    "No gosu (run as root, the stand-in drops to postgres with setpriv) and no libnss_wrapper (initdb fails for a uid with no passwd entry, where the image would fake one); docker-ensure-initdb.sh is absent.",
    "psql is found on PATH as in the image: Debian's /usr/bin/psql wrapper (pg_wrapper) picking the machine's newest client.",
    "/etc/passwd and /etc/group list root, nobody and postgres (999:999) only; Debian's base files have more system accounts.",
    `PG_VERSION is the local server's version (${tools.postgresVersion}), not the image's package version.`,
  ];
  if (localMajor !== String(major)) {
    // The image's PATH names its major's bin directory: put the machine's binaries there.
    files[imageBinDir] = tools.postgresBinDir;
    differences.push(`${imageBinDir} holds a copy of ${tools.postgresBinDir}; those binaries still use PostgreSQL ${localMajor ?? "?"}'s share and lib directories.`);
  }
  if (localMajor) {
    // The Dockerfile rewrites the sample config initdb copies so the server listens on every address.
    const sample = `/usr/share/postgresql/${localMajor}/postgresql.conf.sample`;
    if (existsSync(sample)) {
      files[sample] = scratch.file(
        "postgresql.conf.sample",
        readFileSync(sample, "utf8").replace(/^#?(listen_addresses)\s*=\s*\S+.*$/m, "$1 = '*'"),
      );
    } else {
      differences.push(`${sample} is missing, so initdb's postgresql.conf lacks the image's listen_addresses = '*'.`);
    }
  }
  const lang = localeAvailable("en_US.utf8") ? "en_US.utf8" : "C.utf8";
  if (lang !== "en_US.utf8") differences.push("LANG is C.utf8: the image's en_US.utf8 locale is not generated on this machine, and initdb refuses a missing locale.");
  if (major >= 18) {
    differences.push("In 18+, the image's VOLUME is /var/lib/postgresql (PGDATA a subdirectory); a runtime ignores VOLUME, as Kubernetes does.");
  }
  return {
    image,
    entrypoint: ["docker-entrypoint.sh"],
    cmd: ["postgres"],
    workingDir: "/",
    user: { uid: 0, gid: 0 },
    env: {
      PATH: `${DEFAULT_PATH}:${imageBinDir}`,
      GOSU_VERSION: "1.19",
      LANG: lang,
      PG_MAJOR: String(major),
      PG_VERSION: tools.postgresVersion,
      PGDATA: pgdata,
    },
    files,
    ownership,
    stopSignal: "SIGINT",
    sources: [
      `${POSTGRES_REPO} ${major}/<debian suite>/Dockerfile (read at 17/trixie, PG_VERSION 17.11-1.pgdg13+2, and 18/trixie): FROM debian:<suite>-slim; groupadd -r postgres --gid=999, useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres; /var/lib/postgresql 1777; gosu; ENV LANG en_US.utf8, PG_MAJOR, PATH $PATH:/usr/lib/postgresql/$PG_MAJOR/bin, PG_VERSION; libnss-wrapper xz-utils zstd; mkdir /docker-entrypoint-initdb.d; postgresql.conf.sample listen_addresses = '*'; /var/run/postgresql 3777 postgres; ENV PGDATA /var/lib/postgresql/data (18+: /var/lib/postgresql/18/docker, VOLUME /var/lib/postgresql); COPY docker-entrypoint.sh docker-ensure-initdb.sh /usr/local/bin/; ENTRYPOINT ["docker-entrypoint.sh"]; STOPSIGNAL SIGINT; CMD ["postgres"]; no USER, no WORKDIR`,
      `${POSTGRES_REPO} 17/bookworm/docker-entrypoint.sh (Debian variants share it): file_env, initdb --username --pwfile, nss_wrapper, pg_hba host rule, socket-only temporary server, CREATE DATABASE POSTGRES_DB, /docker-entrypoint-initdb.d (stand-in: test/real/images/postgres-entrypoint.sh)`,
    ],
    differences,
  };
}

// ---------------------------------------------------------------------------------------------
// temporal-kit.test/worker: the real-run suite's own worker image (test/real/worker).

const WORKER_USER = { uid: 1000, gid: 1000 };
const CONTAINER_NODE_MODULES = "/usr/local/lib/node_modules";

/** The workflow bundle, built once per run as an image build would (test/real/worker/bundle.ts). */
let builtWorkflowBundle: string | undefined;

function workflowBundle(image: string, tsxCli: string, scratch: Scratch): string {
  if (builtWorkflowBundle && existsSync(builtWorkflowBundle)) return builtWorkflowBundle;
  const output = scratch.file("workflow-bundle.js", "");
  const build = spawnSync(process.execPath, [tsxCli, join(WORKER_DIR, "bundle.ts"), output], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`imageSpec(${image}): building the workflow bundle failed:\n${build.stderr}${build.stdout}`);
  builtWorkflowBundle = output;
  return output;
}

function workerImage(image: string, scratch: Scratch): ImageSpec {
  const tsxCli = join(NODE_MODULES, "tsx", "dist", "cli.mjs");
  if (!existsSync(tsxCli)) throw new Error(`imageSpec(${image}): ${tsxCli} is missing: run npm ci`);
  const bundle = workflowBundle(image, tsxCli, scratch);
  return {
    image,
    entrypoint: ["/usr/local/bin/node", `${CONTAINER_NODE_MODULES}/tsx/dist/cli.mjs`, "/app/worker.ts"],
    cmd: [],
    workingDir: "/app",
    user: WORKER_USER,
    env: {
      PATH: DEFAULT_PATH,
      // /app has no node_modules above it: require() finds the repository's through NODE_PATH.
      NODE_PATH: CONTAINER_NODE_MODULES,
      WORKFLOW_BUNDLE_PATH: "/opt/worker/workflow-bundle.js",
    },
    files: {
      "/app": WORKER_DIR,
      "/usr/local/bin/node": process.execPath,
      "/opt/worker/workflow-bundle.js": bundle,
      [CONTAINER_NODE_MODULES]: NODE_MODULES,
      ...scratch.accounts(["root:x:0:0:root:/root:/bin/sh", "worker:x:1000:1000::/app:/bin/sh", "nobody:x:65534:65534:nobody:/:/usr/sbin/nologin"], ["root:x:0:", "worker:x:1000:", "nogroup:x:65534:"]),
    },
    ownership: {},
    stopSignal: "SIGTERM",
    sources: ["temporal-kit test/real/worker/worker.ts: the image is this suite's own, run as `node <tsx cli> /app/worker.ts`"],
    differences: [
      `Node is this process's own (${process.execPath}), at /usr/local/bin/node as in the official node images.`,
      `The repository's node_modules (${NODE_MODULES}) at ${CONTAINER_NODE_MODULES}, found through NODE_PATH, stands in for a node_modules the image would keep under /app.`,
    ],
  };
}

// ---------------------------------------------------------------------------------------------

/** Generated files for one image, under <scratchDir>/<image as a file name>/. */
class Scratch {
  private readonly dir: string;

  constructor(scratchDir: string, image: string) {
    this.dir = join(scratchDir, image.replace(/[^A-Za-z0-9._-]+/g, "_"));
  }

  file(name: string, content: string): string {
    const path = join(this.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, { mode: 0o644 });
    chmodSync(path, 0o644);
    return path;
  }

  /** An empty directory with this mode (umask aside), owned by `owner` when this process may chown. */
  directory(name: string, mode: number, owner?: { uid: number; gid: number }): string {
    const path = join(this.dir, name);
    mkdirSync(path, { recursive: true });
    chmodSync(path, mode);
    if (owner && process.getuid?.() === 0) chownSync(path, owner.uid, owner.gid);
    return path;
  }

  /** /etc/passwd and /etc/group stand-ins holding exactly these lines. */
  accounts(passwd: string[], group: string[]): Record<string, string> {
    return {
      "/etc/passwd": this.file("etc/passwd", `${passwd.join("\n")}\n`),
      "/etc/group": this.file("etc/group", `${group.join("\n")}\n`),
    };
  }
}

const localeCache = new Map<string, boolean>();

/** Whether glibc has this locale generated (`locale -a`). */
function localeAvailable(name: string): boolean {
  const cached = localeCache.get(name);
  if (cached !== undefined) return cached;
  const listed = spawnSync("locale", ["-a"], { encoding: "utf8" });
  const normalise = (locale: string) => locale.trim().toLowerCase().replace(/utf-?8/, "utf8");
  const available = listed.status === 0 && listed.stdout.split("\n").some((line) => normalise(line) === normalise(name));
  localeCache.set(name, available);
  return available;
}
