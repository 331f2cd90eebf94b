# standby.sh - a real streaming standby of the suite's test server, and physical
# replication slots, for the shell tests. Source it after tests/lib.sh:
#
#     . "$MO_SRCDIR/tests/standby.sh"
#     trap 'standby_stop; slot_drop t_slot' EXIT
#     standby_start || { echo "ok 1 # SKIP no standby: $STANDBY_ERROR"; ...; }
#     ... STANDBY_APP is in pg_stat_replication (state streaming) ...
#     standby_stop
#
# standby_start [SLOT]  pg_basebackup -R of the server at $PGHOST (the suite's socket dir,
#                       port $PGPORT) into a new temp dir, over the Unix socket, started as
#                       a hot standby with its own socket dir and port; returns once the
#                       primary lists it in pg_stat_replication as streaming. With SLOT (a
#                       physical slot made by slot_create) the standby streams from it, so
#                       the slot is active while the standby runs. Returns 0, or 1 with the
#                       reason in $STANDBY_ERROR (and nothing left running or on disk).
#                       Sets, for the test:
#   STANDBY_DIR   the temp dir (data in $STANDBY_DIR/data, log in $STANDBY_DIR/server.log)
#   STANDBY_HOST  its socket dir (= STANDBY_DIR), STANDBY_PORT its port (5433)
#   STANDBY_APP   its application_name in the primary's pg_stat_replication
#   STANDBY_ERROR why standby_start failed (the last lines of what it ran)
#                       Reads STANDBY_CONF: settings (postgresql.conf lines) the standby
#                       starts with besides these, e.g. "archive_mode = always".
# standby_stop          stops the standby and removes its dir; harmless when none runs.
#                       A watchdog does the same if the test's shell ends without it.
# slot_create NAME      creates the physical slot NAME on the primary, reserving WAL now
#                       (restart_lsn set: it retains WAL from the moment it exists).
# slot_drop NAME        drops it if it exists (a standby using it must be stopped first).
#
# A test that starts a standby or makes a slot belongs in SERVER_ALONE_TESTS (Makefile.am):
# `meterops status` judges the whole server's standbys and slots (an inactive slot warns),
# and other tests running beside it expect a healthy server. One standby per test shell. The primary needs wal_level replica, max_wal_senders > 0 and
# a "local replication" trust line in pg_hba.conf: initdb's defaults (scripts/pg-sandbox)
# have all three. As root the standby runs as the user postgres, as the suite server does.
STANDBY_DIR=""
STANDBY_HOST=""
STANDBY_PORT=${STANDBY_PORT:-5433}
STANDBY_APP="mo_standby_$$"
STANDBY_ERROR=""
STANDBY_CONF=${STANDBY_CONF:-}

_standby_as_server() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The running primary's own programs (its pg_config): pg_basebackup and pg_ctl of the same
# major version as the server.
_standby_bindir() {
    psql -X -q -tA -d postgres -c "SELECT setting FROM pg_config WHERE name = 'BINDIR'"
}

_standby_streaming() {
    [ "$(psql -X -q -tA -d postgres -c "SELECT count(*) FROM pg_stat_replication
            WHERE application_name = '$STANDBY_APP' AND state = 'streaming'" 2>/dev/null)" = 1 ]
}

_standby_fail() { # _standby_fail MESSAGE - the reason, then nothing left behind
    STANDBY_ERROR="$1: $(cat "$STANDBY_DIR/start.log" "$STANDBY_DIR/server.log" 2>/dev/null | tail -n 6 | tr '\n' ' ')"
    standby_stop
    return 1
}

