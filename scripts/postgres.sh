# Functions to run a throwaway PostgreSQL server for tests; source this file.
# start_test_postgres exports SITROOM_TEST_POSTGRES_URL; stop_test_postgres removes the server.

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

start_test_postgres() {
  local bin
  if ! bin=$(find_pg_bin); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin=$(find_pg_bin) || return 1
    else
      return 1
    fi
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/sitroom-pg.XXXXXX)
  PG_TEST_PORT=${PG_TEST_PORT:-54329}
  local run=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: run the server as the postgres system user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TEST_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -A trust -U sitroom >/dev/null || return 1
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
    -o "-p $PG_TEST_PORT -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || return 1
  PG_TEST_RUN=("${run[@]}")
  PG_TEST_BIN=$bin
  export SITROOM_TEST_POSTGRES_URL="postgresql+psycopg://sitroom@127.0.0.1:$PG_TEST_PORT/postgres"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    "${PG_TEST_RUN[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
