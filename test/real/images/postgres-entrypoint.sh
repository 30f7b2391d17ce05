#!/bin/sh
# Stand-in for /usr/local/bin/docker-entrypoint.sh of the official `postgres` image, Debian
# variants (ENTRYPOINT ["docker-entrypoint.sh"], CMD ["postgres"]). Reproduces the behaviour of
# docker-entrypoint.sh in docker-library/postgres (the same script for every Debian variant of a
# major; read at 17/bookworm/docker-entrypoint.sh, which already carries the 18+ PGDATA checks);
# written for temporal-kit's local pod runner, not copied from upstream. Upstream is bash; this
# keeps to POSIX sh and runs the Debian machine's PostgreSQL binaries found on PATH.
#
# The contract it reproduces:
#   * Arguments: when the first one starts with "-", "postgres" is put in front, so Kubernetes
#     `args: ["-c", "max_connections=200"]` run `postgres -c max_connections=200`. Only when the
#     command is `postgres` (and none of -? --help --describe-config -V --version is among the
#     arguments) is anything set up; whatever the command, it is exec'd at the end.
#   * Environment (each X also readable from the file named by X_FILE; both set is an error):
#     POSTGRES_PASSWORD (required for a new cluster unless POSTGRES_HOST_AUTH_METHOD=trust),
#     POSTGRES_USER (superuser made by initdb --username, default "postgres"), POSTGRES_DB
#     (default POSTGRES_USER; created unless it exists, so never for "postgres"),
#     POSTGRES_INITDB_ARGS (extra initdb words, shell-split), POSTGRES_INITDB_WALDIR,
#     POSTGRES_HOST_AUTH_METHOD (default: the server's password_encryption, scram-sha-256 from 14
#     on; appended to pg_hba.conf as `host all all all <method>`), PGDATA (image default
#     /var/lib/postgresql/data up to 17, /var/lib/postgresql/<major>/docker from 18),
#     PGPORT, DATABASE_ALREADY_EXISTS (set: skip initialisation).
#   * Directories: creates PGDATA (chmod 700, failure ignored), /var/run/postgresql (chmod 3775,
#     failures ignored) and the WAL dir; when run as root it chowns them to postgres and re-runs
#     itself as postgres (gosu upstream; gosu, else setpriv, here).
#   * Initialisation, only when PGDATA has no PG_VERSION: checks the password rule, refuses
#     (18+) to start over data in the pre-18 locations, requires /docker-entrypoint-initdb.d to be
#     listable, runs initdb (with nss_wrapper when the uid has no passwd entry and
#     libnss_wrapper.so exists), adds the host rule to pg_hba.conf, starts a temporary server
#     with the same arguments plus `-c listen_addresses=''` (unix socket only) and `-p PGPORT`,
#     creates POSTGRES_DB, runs /docker-entrypoint-initdb.d/* in glob order (*.sh executed when
#     executable, else sourced; *.sql through psql -v ON_ERROR_STOP=1; *.sql.gz, *.sql.xz,
#     *.sql.zst decompressed into psql; anything else ignored), stops the server (fast) and
#     prints "PostgreSQL init process complete; ready for start up.".
#   * listen_addresses='*' for the real server comes from the image's postgresql.conf.sample
#     (the Dockerfile rewrites it), which initdb copies; the runner provides that sample.
set -e
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi

# file_env NAME [DEFAULT]: NAME from itself, else from the file NAME_FILE names, else DEFAULT.
file_env() {
  _fe_name=$1
  _fe_file_name="${1}_FILE"
  _fe_default=${2:-}
  eval "_fe_value=\${$_fe_name:-}"
  eval "_fe_file=\${$_fe_file_name:-}"
  if [ -n "$_fe_value" ] && [ -n "$_fe_file" ]; then
    printf >&2 'error: both %s and %s are set (but are exclusive)\n' "$_fe_name" "$_fe_file_name"
    exit 1
  fi
  _fe_result=$_fe_default
  if [ -n "$_fe_value" ]; then
    _fe_result=$_fe_value
  elif [ -n "$_fe_file" ]; then
    _fe_result=$(cat "$_fe_file")
  fi
  export "$_fe_name=$_fe_result"
  unset "$_fe_file_name"
}

# One word, quoted for /bin/sh (pg_ctl hands -o to a shell).
sh_quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