standby_start() { # standby_start [SLOT]
    _slot=${1:-}
    STANDBY_ERROR=""
    [ -z "$STANDBY_DIR" ] || { STANDBY_ERROR="a standby runs already in $STANDBY_DIR"; return 1; }
    _standby_bin=$(_standby_bindir 2>/dev/null)
    [ -x "$_standby_bin/pg_basebackup" ] && [ -x "$_standby_bin/pg_ctl" ] ||
        { STANDBY_ERROR="no pg_basebackup/pg_ctl in the server's BINDIR '$_standby_bin'"; return 1; }
    STANDBY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/meterops-standby.XXXXXX") || { STANDBY_DIR=""; STANDBY_ERROR="mktemp failed"; return 1; }
    STANDBY_HOST=$STANDBY_DIR
    chmod 755 "$STANDBY_DIR"
    [ "$(id -u)" != 0 ] || chown postgres: "$STANDBY_DIR"
    # -R writes primary_conninfo (with this application_name) and standby.signal.
    _standby_as_server "$_standby_bin/pg_basebackup" -D "$STANDBY_DIR/data" -R -X stream -c fast \
        ${_slot:+-S "$_slot"} \
        -d "host=$PGHOST port=$PGPORT user=postgres application_name=$STANDBY_APP" \
        >>"$STANDBY_DIR/start.log" 2>&1 || { _standby_fail "pg_basebackup failed"; return 1; }
    # The copy carries the primary's settings: its own socket and port, a small memory
    # (the primary's 1GB of shared_buffers twice over is too much for the test machine).
    cat >>"$STANDBY_DIR/data/postgresql.conf" <<CONF
# tests/standby.sh
unix_socket_directories = '$STANDBY_DIR'
port = $STANDBY_PORT
hot_standby = on
shared_buffers = 32MB
wal_buffers = 1MB
$STANDBY_CONF
CONF
    # Stops the standby should this shell end without standby_stop (a test killed or
    # failed). Deaf to the signals that end the test, and detached from its output, which
    # the harness reads to its end. It ends by itself once the dir is gone.
    _owner=$$ _dir=$STANDBY_DIR _bin=$_standby_bin
    (
        trap '' INT TERM HUP
        while kill -0 "$_owner" 2>/dev/null && [ -d "$_dir" ]; do sleep 1; done
        if [ -f "$_dir/data/postmaster.pid" ]; then
            _standby_as_server "$_bin/pg_ctl" -D "$_dir/data" -m immediate -w -t 60 stop
        fi
        rm -rf "$_dir"
    ) </dev/null >/dev/null 2>&1 &
    _standby_as_server "$_standby_bin/pg_ctl" -D "$STANDBY_DIR/data" -l "$STANDBY_DIR/server.log" \
        -w -t 60 start >>"$STANDBY_DIR/start.log" 2>&1 || { _standby_fail "the standby did not start"; return 1; }
    _i=0
    until _standby_streaming; do
        _i=$((_i + 1))
        [ $_i -le 600 ] || { _standby_fail "not streaming after 60 s"; return 1; }
        sleep 0.1
    done
    return 0
}

standby_stop() {
    [ -n "$STANDBY_DIR" ] || return 0
    if [ -f "$STANDBY_DIR/data/postmaster.pid" ]; then
        _pid=$(head -1 "$STANDBY_DIR/data/postmaster.pid")
        _standby_as_server "$_standby_bin/pg_ctl" -D "$STANDBY_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1
        # The postmaster this file started, should pg_ctl not have ended it.
        if [ -n "$_pid" ] && kill -0 "$_pid" 2>/dev/null; then kill -KILL "$_pid"; sleep 1; fi
    fi
    rm -rf "$STANDBY_DIR"
    STANDBY_DIR="" STANDBY_HOST=""
    return 0
}

slot_create() { # slot_create NAME
    psql -X -q -v ON_ERROR_STOP=1 -tA -d postgres \
        -c "SELECT pg_create_physical_replication_slot('$1', true)" >/dev/null
}

slot_drop() { # slot_drop NAME
    psql -X -q -tA -d postgres -c "SELECT pg_drop_replication_slot(slot_name)
        FROM pg_replication_slots WHERE slot_name = '$1'" >/dev/null 2>&1
    return 0
}
