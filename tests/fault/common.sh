# common.sh - sourced by the fault tests (tests/fault/*.sh). Each test runs its own private
# PostgreSQL (scripts/pg-sandbox), since it kills, stops or starves it, never the suite's
# shared server; TAP helpers and sql() come from tests/lib.sh. Waits are bounded loops,
# never assertions on time.
. "$MO_SRCDIR/tests/lib.sh"

# fault_server - starts a server in $t/pg ($t: the test's tmpdir) and points psql and
# fresh_db at it; stopped when the test exits.
fault_server() {
    srv=$t/pg
    "$MO_SRCDIR/scripts/pg-sandbox" start "$srv" >/dev/null || return 1
    PGHOST=$srv PGPORT=5432 PGUSER=postgres PGDATABASE=postgres MO_SANDBOX=$srv
    export PGHOST PGPORT PGUSER PGDATABASE MO_SANDBOX
    # the server's own pg_ctl (pg-sandbox found it), for quick restarts
    PG_CTL=$(sql "SELECT setting FROM pg_config WHERE name = 'BINDIR'")/pg_ctl
    # Processes die here, never the machine: what the server wrote is in the page cache
    # either way, and crash recovery skips fsyncing the whole data directory first.
    sql "ALTER SYSTEM SET fsync = off" >/dev/null && sql "SELECT pg_reload_conf()" >/dev/null
}

fault_cleanup() {
    [ -n "${srv:-}" ] && "$MO_SRCDIR/scripts/pg-sandbox" stop "$srv" >/dev/null 2>&1
    [ -n "${fault_mount:-}" ] && umount "$fault_mount" 2>/dev/null
    rm -rf "$t"
}

# wait_for QUERY VALUE [TRIES] - polls (0.2 s apart, 150 tries unless told) until the
# query answers VALUE; returns 1 when it never did.
wait_for() {
    i=0
    while [ "$(q "$1" 2>/dev/null)" != "$2" ]; do
        i=$((i + 1)); [ $i -ge "${3:-150}" ] && return 1
        sleep 0.2
    done
}

# wait_gone PID... - until none of the processes is left (at most about 30 s). A zombie
# (dead, its parent gone, not yet reaped) counts as gone.
wait_gone() {
    i=0
    pids=$(echo "$@" | tr ' ' ,)
    while [ $i -lt 300 ]; do
        ps -o stat= -p "$pids" 2>/dev/null | grep -qv '^Z' || return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# server_pid - the postmaster's pid.
server_pid() { head -1 "$srv/data/postmaster.pid"; }

# server_start - starts the (stopped or killed) server again: crash recovery when killed.
# A killed postmaster may stay a zombie (a container's init need not reap it), which
# pg_ctl and the new postmaster would take for a live server: its lock files go first.
server_start() {
    if [ -f "$srv/data/postmaster.pid" ]; then
        case $(ps -o stat= -p "$(server_pid)" 2>/dev/null) in
        "" | Z*) rm -f "$srv/data/postmaster.pid" "$srv"/.s.PGSQL.*.lock ;;
        esac
    fi
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$PG_CTL" -D "$srv/data" -l "$srv/server.log" -w -t 60 start >/dev/null
    else
        "$PG_CTL" -D "$srv/data" -l "$srv/server.log" -w -t 60 start >/dev/null
    fi
}

# wh_total FILE... - the known total of long files (mpxn,timestamp,kwh with three
# decimals): the Wh are the kWh digits without the point.
wh_total() { awk -F, 'FNR > 1 { sub(/\./, "", $3); s += $3 } END { print s + 0 }' "$@"; }