docker_create_db_directories() {
  _uid=$(id -u)
  mkdir -p "$PGDATA"
  # Failures tolerated: PostgreSQL itself complains later if the mode is wrong.
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    if [ "$_uid" = 0 ]; then
      find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +
    fi
    chmod 700 "$POSTGRES_INITDB_WALDIR"
  fi
  if [ "$_uid" = 0 ]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

docker_init_database_dir() {
  _uid=$(id -u)
  if ! getent passwd "$_uid" >/dev/null 2>&1; then
    # initdb needs the current user to have a name: fake one through nss_wrapper when present.
    for _wrapper in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so /lib/*/libnss_wrapper.so /lib/libnss_wrapper.so; do
      if [ -s "$_wrapper" ]; then
        NSS_WRAPPER_PASSWD=$(mktemp)
        NSS_WRAPPER_GROUP=$(mktemp)
        export LD_PRELOAD="$_wrapper" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
        _gid=$(id -g)
        printf 'postgres:x:%s:%s:PostgreSQL:%s:/bin/false\n' "$_uid" "$_gid" "$PGDATA" >"$NSS_WRAPPER_PASSWD"
        printf 'postgres:x:%s:\n' "$_gid" >"$NSS_WRAPPER_GROUP"
        break
      fi
    done
  fi

  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
  fi

  # The password reaches initdb on a pipe, never a file; the trailing newline keeps an empty
  # password from being an empty file, which --pwfile rejects. POSTGRES_INITDB_ARGS is split
  # by the shell, as upstream's eval does.
  printf '%s\n' "$POSTGRES_PASSWORD" |
    eval 'initdb --username="$POSTGRES_USER" --pwfile=/dev/stdin '"${POSTGRES_INITDB_ARGS:-}"' "$@"'

  case "${LD_PRELOAD:-}" in
    */libnss_wrapper.so)
      rm -f "$NSS_WRAPPER_PASSWD" "$NSS_WRAPPER_GROUP"
      unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
      ;;
  esac
}

docker_verify_minimum_env() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    cat >&2 <<'EOE'
Error: Database is uninitialized and superuser password is not specified.
       Set POSTGRES_PASSWORD to a non-empty value for the superuser, or (not recommended)
       POSTGRES_HOST_AUTH_METHOD=trust to accept every connection without a password.
EOE
    exit 1
  fi
  if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
    cat >&2 <<'EOW'
WARNING: POSTGRES_HOST_AUTH_METHOD is "trust": anyone who reaches the PostgreSQL port gets in
         without a password, even with POSTGRES_PASSWORD set.
EOW
  fi
}

docker_error_old_databases() {
  if [ -n "$OLD_DATABASES" ]; then
    cat >&2 <<EOE
Error: from PostgreSQL 18 on, this image keeps data in the major-version directory
       $PGDATA (pg_ctlcluster layout), but there is PostgreSQL data at:
        $OLD_DATABASES
       This usually means the image was upgraded without pg_upgrade. Mount a single volume at
       /var/lib/postgresql instead (see docker-library/postgres pull request 1259).
EOE
    exit 1
  fi
}

# psql against the local socket as the superuser, into POSTGRES_DB when it is set.
docker_process_sql() {
  if [ -n "$POSTGRES_DB" ]; then
    PGHOST= PGHOSTADDR= psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc --dbname "$POSTGRES_DB" "$@"
  else
    PGHOST= PGHOSTADDR= psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
  fi
}

# Decompresses with the given command into a temporary file, then runs it: a failed
# decompression fails the script even in a shell without pipefail.
docker_process_compressed_sql() {
  _sql=$(mktemp)
  if ! "$@" >"$_sql"; then
    rm -f "$_sql"
    printf >&2 '%s: cannot decompress with: %s\n' "$0" "$*"
    exit 1
  fi
  _rc=0
  docker_process_sql -f "$_sql" || _rc=$?
  rm -f "$_sql"
  if [ "$_rc" != 0 ]; then exit "$_rc"; fi
}

