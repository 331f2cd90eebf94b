#!/bin/sh
# bench/migrate.sh [METERS [DAYS]] - the initial copy of `meterops migrate` against pgcopydb
# (Debian package pgcopydb) and `pg_dump -Fc | pg_restore` moving the same generated
# database between two private servers (scripts/pg-sandbox) in the same run, and the
# cut-over's measured write pause. The baseline is pg_dump | pg_restore; each figure is
# also given as a ratio of its time. Default 12000 meters x 365 days (~1.3 GB on disk).
#
# meterops' copy is timed from `migrate start` until every table of the subscription is
# ready (pg_subscription_rel 'r') and the target has caught up; pgcopydb from `pgcopydb
# clone` until it exits (schema, data, indexes, constraints); dump | restore until
# pg_restore exits. All three end with the rows and the primary keys on the target.
# Prints a Markdown table; run with nice. Needs the build (build/meterops).
# BENCH_MOVE_ONLY=1 measures meterops migrate alone (copy, verify, cut-over pause);
# BENCH_LOADING=1 with it keeps a loader loading one-day files of 2,000 meters (a day of 2023 each)
# (each file changes its month's partition) from before the cut-over until its queue pauses.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$here/build/meterops}
meters=${1:-12000}
days=${2:-365}
sport=${BENCH_PORT:-6790}
tport=$((sport + 1))
dir=$(mktemp -d /tmp/meterops-bench-migrate.XXXXXX)
chmod 755 "$dir"
cleanup() {
    PGSANDBOX_PORT=$sport "$here/scripts/pg-sandbox" stop "$dir/src" >/dev/null 2>&1 || true
    PGSANDBOX_PORT=$tport "$here/scripts/pg-sandbox" stop "$dir/dst" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
PGSANDBOX_PORT=$sport "$here/scripts/pg-sandbox" start --logical "$dir/src" >/dev/null
PGSANDBOX_PORT=$tport "$here/scripts/pg-sandbox" start "$dir/dst" >/dev/null
S="host=$dir/src port=$sport dbname=meterops user=postgres"
T="host=$dir/dst port=$tport dbname=meterops user=postgres"
q() { psql -X -q -v ON_ERROR_STOP=1 -tA -d "$1" -c "$2"; }
now() { date +%s.%N; }
secs() { printf "%.1f" "$(echo "$2 - $1" | bc)"; }

# --- the source: a registry from gen, a year of readings from SQL ----------------------
"$bin" db migrate --db "$S" >/dev/null
"$bin" gen --meters 2000 --days 3 --start 2024-01-01 --seed 1 --quiet --out "$dir/g" >/dev/null
"$bin" load --db "$S" "$dir"/g/customers.csv "$dir"/g/tariffs.csv "$dir"/g/meters.csv \
    "$dir"/g/bills.csv "$dir"/g/readings.csv >/dev/null 2>&1
q "$S" "SELECT meterops.ensure_reading_partitions('2023-01-01', '2023-01-01'::date + $days)" >/dev/null
t0=$(now)
q "$S" "INSERT INTO meterops.reading_day (meter_id, day, wh, file_id)
        SELECT 100000 + m, '2023-01-01'::date + d,
               (SELECT array_agg((random() * 900)::int) FROM generate_series(1, 48) WHERE m > 0), 1
          FROM generate_series(1, $meters) m, generate_series(0, $days - 1) d" >/dev/null
q "$S" "VACUUM ANALYZE" >/dev/null
gen_s=$(secs "$t0" "$(now)")
rows=$(q "$S" "SELECT count(*) FROM meterops.reading_day")
bytes=$(q "$S" "SELECT pg_database_size(current_database())")
mb=$(echo "scale=0; $bytes / 1000000" | bc)
echo "source: $rows reading rows, $mb MB (generated in $gen_s s)" >&2

# --- meterops migrate -----------------------------------------------------------------
t0=$(now)
"$bin" migrate start --db "$S" --to "$T" >/dev/null
until [ "$(q "$T" "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate NOT IN ('s', 'r')")" = 0 ]; do sleep 0.5; done
"$bin" migrate verify --db "$S" >"$dir/verify" 2>&1 || { cat "$dir/verify" >&2; exit 1; }
mo_s=$(secs "$t0" "$(now)")
verify_s=$(sed -n 's/.*(\([0-9.]*\) s)$/\1/p' "$dir/verify" | tail -1)
mo_s=$(printf "%.1f" "$(echo "$mo_s - $verify_s" | bc)")
loading=""
if [ "${BENCH_LOADING:-0}" = 1 ]; then
    i=0
    while [ $i -lt 365 ]; do
        "$bin" gen --meters 2000 --days 1 --start "$(date -u -d "2023-01-01 + $i days" +%F)" --seed 1 --quiet --out "$dir/d$i" >/dev/null
        i=$((i + 1))
    done
    # a file every half second or so, so that loading outlasts the rounds before the pause
    (i=0; while [ $i -lt 365 ] && "$bin" load --db "$S" --jobs 1 "$dir/d$i/readings.csv" >/dev/null 2>&1; do
         i=$((i + 1)); sleep 0.3; done) &
    loader=$!
    sleep 3
fi
"$bin" migrate cutover --db "$S" >"$dir/cutover" 2>&1 || { cat "$dir/cutover" >&2; exit 1; }
if [ "${BENCH_LOADING:-0}" = 1 ]; then
    wait $loader || true
    sed 's/^/  cutover: /' "$dir/cutover" >&2
    loaded=$(q "$S" "SELECT count(*) FROM meterops.load_file WHERE status = 'loaded' AND path ~ '/d[0-9]+/'")
    rounds=$(grep -c '^verified before the pause' "$dir/cutover")
    inpause=$(sed -n 's/^verified inside the pause.*s): \({[^}]*}\).*/\1/p' "$dir/cutover")
    # The baseline: the partitions verified by key inside the pause, verified whole (as
    # cutover did before) on both servers, now that nothing writes.
    keyed=$(sed -n 's/^verified inside the pause.*by the rows changed: \([0-9]*\) reading_day row(s) of \(.*\)$/\1 \2/p' "$dir/cutover")
    nkeys=${keyed%% *}; parts=${keyed#* }
    whole_s=n/a
    if [ -n "$keyed" ] && [ "$parts" != none ]; then
        arr="{$(echo "$parts" | tr ' ' ',')}"
        t0=$(now)
        q "$S" "SELECT count(*) FROM meterops.migration_checksums_of(false, '$arr')" >/dev/null &
        q "$T" "SELECT count(*) FROM meterops.migration_checksums_of(false, '$arr')" >/dev/null
        wait
        whole_s=$(secs "$t0" "$(now)")
    fi
    loading=" With a loader loading one-day files (2,000 meters each) into the year's partitions throughout (365 files ready, one a day): $loaded files loaded before the queue paused; $rounds verify round(s) before the pause; verified inside the pause: $inpause; by key: ${nkeys:-0} rows of ${parts:-none}, against $whole_s s to verify those partitions whole (the baseline, both servers at once, after the cut-over)."
fi
pause=$(sed -n 's/^write pause: \([0-9.]*\) s (verify of what changed \([0-9.]*\) s.*/\1 \2/p' "$dir/cutover")
pre=$(sed -n 's/^verified before the pause.*(\([0-9.]*\) s).*/\1/p' "$dir/cutover" | head -1)
echo "meterops migrate: copy $mo_s s, verify $verify_s s, pause $pause" >&2

if [ "${BENCH_MOVE_ONLY:-0}" = 1 ]; then
    echo "\`BENCH_MOVE_ONLY=1 BENCH_LOADING=${BENCH_LOADING:-0} bench/migrate.sh $meters $days\` ($(date -u +%Y-%m-%d), $(nproc) cores; source $mb MB, $rows reading_day rows): meterops migrate start to every table ready $mo_s s ($(echo "scale=1; $mb / $mo_s" | bc) MB/s); verify (Wh sums included, both sides at once) $verify_s s; cut-over: verify before the pause (row hashes, every relation) $pre s, write pause $(echo "$pause" | cut -d' ' -f1) s, of which verify of what changed since $(echo "$pause" | cut -d' ' -f2) s.$loading"
    exit 0
fi

# --- pgcopydb clone ---------------------------------------------------------------------
q "$T" "CREATE DATABASE pgcopydb" >/dev/null
suri="postgres://postgres@/meterops?host=$dir/src&port=$sport"
turi="postgres://postgres@/pgcopydb?host=$dir/dst&port=$tport"
t0=$(now)
PATH="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1):$PATH" \
    pgcopydb clone --source "$suri" --target "$turi" --dir "$dir/pgcopydb" --no-owner \
    --table-jobs 2 --index-jobs 2 >"$dir/pgcopydb.log" 2>&1 || { tail -20 "$dir/pgcopydb.log" >&2; exit 1; }
pgc_s=$(secs "$t0" "$(now)")
pgc_rows=$(psql -X -tA "$turi" -c "SELECT count(*) FROM meterops.reading_day")
echo "pgcopydb: $pgc_s s, $pgc_rows rows" >&2

# --- pg_dump | pg_restore (baseline) ----------------------------------------------------
q "$T" "CREATE DATABASE dumped" >/dev/null
t0=$(now)
pg_dump -Fc -d "$S" | pg_restore --no-owner -d "host=$dir/dst port=$tport dbname=dumped user=postgres" 2>"$dir/restore.err" || true
dump_s=$(secs "$t0" "$(now)")
dump_rows=$(q "host=$dir/dst port=$tport dbname=dumped user=postgres" "SELECT count(*) FROM meterops.reading_day")
echo "pg_dump | pg_restore: $dump_s s, $dump_rows rows" >&2

ratio() { echo "scale=2; $dump_s / $1" | bc; }
rate() { echo "scale=1; $mb / $1" | bc; }
cat <<EOF
\`bench/migrate.sh $meters $days\` ($(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $(q "$S" "SHOW server_version" | cut -d' ' -f1), pg-sandbox settings; source $mb MB, $rows reading_day rows in $(q "$T" "SELECT count(*) FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass") partitions):

| method | rows on target | wall | MB/s | speed vs pg_dump \\| pg_restore |
|---|---|---|---|---|
| pg_dump -Fc \\| pg_restore (baseline) | $dump_rows | $dump_s s | $(rate "$dump_s") | 1.00 |
| pgcopydb 0.10 clone (2 table jobs, 2 index jobs) | $pgc_rows | $pgc_s s | $(rate "$pgc_s") | $(ratio "$pgc_s") |
| meterops migrate start, to every table ready | $rows | $mo_s s | $(rate "$mo_s") | $(ratio "$mo_s") |

meterops migrate verify (both sides at once): $verify_s s. Cut-over: verify before the pause $pre s; write pause (no loader can write anywhere) $(echo "$pause" | cut -d' ' -f1) s, of which verify of what changed since $(echo "$pause" | cut -d' ' -f2) s.
EOF
