# lib.sh - TAP helpers and database access for the shell tests. Sourced by each
# tests/integration/*.sh and tests/tui/*.sh; `make check` exports MO_* and PG* (Makefile.am:
# AM_TESTS_ENVIRONMENT, tests/run-test).
set -u
_n=0
_failed=0
ok() { # ok CONDITION-STATUS DESCRIPTION
    _n=$((_n + 1))
    if [ "$1" = 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
is() { # is GOT EXPECTED DESCRIPTION
    _n=$((_n + 1))
    if [ "$1" = "$2" ]; then echo "ok $_n - $3"
    else echo "not ok $_n - $3"; echo "#   got:      '$1'"; echo "#   expected: '$2'"; _failed=$((_failed + 1)); fi
}
like() { # like GOT EXTENDED-REGEX DESCRIPTION
    _n=$((_n + 1))
    if printf '%s' "$1" | grep -Eq -- "$2"; then echo "ok $_n - $3"
    else echo "not ok $_n - $3"; echo "#   got:      '$(printf '%s' "$1" | head -c 600)'"; echo "#   expected: /$2/"; _failed=$((_failed + 1)); fi
}
done_testing() { echo "1..$_n"; [ "$_failed" = 0 ]; }

# sql QUERY [psql args...] - one value or rows, unaligned, as the sandbox superuser.
sql() { q=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -tA "$@" -c "$q"; }

# fresh_db NAME - a new empty database for this test file, migrated; prints its conninfo.
fresh_db() {
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
    psql -X -q -d postgres -c "CREATE DATABASE $1" >/dev/null
    echo "host=$MO_SANDBOX port=5432 user=postgres dbname=$1"
}

tmpdir() { d=$(mktemp -d "${TMPDIR:-/tmp}/meterops-t.XXXXXX"); chmod 755 "$d"; echo "$d"; }

# wait_query DBNAME QUERY VALUE: polls (every 0.1 s, 60 s at most) until QUERY gives VALUE.
wait_query() {
    _i=0
    while [ "$(sql "$2" -d "$1" 2>/dev/null)" != "$3" ] && [ $_i -lt 600 ]; do sleep 0.1; _i=$((_i + 1)); done
}
# wait_exit PID [TENTHS]: waits for a background process (60 s, or TENTHS of a second, at
# most; then SIGKILL). Its exit status in $rc.
wait_exit() {
    _i=0
    while kill -0 "$1" 2>/dev/null && [ $_i -lt "${2:-600}" ]; do sleep 0.1; _i=$((_i + 1)); done
    kill -KILL "$1" 2>/dev/null
    wait "$1"; rc=$?
}

# need_citus: skips the whole test (one TAP skip) when the Citus extension is not installed.
need_citus() {
    [ -f "$(pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/citus.so" ] && return 0
    echo "ok 1 # SKIP Citus is not installed (.ci/run installs it from ../shared/vendor/citus)"
    echo "1..1"; exit 0
}

# citus_cluster DIR PORT: a coordinator on PORT and two workers (scripts/pg-sandbox
# --workers 2) under DIR/cluster, stopped and DIR removed when the test exits.
citus_cluster() {
    trap 'PGSANDBOX_PORT='"$2"' "$MO_SRCDIR/scripts/pg-sandbox" stop "'"$1"'/cluster" >/dev/null 2>&1; rm -rf "'"$1"'"' EXIT
    PGSANDBOX_PORT=$2 "$MO_SRCDIR/scripts/pg-sandbox" start --workers 2 "$1/cluster" >/dev/null 2>&1 ||
        { echo "not ok 1 - pg-sandbox start --workers 2"; echo "1..1"; exit 1; }
}

# move_wait_ready SOURCE TARGET: waits (120 s at most) until every table of the target's
# subscription is ready, and prints how many are not. A table whose copy is done (s) turns
# ready when the apply worker passes its copy's end, which needs a change to stream: the
# move's marker row on the source is bumped meanwhile.
move_wait_ready() {
    _i=0
    while [ "$(sql "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'" -d "$2")" != 0 ] && [ $_i -lt 240 ]; do
        sql "INSERT INTO meterops.migration_marker AS m (marker_id, token) VALUES (1, 1)
             ON CONFLICT (marker_id) DO UPDATE SET token = m.token + 1, at = now()" -d "$1" >/dev/null
        sleep 0.5; _i=$((_i + 1))
    done
    sql "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'" -d "$2"
}

# move_servers SPORT TPORT: two private servers for a move, the source with wal_level
# logical, in a new temporary directory $t ($t/src, $t/dst), both stopped and $t removed
# at exit; sets sandbox, t, sport, tport, S and T (conninfo of each), and qs/qt run SQL on
# them. A server that does not start ends the test as a failure.
move_servers() {
    sandbox="$MO_SRCDIR/scripts/pg-sandbox"
    t=$(tmpdir)
    sport=$1
    tport=$2
    trap 'PGSANDBOX_PORT=$sport "$sandbox" stop "$t/src" >/dev/null 2>&1; PGSANDBOX_PORT=$tport "$sandbox" stop "$t/dst" >/dev/null 2>&1; rm -rf "$t"' EXIT
    PGSANDBOX_PORT=$sport "$sandbox" start --logical "$t/src" >/dev/null 2>"$t/err" &&
        PGSANDBOX_PORT=$tport "$sandbox" start "$t/dst" >/dev/null 2>>"$t/err" ||
        { echo "not ok 1 - two sandbox servers: $(cat "$t/err")"; echo "1..1"; exit 1; }
    S="host=$t/src port=$sport dbname=meterops user=postgres"
    T="host=$t/dst port=$tport dbname=meterops user=postgres"
}
qs() { sql "$1" -d "$S"; }
qt() { sql "$1" -d "$T"; }

