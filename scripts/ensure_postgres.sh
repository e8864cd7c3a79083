#!/usr/bin/env bash
# Prints a DATABASE_URL for a PostgreSQL the tests may use freely, starting a throwaway local
# cluster when none is given:
#   - $IDCARD_TEST_PG_URL, if set and reachable, is printed as is;
#   - otherwise a cluster under ${PG_TEST_DIR:-/tmp/idcard-ocr-pg} (initdb'd once, trust auth,
#     listening on 127.0.0.1 only, port ${PG_TEST_PORT:-55432}) is started if not running.
# Runs the server as the postgres user when invoked as root (initdb refuses root).
# `scripts/ensure_postgres.sh stop` stops the throwaway cluster.
set -euo pipefail
dir=${PG_TEST_DIR:-/tmp/idcard-ocr-pg}
port=${PG_TEST_PORT:-55432}
db=idcard_test

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  exit 0
fi

if [ -n "${IDCARD_TEST_PG_URL:-}" ]; then
  if "$bindir/pg_isready" -q -d "$IDCARD_TEST_PG_URL" -t 5; then echo "$IDCARD_TEST_PG_URL"; exit 0; fi
  echo "IDCARD_TEST_PG_URL is set but not reachable" >&2; exit 1
fi

url="postgresql://postgres@127.0.0.1:$port/$db"
if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  rm -f "$dir/data/postmaster.pid" 2>/dev/null || true  # stale after a crash or reboot
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; exit 1; }
fi
if ! "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" postgres | grep -q 1; then
  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
fi
echo "$url"