docker_process_init_files() {
  printf '\n'
  for f; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          printf '%s: running %s\n' "$0" "$f"
          "$f"
        else
          printf '%s: sourcing %s\n' "$0" "$f"
          . "$f"
        fi
        ;;
      *.sql)
        printf '%s: running %s\n' "$0" "$f"
        docker_process_sql -f "$f"
        printf '\n'
        ;;
      *.sql.gz)
        printf '%s: running %s\n' "$0" "$f"
        docker_process_compressed_sql gunzip -c "$f"
        printf '\n'
        ;;
      *.sql.xz)
        printf '%s: running %s\n' "$0" "$f"
        docker_process_compressed_sql xzcat "$f"
        printf '\n'
        ;;
      *.sql.zst)
        printf '%s: running %s\n' "$0" "$f"
        docker_process_compressed_sql zstd -dc "$f"
        printf '\n'
        ;;
      *)
        printf '%s: ignoring %s\n' "$0" "$f"
        ;;
    esac
    printf '\n'
  done
}

docker_setup_db() {
  _target_db=$POSTGRES_DB
  POSTGRES_DB=
  _exists=$(docker_process_sql --dbname postgres --set db="$_target_db" --tuples-only <<'EOSQL'
SELECT 1 FROM pg_database WHERE datname = :'db' ;
EOSQL
)
  if [ -z "$_exists" ]; then
    docker_process_sql --dbname postgres --set db="$_target_db" <<'EOSQL'
CREATE DATABASE :"db" ;
EOSQL
    printf '\n'
  fi
  POSTGRES_DB=$_target_db
}

docker_setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  : "${DATABASE_ALREADY_EXISTS:=}"
  OLD_DATABASES=
  if [ -s "$PGDATA/PG_VERSION" ]; then
    DATABASE_ALREADY_EXISTS=true
  elif [ "$PGDATA" = "/var/lib/postgresql/${PG_MAJOR:-}/docker" ]; then
    for _d in /var/lib/postgresql /var/lib/postgresql/data /var/lib/postgresql/*/docker; do
      if [ -s "$_d/PG_VERSION" ]; then OLD_DATABASES="$OLD_DATABASES $_d"; fi
    done
    if [ -z "$OLD_DATABASES" ] && [ "${PG_MAJOR:-0}" -ge 18 ] && mountpoint -q /var/lib/postgresql/data; then
      OLD_DATABASES='/var/lib/postgresql/data (unused mount/volume)'
    fi
  fi
}

pg_setup_hba_conf() {
  if [ "${1:-}" = postgres ]; then shift; fi
  _auth=$(postgres -C password_encryption "$@")
  : "${POSTGRES_HOST_AUTH_METHOD:=$_auth}"
  {
    printf '\n'
    if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
      printf '# warning trust is enabled for all connections\n'
      printf '# see https://www.postgresql.org/docs/%s/auth-trust.html\n' "${PG_MAJOR:-current}"
    fi
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
  } >>"$PGDATA/pg_hba.conf"
}

docker_temp_server_start() {
  if [ "${1:-}" = postgres ]; then shift; fi
  set -- "$@" -c listen_addresses= -p "${PGPORT:-5432}"
  _opts=
  for _word; do _opts="$_opts $(sh_quote "$_word")"; done
  NOTIFY_SOCKET= PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$_opts" -w start
}

docker_temp_server_stop() {
  PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

_pg_want_help() {
  for _arg; do
    case "$_arg" in
      '-?' | --help | --describe-config | -V | --version) return 0 ;;
    esac
  done
  return 1
}

# Root hands over to the image's postgres user, as gosu does upstream.
as_postgres() {
  if command -v gosu >/dev/null 2>&1; then
    exec gosu postgres "$@"
  fi
  HOME=$(getent passwd postgres | cut -d: -f6)
  export HOME
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
}

case "${1:-}" in
  -*) set -- postgres "$@" ;;
esac

if [ "${1:-}" = postgres ] && ! _pg_want_help "$@"; then
  docker_setup_env
  docker_create_db_directories
  if [ "$(id -u)" = 0 ]; then
    as_postgres "$0" "$@"
  fi

  if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
    docker_verify_minimum_env
    docker_error_old_databases

    # Fail now, not halfway through, if the init scripts cannot be read.
    ls /docker-entrypoint-initdb.d/ >/dev/null

    docker_init_database_dir
    pg_setup_hba_conf "$@"

    # For psql when POSTGRES_INITDB_ARGS makes local connections ask for a password.
    export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
    docker_temp_server_start "$@"

    docker_setup_db
    docker_process_init_files /docker-entrypoint-initdb.d/*

    docker_temp_server_stop
    unset PGPASSWORD

    printf '\nPostgreSQL init process complete; ready for start up.\n\n'
  else
    printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
  fi
fi

exec "$@"
