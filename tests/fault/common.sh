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

# wait_gone PID... - until none of the processes is left (at most about 30 s).
wait_gone() {
    i=0
    while [ $i -lt 150 ]; do
        alive=0
        for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && return 0
        sleep 0.2; i=$((i + 1))
    done
    return 1
}

# server_pid - the postmaster's pid.
server_pid() { head -1 "$srv/data/postmaster.pid"; }

# server_start - starts the (stopped or killed) server again: crash recovery when killed.
server_start() { "$MO_SRCDIR/scripts/pg-sandbox" start "$srv" >/dev/null; }

# wh_total FILE... - the known total of long files (mpxn,timestamp,kwh with three
# decimals): the Wh are the kWh digits without the point.
wh_total() { awk -F, 'FNR > 1 { sub(/\./, "", $3); s += $3 } END { print s + 0 }' "$@"; }
