#!/bin/sh
# bench/health-cost.sh - what the console's Health view costs the server (issue 10, "Cheap
# on a big, busy database"): the CPU time of the console's own backends while the console
# sits on a view at a 2 s refresh, as percent of one core. Target: <= 1% on Health.
#
# A private server (scripts/pg-sandbox, in a temp dir, stopped and removed at the end) gets
# some generated data: TABLES tables of ROWS rows with an index each, dead tuples, a few
# reading_day partitions (the Sizes pane's list), and IDLE idle client sessions plus one
# idle in transaction (the Sessions pane's list). Then, for each case, a console runs in
# tmux (80x24) and the utime+stime of every backend whose application_name starts with
# "meterops console" is read from /proc/<pid>/stat at the start and the end of SECONDS:
#
#   idle psql    one psql session doing nothing (the floor: a connection's own cost)
#   dashboard    the console on its Dashboard (1), the baseline the Health view is set against
#   health       the console on Health (5), Sessions pane
#   health-all   the console on Health, stepping through all six panes (l every 4 s)
#
# Prints one table (percent of one core, and the ratio against the dashboard from the same
# run). Environment: MO_BIN (default build/meterops), SECONDS_PER_CASE (60), TABLES (40),
# ROWS (200000), IDLE (20), BENCH_DIR (instead of $TMPDIR). Run it under nice.
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
secs=${SECONDS_PER_CASE:-60}
ntables=${TABLES:-40}
nrows=${ROWS:-200000}
nidle=${IDLE:-20}
[ -x "$bin" ] || { echo "bench/health-cost.sh: build meterops first ($bin)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "bench/health-cost.sh: tmux missing" >&2; exit 2; }
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/meterops-hcost.XXXXXX")
chmod 755 "$work"
port=${PGSANDBOX_PORT:-5497}
sock="mo-hcost-$$"
idlepids=""
cleanup() {
    tmux -L "$sock" kill-server >/dev/null 2>&1 || true
    for p in $idlepids; do kill "$p" 2>/dev/null || true; done
    PGSANDBOX_PORT=$port "$srcdir/scripts/pg-sandbox" stop "$work" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
PGSANDBOX_PORT=$port "$srcdir/scripts/pg-sandbox" start "$work" >/dev/null
db="host=$work port=$port dbname=meterops user=postgres"
export PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=meterops
"$bin" db migrate --db "$db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  FOR i IN 1..$ntables LOOP
    EXECUTE format('CREATE TABLE public.t%s AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, $nrows) g', i);
    EXECUTE format('CREATE INDEX ON public.t%s (v)', i);
    EXECUTE format('DELETE FROM public.t%s WHERE id %% 10 = 0', i);
  END LOOP;
END \$\$;
ANALYZE;
SQL
# A few days of readings, so reading_day has partitions (what the loader would make).
psql -X -q -c "SELECT meterops.ensure_reading_partitions('2026-11-01', '2026-11-05')" >/dev/null
for i in $(seq 1 "$nidle"); do
    PGAPPNAME=bench_idle psql -X -q -c "SELECT pg_sleep(100000)" >/dev/null 2>&1 &
    idlepids="$idlepids $!"
done
(printf 'BEGIN;\nSELECT 1;\n'; sleep 100000) | PGAPPNAME=bench_idle_tx psql -X -q >/dev/null 2>&1 &
idlepids="$idlepids $!"

clk=$(getconf CLK_TCK)
# ticks APP_PATTERN: the summed utime+stime (clock ticks) of the backends so named.
ticks() {
    t=0
    for p in $(psql -X -tA -c "SELECT pid FROM pg_stat_activity WHERE application_name LIKE '$1'"); do
        [ -r "/proc/$p/stat" ] || continue
        # Fields 14 and 15; the command name (field 2) holds no spaces for a backend.
        v=$(awk '{print $14 + $15}' "/proc/$p/stat")
        t=$((t + v))
    done
    echo "$t"
}
# measure APP_PATTERN: percent of one core over $secs, meanwhile running STEP (if set)
measure() {
    a=$(ticks "$1")
    start=$(date +%s.%N)
    if [ -n "${STEP:-}" ]; then
        n=$((secs / 4))
        while [ "$n" -gt 0 ]; do sleep 4; tmux -L "$sock" send-keys -t 0 "$STEP"; n=$((n - 1)); done
        sleep $((secs - secs / 4 * 4))
    else
        sleep "$secs"
    fi
    b=$(ticks "$1")
    end=$(date +%s.%N)
    awk -v a="$a" -v b="$b" -v hz="$clk" -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (b - a) / hz / (e - s) * 100 }'
}
console() { # console KEYS: a console at 2 s refresh, on the view KEYS opens
    tmux -L "$sock" kill-server >/dev/null 2>&1 || true
    tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
        "LANG=C.UTF-8 TERM=tmux-256color '$bin' console --db '$db' --refresh 2"
    sleep 3
    tmux -L "$sock" send-keys -t 0 "$1"
    sleep 6 # past the first fetch of every part (opening costs once, the refresh is what we measure)
}

# idle psql
PGAPPNAME=meterops console bench psql psql -X -q -c "SELECT pg_sleep(100000)" >/dev/null 2>&1 &
ppid=$!
sleep 2
psql_pct=$(STEP= measure 'meterops console bench psql')
kill "$ppid" 2>/dev/null || true
console 1; dash_pct=$(STEP= measure 'meterops console%')
console 5; health_pct=$(STEP= measure 'meterops console%')
console 5; all_pct=$(STEP=l measure 'meterops console%')
tmux -L "$sock" kill-server >/dev/null 2>&1 || true

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.2f", x / y; else printf "-" }'; }
met() { awk -v x="$1" 'BEGIN { print (x <= 1.0) ? "yes" : "NO" }'; }
echo "| case (2 s refresh, ${secs} s, $ntables tables of $nrows rows, $nidle idle sessions) | % of one core | x dashboard | <= 1% |"
echo "|---|---|---|---|"
echo "| idle psql session | $psql_pct | $(ratio "$psql_pct" "$dash_pct") | $(met "$psql_pct") |"
echo "| console, Dashboard (baseline) | $dash_pct | 1.00 | $(met "$dash_pct") |"
echo "| console, Health: Sessions | $health_pct | $(ratio "$health_pct" "$dash_pct") | $(met "$health_pct") |"
echo "| console, Health: every pane in turn | $all_pct | $(ratio "$all_pct" "$dash_pct") | $(met "$all_pct") |"
